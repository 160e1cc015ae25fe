"""The TARP calibration of what customers say, from simulated episodes (MODEL.md 5.10,
sim.experiments.tarp_calibration)."""

from functools import cache

import pandas as pd
import pytest

from sim.experiments.tarp_calibration import (
    DEFINITIONS,
    HELD_OUT,
    TARP_TARGETS,
    CellDefinition,
    simulated_episodes,
    tarp_cells,
    tarp_comparison,
)
from sim.scenario import Scenario


@cache
def table(**overrides) -> pd.DataFrame:
    scenario = Scenario().with_values(**overrides)
    return tarp_comparison(scenario).set_index(["definition", "problem", "handling"])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("definition", "problem", "handling"),
    [(d.name, p, h) for d in DEFINITIONS for p, h in TARP_TARGETS],
)
def test_every_tarp_cell_is_within_ten_points_under_each_reading_of_the_cells(
    definition, problem, handling
):
    cell = table().loc[(definition, problem, handling)]
    assert cell.episodes >= 100, "too few simulated episodes in the cell to judge it"
    assert abs(cell.repurchase_intention - cell.target) <= 0.10, cell.to_dict()


@pytest.mark.slow
def test_what_customers_say_is_far_below_what_they_do():
    # TARP measured intentions; customers act on a small share of them (MODEL.md 5.15).
    cells = table().loc[[d.name for d in DEFINITIONS]]
    assert (cells.retained > cells.repurchase_intention).all()
    assert (cells.retained - cells.repurchase_intention).mean() > 0.3
    assert (cells.retained > 0.85).all()


@pytest.mark.slow
def test_handling_orders_intentions_as_tarp_does():
    for definition in DEFINITIONS:
        model = table().loc[definition.name].repurchase_intention
        for problem in ("minor", "major"):
            row = model[problem]
            assert row["resolved quickly"] > row["resolved"] > row["complained, unresolved"]
        # An unanswered complaint says more than silence after a minor problem; after a major one
        # the model leaves the two about level, where TARP finds 10 points between them (a
        # departure, MODEL.md 5.10).
        assert model["minor"]["complained, unresolved"] > model["minor"]["did not complain"]
        assert (model["minor"] > model["major"]).all()


@pytest.mark.slow
def test_speed_works_through_procedural_justice_and_the_worth_of_a_late_remedy():
    def speed_gap(t):
        halves = t.loc[DEFINITIONS[0].name].repurchase_intention
        return (halves.xs("resolved quickly", level=1) - halves.xs("resolved", level=1)).mean()

    knockout = table(
        **{"satisfaction.procedural_weight": 0.0, "satisfaction.late_remedy_discount": 0.0}
    )
    assert speed_gap(table()) > 0.12
    assert speed_gap(knockout) < 0.05  # without both, a late resolution is as good as a quick one


def test_the_fit_keeps_the_ordering_of_the_justice_weights():
    s = Scenario().satisfaction
    assert s.distributive_weight > s.interactional_weight > s.procedural_weight > 0


def test_the_held_out_reading_is_not_one_the_fit_uses():
    assert HELD_OUT.name not in {d.name for d in DEFINITIONS}
    assert all(
        (d.minor_below, d.major_from, d.quick_hours)
        != (HELD_OUT.minor_below, HELD_OUT.major_from, HELD_OUT.quick_hours)
        for d in DEFINITIONS
    )


def test_episodes_are_sorted_into_the_cells_by_cause_severity_complaint_payment_and_speed():
    episodes = pd.DataFrame(
        {
            "cause": ["aggregator"] * 6 + ["provider"],
            "earlier_recent_failures": [0, 0, 0, 0, 0, 0, 0],
            "severity": [0.2, 0.8, 0.3, 0.6, 0.4, 0.45, 0.2],
            "complained": [False, True, True, True, True, False, False],
            "compensation_paid": [0.0, 5.0, 5.0, 0.0, 2.0, 0.0, 0.0],
            "expected_compensation": [3.0, 5.0, 5.0, 4.0, 5.0, 3.0, 3.0],
            "recovery_delay": [float("nan"), 10.0, 30.0, 5.0, 5.0, float("nan"), float("nan")],
        }
    )
    halves = CellDefinition("h", "", minor_below=0.5, major_from=0.5, quick_hours=24.0)
    assert tarp_cells(episodes, halves).tolist() == [
        "minor/did not complain",
        "major/resolved quickly",
        "minor/resolved",
        "major/complained, unresolved",
        "",  # paid part of what was expected: no cell
        "minor/did not complain",
        "",  # not the platform's failure: TARP's respondents were failed by the firm itself
    ]
    repeated = episodes.assign(earlier_recent_failures=1)
    assert (tarp_cells(repeated, halves) == "").all()  # a run of problems is not TARP's cell
    strict = CellDefinition("s", "", minor_below=0.4, major_from=0.6, quick_hours=6.0)
    assert tarp_cells(episodes, strict).tolist() == [
        "minor/did not complain",
        "major/resolved",  # answered after 10 hours: not quick enough under this reading
        "minor/resolved",
        "major/complained, unresolved",
        "",
        "",  # severity 0.45: between minor and major
        "",
    ]


def test_the_calibration_worlds_episodes_do_not_depend_on_the_number_of_processes():
    small = Scenario().with_values(**{"customers.count": 300, "run.days": 10, "run.warmup_days": 0})
    one = simulated_episodes(small, replications=2, workers=1)
    two = simulated_episodes(small, replications=2, workers=2)
    pd.testing.assert_frame_equal(one, two)
