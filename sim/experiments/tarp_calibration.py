"""Calibration of what customers say — satisfaction and the intention to buy again — against the
TARP table, by simulation (MODEL.md 5.10).

TARP reports the share of customers who say they would buy again after a minor or a major
problem, by how it was handled: a survey of stated intentions, so it calibrates the repurchase
intention of MODEL.md 5.10, not what customers do (that is held to field evidence, MODEL.md
5.15). The model is held to it the way TARP measured it: failure episodes are simulated in a
*calibration world* and sorted into TARP's eight cells, and each cell's mean intention is set
beside the target (:func:`tarp_comparison`).

TARP's respondents had problems with the firm that sold them the product or service: the firm
was the party at fault. On a platform that is a failure the platform caused — its glitches and
its failures to find a provider — so the cells are filled with those (:data:`TARP_CAUSE`); what
customers say after a provider's fault or an outside event then follows from how much less
they blame the platform for it (MODEL.md 5.4, 5.9). TARP's cells are of customers reporting a
problem, not a run of them (studies in its tradition report customers with several problems
apart, as less loyal still), so each cell takes a customer's problem only when no other failed
it within the recent window; what a second failure soon after does is the model's (MODEL.md
5.4, 5.9, 5.10: Knox & van Oest 2014; Maxham & Netemeyer 2002).

The calibration world is the scenario under calibration with a recovery that produces all four
kinds of handling, as TARP's respondents met them: the platform pays exactly what the customer
expects (``match_expectation`` without estimation error) and apologises, its answers come after
an exponential delay with a mean of the 24-hour target, and a daily compensation budget leaves
the day's later complaints without compensation.

TARP's respondents sorted their own problems into minor and major and said whether they were
resolved quickly; the model has to decide what those words mean, and a calibration that held
only for one reading would be an accident of it. Each :class:`CellDefinition` is one faithful
reading; the fit uses :data:`DEFINITIONS` together, and :data:`HELD_OUT` is kept out of it to
be predicted. Under a definition an episode falls in

=======================  =============================================================
minor / major            severity below ``minor_below`` / at least ``major_from``
resolved quickly         complained; paid what was expected; answered within ``quick_hours``
resolved                 complained; paid what was expected; answered later
complained, unresolved   complained; paid nothing (the apology is still given)
did not complain         no complaint, so no recovery
=======================  =============================================================

and in no cell when its severity lies between the two bounds or its complaint was paid part of
what was expected (the one at which the day's budget runs out). The apology is the same in every
complained cell, so speed works only through procedural justice and the lower worth of a late
remedy (``satisfaction.late_remedy_discount``).

:func:`fit_tarp` refits a chosen set of parameters by Nelder–Mead on the mean intention of each
cell under every definition, with common random numbers, so the fit is deterministic:
``python -m sim.experiments.tarp_calibration`` prints the fit of the defaults and, with ``--fit``,
refits.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.experiments.executors import open_executor
from sim.experiments.replication import run_replication
from sim.scenario import Scenario

#: Share who would buy again (TARP, via secondary sources), by problem and handling
#: (MODEL.md 5.10).
TARP_TARGETS: dict[tuple[str, str], float] = {
    ("minor", "resolved quickly"): 0.95,
    ("minor", "resolved"): 0.70,
    ("minor", "complained, unresolved"): 0.46,
    ("minor", "did not complain"): 0.37,
    ("major", "resolved quickly"): 0.82,
    ("major", "resolved"): 0.54,
    ("major", "complained, unresolved"): 0.19,
    ("major", "did not complain"): 0.09,
}


@dataclass(frozen=True)
class CellDefinition:
    """One reading of TARP's cells: what counts as a minor or a major problem, and as an answer
    quick enough to be "resolved quickly"."""

    name: str
    meaning: str
    minor_below: float
    major_from: float
    quick_hours: float


#: The readings the fit uses together.
DEFINITIONS: tuple[CellDefinition, ...] = (
    CellDefinition(
        "halves",
        "major from severity 0.5 (the upper half of the scale); resolved quickly within the "
        "24-hour target",
        minor_below=0.5,
        major_from=0.5,
        quick_hours=24.0,
    ),
    CellDefinition(
        "clear-cut",
        "minor below 0.4, major from 0.6 (the problems between left out, as a respondent unsure "
        "of theirs would be); resolved quickly on the same day (12 hours)",
        minor_below=0.4,
        major_from=0.6,
        quick_hours=12.0,
    ),
)

#: A reading kept out of the fit, to be predicted.
HELD_OUT = CellDefinition(
    "thirds",
    "minor below 0.35, major from 0.55 (about the lowest and the highest third of severities); "
    "resolved quickly at the first contact (6 hours)",
    minor_below=0.35,
    major_from=0.55,
    quick_hours=6.0,
)

#: The true cause of the failures TARP's cells are filled with: the platform's own.
TARP_CAUSE = "aggregator"

#: How the calibration world differs from the scenario it calibrates.
CALIBRATION_WORLD: dict[str, object] = {
    "recovery.policy": "match_expectation",
    "recovery.estimate_noise": 0.0,
    "recovery.apology": True,
    "recovery.proactive": False,
    "recovery.delay_mean_hours": 24.0,
    "recovery.target_hours": 24.0,
    "recovery.daily_budget": 120.0,
}

#: Replications of the calibration world behind a comparison, and behind each step of the fit
#: (fewer, for speed; the cells then carry a few points of noise, which the comparison averages
#: out). Both use common random numbers.
REPLICATIONS = 12
FIT_REPLICATIONS = 6

#: The parameters :func:`fit_tarp` refits by default.
FITTED = (
    "retention.intercept",
    "retention.satisfaction_weight",
    "satisfaction.loss_base",
    "satisfaction.loss_floor",
    "satisfaction.lasting_harm",
    "satisfaction.late_remedy_discount",
    "satisfaction.rejected_midpoint",
)

#: Cells further than this from their target are penalised in the fit, beyond squared error, so
#: that no cell is left far out for the sake of the others.
TOLERANCE = 0.07
EXCESS_WEIGHT = 100.0


def justice_order_kept(scenario: Scenario) -> bool:
    """Whether distributive justice still weighs more than interactional, and interactional more
    than procedural (Orsingher et al. 2010; MODEL.md 5.9): the fit keeps to this order."""
    s = scenario.satisfaction
    return s.distributive_weight > s.interactional_weight > s.procedural_weight > 0


def calibration_world(scenario: Scenario) -> Scenario:
    """The scenario with the recovery of the calibration world (see the module's docstring)."""
    return scenario.with_values(**CALIBRATION_WORLD)


def tarp_cells(episodes: pd.DataFrame, definition: CellDefinition) -> pd.Series:
    """Each episode's TARP cell under ``definition`` as ``"problem/handling"``, or empty when it
    falls in none (among them every failure the platform did not cause, and every failure that
    followed another within the recent window)."""
    severity = episodes.severity
    problem = np.select(
        [severity < definition.minor_below, severity >= definition.major_from],
        ["minor", "major"],
        default="",
    )
    paid_in_full = episodes.compensation_paid >= episodes.expected_compensation * (1 - 1e-9)
    quick = episodes.recovery_delay <= definition.quick_hours
    handling = np.select(
        [
            ~episodes.complained,
            episodes.complained & (episodes.compensation_paid <= 0),
            episodes.complained & paid_in_full & quick,
            episodes.complained & paid_in_full & ~quick,
        ],
        ["did not complain", "complained, unresolved", "resolved quickly", "resolved"],
        default="",
    )
    cells = pd.Series(problem, index=episodes.index) + "/" + handling
    in_a_cell = (
        (problem != "")
        & (handling != "")
        & (episodes.cause == TARP_CAUSE)
        & (episodes.earlier_recent_failures == 0)
    )
    return cells.where(in_a_cell, "")


def _episodes_of(args: tuple[Scenario, int]) -> pd.DataFrame:
    scenario, replication = args
    episodes = run_replication(scenario, replication, trace=True).episodes
    assert episodes is not None
    return episodes


def simulated_episodes(
    scenario: Scenario, replications: int = REPLICATIONS, workers: int = 1
) -> pd.DataFrame:
    """The calibration world's failure episodes over ``replications`` (on ``workers``
    processes; the episodes do not depend on how many)."""
    world = calibration_world(scenario)
    jobs = [(world, r) for r in range(replications)]
    with open_executor("process", workers) as pool:
        frames = list(pool.map(_episodes_of, jobs))
    return pd.concat(frames, ignore_index=True)


def cell_table(episodes: pd.DataFrame, definition: CellDefinition) -> pd.DataFrame:
    """Model against target for every TARP cell under one definition.

    Columns: definition, problem, handling, target, episodes (how many fell in the cell),
    retained (share that stayed: what they did), repurchase_intention (mean stated intention to
    buy again: what TARP measured), error (intention − target).
    """
    cells = tarp_cells(episodes, definition)
    groups = episodes.groupby(cells)
    rows = []
    for (problem, handling), target in TARP_TARGETS.items():
        key = f"{problem}/{handling}"
        cell = groups.get_group(key) if key in groups.groups else episodes.iloc[:0]
        intention = float(cell.repurchase_intention.mean()) if len(cell) else float("nan")
        rows.append(
            {
                "definition": definition.name,
                "problem": problem,
                "handling": handling,
                "target": target,
                "episodes": len(cell),
                "retained": float(cell.retained.mean()) if len(cell) else float("nan"),
                "repurchase_intention": intention,
                "error": intention - target,
            }
        )
    return pd.DataFrame(rows)


def tarp_comparison(
    scenario: Scenario | None = None,
    replications: int = REPLICATIONS,
    definitions: Sequence[CellDefinition] = (*DEFINITIONS, HELD_OUT),
    workers: int = 1,
) -> pd.DataFrame:
    """Model against target for every TARP cell under each of ``definitions`` (by default the
    fitted ones and the held-out one), from the same simulated episodes."""
    episodes = simulated_episodes(scenario or Scenario(), replications, workers)
    return pd.concat([cell_table(episodes, d) for d in definitions], ignore_index=True)


def fit_tarp(
    scenario: Scenario | None = None,
    parameters: Sequence[str] = FITTED,
    replications: int = FIT_REPLICATIONS,
    max_evaluations: int = 500,
    workers: int = 2,
) -> tuple[dict[str, float], pd.DataFrame]:
    """Refit ``parameters`` so the simulated TARP cells of every definition in
    :data:`DEFINITIONS` come as close as they can to the targets.

    Minimises the sum of squared cell errors, plus :data:`EXCESS_WEIGHT` times the squared
    excess of any cell beyond :data:`TOLERANCE`, keeping the order of the justice weights, by
    Nelder–Mead from the scenario's values (the first simplex steps 20% of each value, at least
    0.05), on the same random numbers at every step. Returns
    the fitted values and their comparison table (with the held-out definition).
    """
    scenario = scenario or Scenario()
    start = np.array([float(scenario.value(key)) for key in parameters], dtype=float)

    def with_values(x: np.ndarray) -> Scenario | None:
        try:
            return scenario.with_values(**dict(zip(parameters, map(float, x), strict=True)))
        except ValueError:  # outside a parameter's valid range
            return None

    def loss(x: np.ndarray) -> float:
        candidate = with_values(x)
        if candidate is None or not justice_order_kept(candidate):
            return 1e3
        table = tarp_comparison(candidate, replications, DEFINITIONS, workers)
        errors = table.error.to_numpy()
        excess = np.clip(np.abs(errors) - TOLERANCE, 0.0, None)
        return float(
            np.nansum(errors**2)
            + EXCESS_WEIGHT * np.nansum(excess**2)
            + 1e3 * np.isnan(errors).sum()
        )

    steps = np.maximum(0.2 * np.abs(start), 0.05)
    simplex = np.vstack([start, start + np.diag(steps)])

    from scipy.optimize import minimize

    result = minimize(
        loss,
        start,
        method="Nelder-Mead",
        options={
            "maxfev": max_evaluations,
            "xatol": 1e-3,
            "fatol": 1e-5,
            "initial_simplex": simplex,
            "adaptive": True,
        },
    )
    fitted = dict(zip(parameters, map(float, result.x), strict=True))
    return fitted, tarp_comparison(scenario.with_values(**fitted), workers=workers)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The TARP calibration of the defaults.")
    parser.add_argument("--fit", action="store_true", help="refit the calibrated parameters")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 140)
    if args.fit:
        fitted, table = fit_tarp(workers=args.workers)
        for key, value in fitted.items():
            print(f"{key} = {value:.4g}")
    else:
        table = tarp_comparison(workers=args.workers)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    for name, errors in table.groupby("definition", sort=False).error:
        print(f"{name}: largest |error| {errors.abs().max():.3f}, mean {errors.abs().mean():.3f}")


if __name__ == "__main__":
    main()
