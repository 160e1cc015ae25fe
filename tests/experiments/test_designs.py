"""Sweep designs and --vary specs."""

import pytest

from sim.experiments.designs import (
    DesignError,
    design_points,
    design_warnings,
    factor,
    parse_factor,
)


def test_specs_become_factors():
    assert parse_factor("aggregator.intermediation=0:1:5").values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert parse_factor("aggregator.intermediation=0.1,0.9").values == (0.1, 0.9)
    assert parse_factor("aggregator.intermediation=0.2..0.8").bounds == (0.2, 0.8)
    assert parse_factor("recovery.policy=none,tiered").values == ("none", "tiered")
    assert parse_factor("surge.enabled=true,false").values == (True, False)
    assert parse_factor("customers.count=100:300:3").values == (100, 200, 300)
    assert factor("recovery.policy", ["none", "tiered"]).values == ("none", "tiered")


def test_a_grid_is_the_full_factorial_in_a_fixed_order():
    points = design_points(
        [
            parse_factor("aggregator.intermediation=0,1"),
            parse_factor("recovery.policy=none,tiered,fixed_share"),
        ],
        "grid",
        None,
        1,
    )
    assert len(points) == 6
    assert points[0] == {"aggregator.intermediation": 0.0, "recovery.policy": "none"}
    assert points[-1] == {"aggregator.intermediation": 1.0, "recovery.policy": "fixed_share"}


@pytest.mark.parametrize("design", ["lhs", "sobol"])
def test_sampled_designs_respect_bounds_types_and_seed(design):
    factors = [
        parse_factor("aggregator.intermediation=0.2..0.8"),
        parse_factor("customers.count=100..500"),
        parse_factor("recovery.policy=none,tiered"),
    ]
    points = design_points(factors, design, 16, root_seed=7)
    assert len(points) == 16
    assert all(0.2 <= p["aggregator.intermediation"] <= 0.8 for p in points)
    assert all(
        isinstance(p["customers.count"], int) and 100 <= p["customers.count"] <= 500 for p in points
    )
    assert {p["recovery.policy"] for p in points} == {"none", "tiered"}
    assert points == design_points(factors, design, 16, root_seed=7)
    assert points != design_points(factors, design, 16, root_seed=8)


def test_latin_hypercube_stratifies_each_factor():
    points = design_points([parse_factor("aggregator.intermediation=0..1")], "lhs", 10, 3)
    strata = sorted(int(p["aggregator.intermediation"] * 10) for p in points)
    assert strata == list(range(10))


def test_sobol_advises_a_power_of_two():
    assert design_warnings("sobol", 12) and "try 8 or 16" in design_warnings("sobol", 12)[0]
    assert design_warnings("sobol", 16) == [] and design_warnings("lhs", 12) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("aggregator.intermediation", "expected KEY=SPEC"),
        ("aggregator.intermedation=0:1:3", "did you mean 'aggregator.intermediation'"),
        ("aggregator.intermediation=0:2:3", "expected a number from 0 to 1"),
        ("aggregator.intermediation=0.8..0.2", "low < high"),
        ("aggregator.intermediation=0:1:zero", "whole count"),
        ("recovery.policy=lavish", "expected one of 'none'"),
        ("recovery.policy=0..1", "need a numeric parameter"),
        ("customers.count=1.5,2", "whole numbers"),
        ("surge.enabled=maybe", "true or false"),
        ("name=a,b", "cannot be varied"),
        ("demand.hourly_profile=1,2", "cannot be varied"),
    ],
)
def test_bad_specs_are_explained(spec, expected):
    with pytest.raises(DesignError, match=expected.replace(".", r"\.").replace("(", r"\(")):
        parse_factor(spec)


def test_design_level_errors():
    bounds = [parse_factor("aggregator.intermediation=0..1")]
    with pytest.raises(DesignError, match="bounds need a sampled design"):
        design_points(bounds, "grid", None, 1)
    with pytest.raises(DesignError, match="number of samples"):
        design_points(bounds, "lhs", None, 1)
    with pytest.raises(DesignError, match="at least one varied parameter"):
        design_points([], "grid", None, 1)
