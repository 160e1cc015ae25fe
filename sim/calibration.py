"""Calibration of satisfaction and retention against the TARP table, by simulation (MODEL.md 5.10).

TARP reports the share of customers retained after a minor or a major problem, by how it was
handled. The model is held to it the way TARP measured it: failure episodes are simulated in a
*calibration world* and sorted into TARP's eight cells, and each cell's share retained is set
beside the target (:func:`tarp_comparison`).

The calibration world is the scenario under calibration with a recovery that produces all four
kinds of handling, as TARP's respondents met them: the platform pays exactly what the customer
expects (``match_expectation`` without estimation error) and apologises, a quarter of the
recoveries come only after twice the target time or later (exponential delays with a mean of the
target time, 24 h), and a daily compensation budget leaves the day's later complaints without
compensation. Episodes are sorted as follows:

=======================  =============================================================
minor / major            severity below / at least :data:`MAJOR_FROM`
resolved quickly         complained; paid what was expected; answered within the target
resolved                 complained; paid what was expected; answered after the target
complained, unresolved   complained; paid nothing (the apology is still given)
did not complain         no complaint, so no recovery
=======================  =============================================================

Complaints paid part of what they expected (the one at which the day's budget runs out) fall in no
cell. The apology is the same in every complained cell, so speed works only through procedural
justice and the lower worth of a late remedy (``satisfaction.late_remedy_discount``).

:func:`fit_tarp` refits a chosen set of parameters by Nelder–Mead on the mean stay probability of
each cell, with common random numbers, so the fit is deterministic:
``python -m sim.calibration`` prints the fit of the defaults and, with ``--fit``, refits.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.replication import run_replication
from sim.scenario import Scenario

#: Share retained (TARP, via secondary sources), by problem and handling (MODEL.md 5.10).
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

#: Severity from which a problem counts as major.
MAJOR_FROM = 0.5

#: How the calibration world differs from the scenario it calibrates.
CALIBRATION_WORLD: dict[str, object] = {
    "recovery.policy": "match_expectation",
    "recovery.estimate_noise": 0.0,
    "recovery.apology": True,
    "recovery.proactive": False,
    "recovery.delay_mean_hours": 24.0,
    "recovery.target_hours": 24.0,
    "recovery.daily_budget": 150.0,
}

#: Replications of the calibration world behind a comparison, and behind each step of the fit
#: (fewer, for speed; the cells then carry a few points of noise, which the comparison averages
#: out). Both use common random numbers.
REPLICATIONS = 10
FIT_REPLICATIONS = 3

#: The parameters :func:`fit_tarp` refits by default, with the defaults' fitted values.
FITTED = (
    "retention.intercept",
    "retention.satisfaction_weight",
    "satisfaction.loss_base",
    "satisfaction.loss_floor",
    "satisfaction.lasting_harm",
    "satisfaction.late_remedy_discount",
    "satisfaction.rejected_midpoint",
)

#: Cells further than this from their target are penalised in the fit, beyond squared error.
TOLERANCE = 0.06


def calibration_world(scenario: Scenario) -> Scenario:
    """The scenario with the recovery of the calibration world (see the module's docstring)."""
    return scenario.with_values(**CALIBRATION_WORLD)


def tarp_cells(episodes: pd.DataFrame, target_hours: float) -> pd.Series:
    """Each episode's TARP cell as ``"problem/handling"``, or empty when it falls in none."""
    problem = np.where(episodes.severity >= MAJOR_FROM, "major", "minor")
    paid_in_full = episodes.compensation_paid >= episodes.expected_compensation * (1 - 1e-9)
    quick = episodes.recovery_delay <= target_hours
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
    return cells.where(handling != "", "")


def simulated_episodes(scenario: Scenario, replications: int = REPLICATIONS) -> pd.DataFrame:
    """The calibration world's failure episodes over ``replications``, with their TARP cell."""
    world = calibration_world(scenario)
    frames = [run_replication(world, r, trace=True).episodes for r in range(replications)]
    episodes = pd.concat(frames, ignore_index=True)
    episodes["tarp_cell"] = tarp_cells(episodes, world.recovery.target_hours)
    return episodes


def tarp_comparison(
    scenario: Scenario | None = None, replications: int = REPLICATIONS
) -> pd.DataFrame:
    """Model against target for every TARP cell.

    Columns: problem, handling, target, episodes (how many fell in the cell), retained (share
    that stayed), stay_probability (mean chance of staying, the same measure without the draw's
    noise), error (stay_probability − target).
    """
    episodes = simulated_episodes(scenario or Scenario(), replications)
    by_cell = episodes.groupby("tarp_cell")
    rows = []
    for (problem, handling), target in TARP_TARGETS.items():
        key = f"{problem}/{handling}"
        cell = by_cell.get_group(key) if key in by_cell.groups else episodes.iloc[:0]
        stay = float(cell.stay_probability.mean()) if len(cell) else float("nan")
        rows.append(
            {
                "problem": problem,
                "handling": handling,
                "target": target,
                "episodes": len(cell),
                "retained": float(cell.retained.mean()) if len(cell) else float("nan"),
                "stay_probability": stay,
                "error": stay - target,
            }
        )
    return pd.DataFrame(rows)


def fit_tarp(
    scenario: Scenario | None = None,
    parameters: Sequence[str] = FITTED,
    replications: int = FIT_REPLICATIONS,
    max_evaluations: int = 500,
) -> tuple[dict[str, float], pd.DataFrame]:
    """Refit ``parameters`` so the simulated TARP cells come as close as they can to the targets.

    Minimises the sum of squared cell errors, plus ten times the squared excess of any cell
    beyond :data:`TOLERANCE`, by Nelder–Mead from the scenario's values (the first simplex
    steps 20% of each value, at least 0.05), on the same random numbers at every step. Returns
    the fitted values and their comparison table.
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
        if candidate is None:
            return 1e3
        errors = tarp_comparison(candidate, replications).error.to_numpy()
        excess = np.clip(np.abs(errors) - TOLERANCE, 0.0, None)
        return float(
            np.nansum(errors**2) + 10.0 * np.nansum(excess**2) + 1e3 * np.isnan(errors).sum()
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
    return fitted, tarp_comparison(scenario.with_values(**fitted))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The TARP calibration of the defaults.")
    parser.add_argument("--fit", action="store_true", help="refit the calibrated parameters")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 120)
    if args.fit:
        fitted, table = fit_tarp()
        for key, value in fitted.items():
            print(f"{key} = {value:.4g}")
    else:
        table = tarp_comparison()
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"largest |error| {table.error.abs().max():.3f}, mean {table.error.abs().mean():.3f}")


if __name__ == "__main__":
    main()
