"""Throughput and memory of the model against a bare SimPy model of the same shape.

Run: ``python bench/throughput.py``. Prints, from one process run (the machine is shared and
noisy, so only ratios measured side by side mean much):

- orders per second of one baseline replication and of a bare SimPy model with the same number
  of orders (Poisson orders, a provider resource with the baseline's capacity, a service
  timeout), each the best of a few repetitions, and their ratio (target ≥ 0.8, goal 1.0); and
  the same ratio for the baseline with almost no failures (the order pipeline without episodes);
- peak traced memory of a run and of a run four times longer (target ratio < 1.5);
- orders per second of a 30-day run with 16 times the baseline's customers, providers, arrivals and
  applicants against the same at 1 time, each the best of a few repetitions: the cost of an order
  should not grow with the size of the platform. SimPy itself does not scale freely (its event
  heap grows with the number of orders in flight, and a larger working set leaves the processor's
  caches), so the bare model is scaled the same way and the target is on the model's ratio
  relative to SimPy's own (target ≥ 0.9).
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc

import simpy

from sim import Scenario, run_replication

#: Overrides that leave almost no failures (no glitches, no outside events, providers at fault
#: once in a thousand orders): what an order costs when no episode follows it.
ALMOST_NO_FAILURES = {
    "aggregator.glitch_rate": 0.0,
    "failures.external_rate": 0.0,
    "providers.quality_mean": 0.001,
    "providers.applicant_quality_mean": 0.001,
}


def bare_simpy(orders: int, capacity: int, hours: float, service_mean: float, seed: int = 1) -> int:
    """Poisson orders at the rate that gives ``orders`` in ``hours``; each takes a unit of a
    ``capacity`` resource for an exponential service time. Returns the orders completed."""
    rng = random.Random(seed)
    env = simpy.Environment()
    providers = simpy.Resource(env, capacity=capacity)
    done = 0

    def order():
        nonlocal done
        with providers.request() as request:
            yield request
            yield env.timeout(rng.expovariate(1.0 / service_mean))
        done += 1

    def source():
        mean_gap = hours / orders
        for _ in range(orders):
            yield env.timeout(rng.expovariate(1.0 / mean_gap))
            env.process(order())

    env.process(source())
    env.run()
    return done


def best_of(repeats: int, run) -> tuple[float, int]:
    """The fastest of ``repeats`` timings of ``run()``, and what it returned."""
    ((seconds, result),) = best_of_each(repeats, run)
    return seconds, result


def best_of_each(repeats: int, *runs) -> list[tuple[float, int]]:
    """For each of ``runs``, the fastest of ``repeats`` timings and what it returned. The runs
    take turns, so a slow spell of the shared machine slows them alike."""
    best = [(float("inf"), 0) for _ in runs]
    for _ in range(repeats):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            result = run()
            seconds = time.perf_counter() - start
            if seconds < best[index][0]:
                best[index] = (seconds, result)
    return best


def peak_memory(scenario: Scenario) -> int:
    tracemalloc.start()
    run_replication(scenario)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def scaled(scenario: Scenario, factor: int, days: float) -> Scenario:
    """The scenario with ``factor`` times its customers, providers, arrivals and applicants."""
    c, p, a = scenario.customers, scenario.providers, scenario.acquisition
    return scenario.with_values(
        **{
            "run.days": days,
            "customers.count": c.count * factor,
            "providers.count": p.count * factor,
            "acquisition.base_per_day": a.base_per_day * factor,
            "providers.applicants_per_day": p.applicants_per_day * factor,
        }
    )


def orders_per_second(scenario: Scenario, repeats: int) -> tuple[float, int]:
    """Orders per second of one replication (best of ``repeats``), and its number of orders."""
    seconds, orders = best_of(repeats, lambda: run_replication(scenario).kpis["orders"])
    return orders / seconds, orders


def bare_orders_per_second(
    orders: int, capacity: int, factor: int, service_mean: float, repeats: int
) -> float:
    """Orders per second of the bare model with ``factor`` times the orders and the capacity over
    the same 30 days."""
    seconds, done = best_of(
        repeats, lambda: bare_simpy(orders * factor, capacity * factor, 30 * 24, service_mean)
    )
    return done / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    # Every simulated order counts here, so no warm-up (its orders would be simulated, not counted).
    scenario = Scenario().with_values(**{"run.warmup_days": 0})
    orders = run_replication(scenario).kpis["orders"]
    p = scenario.providers
    capacity = round(
        p.count * ((1 - p.firm_share) * p.individual_capacity + p.firm_share * p.firm_capacity)
    )
    (model_seconds, orders), (bare_seconds, bare_orders) = best_of_each(
        args.repeats,
        lambda: run_replication(scenario).kpis["orders"],
        lambda: bare_simpy(orders, capacity, scenario.run.days * 24, p.service_hours_mean),
    )
    model_rate, bare_rate = orders / model_seconds, bare_orders / bare_seconds
    print(f"orders per replication      {orders}")
    print(f"model       orders/second   {model_rate:12,.0f}   ({model_seconds:.3f} s)")
    print(f"bare SimPy  orders/second   {bare_rate:12,.0f}   ({bare_seconds:.3f} s)")
    print(f"ratio model/bare            {model_rate / bare_rate:12.2f}   (target >= 0.8)")
    # The same world with almost no failures: the order pipeline alone, without episodes.
    smooth = scenario.with_values(**ALMOST_NO_FAILURES)
    smooth_seconds, smooth_orders = best_of(
        args.repeats, lambda: run_replication(smooth).kpis["orders"]
    )
    smooth_ratio = smooth_orders / smooth_seconds / bare_rate
    print(f"ratio without episodes      {smooth_ratio:12.2f}   (failures 0.3% of orders)")

    days = scenario.run.days
    short = peak_memory(scenario)
    long = peak_memory(scenario.with_values(**{"run.days": 4 * days}))
    print(f"peak memory {days:g} days         {short / 2**20:10.1f} MiB")
    print(f"peak memory {4 * days:g} days        {long / 2**20:10.1f} MiB")
    print(f"ratio 4x horizon            {long / short:12.2f}   (target < 1.5)")

    one, month_orders = orders_per_second(scaled(scenario, 1, 30), args.repeats)
    sixteen, _ = orders_per_second(scaled(scenario, 16, 30), max(1, args.repeats - 1))
    bare_one = bare_orders_per_second(month_orders, capacity, 1, p.service_hours_mean, args.repeats)
    bare_sixteen = bare_orders_per_second(
        month_orders, capacity, 16, p.service_hours_mean, max(1, args.repeats - 1)
    )
    model_scaling, bare_scaling = sixteen / one, bare_sixteen / bare_one
    print(f"orders/second 1x  (30 days) {one:12,.0f}")
    print(f"orders/second 16x (30 days) {sixteen:12,.0f}")
    print(f"ratio 16x / 1x              {model_scaling:12.2f}")
    print(f"bare SimPy ratio 16x / 1x   {bare_scaling:12.2f}")
    print(f"model scaling / SimPy's     {model_scaling / bare_scaling:12.2f}   (target >= 0.9)")


if __name__ == "__main__":
    main()
