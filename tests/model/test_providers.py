"""The provider population: vetting, effort, sanctions and exits (MODEL.md 5.12)."""

from sim.model.world import World
from tests.conftest import assert_increase, kpi, runs, small_scenario


def joined_later(vetting: float):
    world = World(
        small_scenario(
            **{
                "run.days": 10,
                "aggregator.vetting": vetting,
                "providers.applicants_per_day": 20.0,
            }
        )
    )
    world.run()
    providers = world.providers
    return [p for p in providers.present.values() if p.joined_at > 0], world.scenario


def test_strict_vetting_admits_only_applicants_better_than_average():
    strict, scenario = joined_later(vetting=1.0)
    lax, _ = joined_later(vetting=0.0)
    threshold = scenario.providers.quality_mean
    assert len(strict) > 30 and all(p.quality <= threshold for p in strict)
    assert sum(p.quality > threshold for p in lax) > len(lax) / 3


def test_unfair_low_ratings_lower_effort_and_raise_provider_faults():
    # Many low ratings on successful orders, and no sanctions, so supply stays the same.
    common = {
        "punishment.base_low_rating": 0.2,
        "sanctions.warn_below": 1.0,
        "sanctions.suspend_below": 1.0,
    }
    steady = runs(**common, **{"providers.effort_drop": 1.0})
    shaken = runs(**common, **{"providers.effort_drop": 3.0})

    def fault_rate(results):
        return kpi(results, "failures_class_provider_fault") / kpi(results, "orders")

    assert_increase(fault_rate(steady), fault_rate(shaken), 0.02)


def test_providers_below_their_reservation_earnings_leave():
    content = runs(**{"providers.reservation_earnings": 0.0})
    demanding = runs(**{"providers.reservation_earnings": 1000.0})
    assert (kpi(content, "providers_exited") == 0).all()
    assert_increase(kpi(content, "providers_exited"), kpi(demanding, "providers_exited"), 3)
