"""The TARP calibration from simulated episodes (MODEL.md 5.10, sim.calibration)."""

from functools import cache

import pandas as pd
import pytest

from sim.calibration import TARP_TARGETS, tarp_cells, tarp_comparison
from sim.scenario import Scenario


@cache
def table(**overrides) -> pd.DataFrame:
    return tarp_comparison(Scenario().with_values(**overrides)).set_index(["problem", "handling"])


@pytest.mark.slow
@pytest.mark.parametrize(("problem", "handling"), list(TARP_TARGETS))
def test_every_tarp_cell_is_within_ten_points(problem, handling):
    cell = table().loc[(problem, handling)]
    assert cell.episodes >= 200, "too few simulated episodes in the cell to judge it"
    assert abs(cell.stay_probability - cell.target) <= 0.10, cell.to_dict()
    # The draws agree with the chance of staying they were drawn from.
    assert abs(cell.retained - cell.stay_probability) < 0.05


@pytest.mark.slow
def test_handling_orders_retention_as_tarp_does():
    model = table().stay_probability
    for problem in ("minor", "major"):
        row = model[problem]
        assert (
            row["resolved quickly"]
            > row["resolved"]
            > row["complained, unresolved"]
            > row["did not complain"]
        )
    assert (model["minor"] > model["major"]).all()


@pytest.mark.slow
def test_speed_works_through_procedural_justice_and_the_worth_of_a_late_remedy():
    def speed_gap(t):
        return (
            t.stay_probability.xs("resolved quickly", level=1)
            - t.stay_probability.xs("resolved", level=1)
        ).mean()

    knockout = table(
        **{"satisfaction.procedural_weight": 0.0, "satisfaction.late_remedy_discount": 0.0}
    )
    assert speed_gap(table()) > 0.15
    assert speed_gap(knockout) < 0.05  # without both, a late resolution is as good as a quick one


def test_the_fit_keeps_the_ordering_of_the_justice_weights():
    s = Scenario().satisfaction
    assert s.distributive_weight > s.interactional_weight > s.procedural_weight > 0


def test_episodes_are_sorted_into_the_cells_by_severity_complaint_payment_and_speed():
    episodes = pd.DataFrame(
        {
            "severity": [0.2, 0.8, 0.3, 0.6, 0.4],
            "complained": [False, True, True, True, True],
            "compensation_paid": [0.0, 5.0, 5.0, 0.0, 2.0],
            "expected_compensation": [3.0, 5.0, 5.0, 4.0, 5.0],
            "recovery_delay": [float("nan"), 10.0, 30.0, 5.0, 5.0],
        }
    )
    assert tarp_cells(episodes, 24.0).tolist() == [
        "minor/did not complain",
        "major/resolved quickly",
        "minor/resolved",
        "major/complained, unresolved",
        "",  # paid part of what was expected: no cell
    ]
