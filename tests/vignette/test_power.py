"""Power by simulation (MODEL.md 12.5): where the analytic power of the t-test applies (an effect
between two conditions) the simulation matches it; without the effect, power falls to alpha."""

from __future__ import annotations

import pytest

from sim.vignette.design import load_design
from sim.vignette.power import power_curves
from tests.vignette.conftest import STUDIES, TWO_CELLS


@pytest.mark.slow
def test_the_power_of_a_two_condition_study_matches_the_analytic_t_test_power(write_design):
    design = load_design(write_design(TWO_CELLS.replace("[0.2, 0.8]", "[0.3, 0.6]")))
    result = power_curves(
        design, design.effects, [15, 40, 80], studies=5000, pool_size=100_000
    ).table
    # 5,000 studies: the simulated power's standard error is at most 0.7 points, the effect size's
    # (from 100,000 respondents a condition) moves the analytic power by less than 0.6
    assert result.power.between(0.15, 0.95).all(), result.power  # steep part of the curve
    for row in result.itertuples():
        assert abs(row.power - row.analytic_power) < 0.03, row


def test_without_the_mechanism_power_is_the_test_level(write_design):
    path = write_design(TWO_CELLS)
    knocked_out = load_design(path, ["attribution.intermediation_weight=0"])
    row = power_curves(
        knocked_out, knocked_out.effects, [30], studies=1500, pool_size=1000
    ).table.iloc[0]
    assert row.power == pytest.approx(0.05, abs=0.02)  # 1,500 studies: SE 0.56 points
    intact = load_design(path)
    result = power_curves(intact, intact.effects, [30], studies=200, pool_size=1000)
    assert result.table.power.iloc[0] > 0.9


@pytest.mark.slow
def test_power_rises_with_the_sample_and_the_target_is_reached_where_it_says():
    design = load_design(STUDIES / "intermediation_by_cause.toml")
    p4 = [e for e in design.effects if e.name == "P4"]
    result = power_curves(design, p4, [10, 30, 60, 120], studies=400, target=0.8)
    power = result.table.power.to_list()
    assert power == sorted(power) and power[0] < 0.5 < 0.95 < power[-1]
    reached = result.reaching.iloc[0]
    first = result.table[result.table.power >= 0.8].n_per_cell.min()
    assert reached.n_per_cell == first
    # pooled over the cause factor, the test is not the two-condition t-test: no analytic power
    assert result.table.analytic_power.isna().all()


def test_repeats_are_simulated_in_batches_that_bound_the_memory(write_design, monkeypatch):
    import sim.vignette.power as power

    design = load_design(write_design(TWO_CELLS))
    monkeypatch.setattr(power, "BATCH_ANSWERS", 40 * 3 * 2 * 7)  # 7 repeats a batch
    pool = power.draw_latent(design, 500, power.stream(1, "latent"))
    noise = power.item_noise(design)["control"]
    rng = power.stream(1, "answers")
    p, difference = power._repeated_tests(design, pool, design.effects[0], noise, 40, 30, 500, rng)
    assert p.shape == difference.shape == (30,)
    assert ((p >= 0) & (p <= 1)).all() and (difference > 0).mean() > 0.9


def test_a_power_of_one_from_twenty_studies_has_an_interval_that_says_how_little_they_show(
    write_design,
):
    """Wilson's interval: twenty rejections in twenty studies leave the power anywhere from
    0.84 to 1 (the normal approximation's interval was [1, 1])."""
    design = load_design(write_design(TWO_CELLS))
    row = power_curves(design, design.effects, [300], studies=20, pool_size=1000).table.iloc[0]
    assert row.power == 1.0
    assert row.ci_low == pytest.approx(0.839, abs=0.001) and row.ci_high == pytest.approx(1.0)


def test_too_few_studies_is_one_line(tmp_path):
    from tests.conftest import assert_user_error

    design = str(STUDIES / "intermediation_by_cause.toml")
    assert_user_error(["power", design, "--studies", "5"], "at least 10", tmp_path)


def test_a_power_analysis_too_large_is_refused_before_it_starts(tmp_path):
    """A trillion studies ran on (still running after 300 s); now one line with the estimate,
    and nothing written. --force would start it."""
    import time

    from tests.conftest import assert_user_error

    design = str(STUDIES / "intermediation_by_cause.toml")
    out = tmp_path / "power"
    started = time.monotonic()
    args = ["power", design, "--studies", "1000000000000", "--out", str(out)]
    assert_user_error(args, "more than 24 hours; fewer --studies", tmp_path)
    assert time.monotonic() - started < 30 and not out.exists()


def test_the_size_estimate_counts_every_simulated_answer():
    from sim.vignette.power import simulated_answers

    design = load_design(STUDIES / "intermediation_by_cause.toml")
    p4 = [e for e in design.effects if e.name == "P4"]
    items = len(design.measure(p4[0].measure).items)
    assert simulated_answers(design, p4, [10, 30], 100) == 100 * (10 + 30) * items * 4
