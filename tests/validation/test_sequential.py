"""Validation that stops when it knows (sim.validation.sequential and the runner's looks)."""

from concurrent.futures import Future
from types import SimpleNamespace

import pytest

from sim.scenario import Scenario
from sim.validation.pattern import Pattern
from sim.validation.runner import validate
from sim.validation.sequential import interval_level, looks, rule_text
from sim.validation.targets import DOES_NOT_HOLD, HOLDS, INCONCLUSIVE, Target, estimate


class Alternating:
    """An executor that runs nothing: replication r of the condition of effect e (intermediation
    0.5 + e) yields the value e + 0.1·(−1)^r, and every submission is counted by condition."""

    def __init__(self):
        self.submitted: dict[float, list[int]] = {}

    def submit(self, fn, scenario, replication, *, trace):
        effect = scenario.aggregator.intermediation
        self.submitted.setdefault(effect, []).append(replication)
        value = effect - 0.5 + 0.1 * (-1) ** replication
        future = Future()
        future.set_result(SimpleNamespace(result=SimpleNamespace(kpis={"value": value})))
        return future


def alternating(key: str, effect: float) -> Pattern:
    """A pattern whose estimate is ``effect`` (above 0 to hold), its knockout's −``effect``."""
    return Pattern(
        key=key,
        statement="A test's effect is positive",
        source="a test",
        level="platform",
        experiment="alternating values",
        target=Target(above=0.0),
        target_basis="a test",
        knockout={"aggregator.intermediation": 0.5 - effect},
        knockout_meaning="the effect reversed",
        measure=lambda runs, scenario: [r.kpis["value"] for r in runs["only"]],
        conditions={"only": {"aggregator.intermediation": 0.5 + effect}},
    )


def test_the_looks_double_up_to_the_most_and_the_intervals_widen_with_their_number():
    assert looks(4, 16) == (4, 8, 16) and looks(4, 4) == (4,) and looks(3, 10) == (3, 6, 10)
    assert interval_level(4, 4) == pytest.approx(0.95)
    assert interval_level(4, 16) == pytest.approx(1 - 0.05 / 3)
    assert "98.3%" in rule_text(4, 16) and "95%" in rule_text(4, 4)


def test_an_unsettled_pattern_gets_more_replications_and_a_settled_one_does_not():
    clear, unsettled = alternating("clear", 0.4), alternating("unsettled", 0.1)
    executor = Alternating()
    found = validate(Scenario(), 4, executor, [clear, unsettled], most=16)
    by_key = {r.pattern.key: r for r in found.results}
    # At 98.3%, ±0.1 around 0.4 holds at 4 (lower bound +0.12); around 0.1 it needs 16 (lower
    # bounds −0.18 at 4, −0.018 at 8, +0.030 at 16).
    assert (by_key["clear"].model.verdict, by_key["clear"].replications) == (HOLDS, 4)
    assert by_key["clear"].knockout.verdict == DOES_NOT_HOLD
    assert (by_key["unsettled"].model.verdict, by_key["unsettled"].replications) == (HOLDS, 16)
    assert by_key["unsettled"].knockout.verdict == DOES_NOT_HOLD
    assert sorted(executor.submitted[0.9]) == list(range(4))  # the clear pattern's condition
    assert sorted(executor.submitted[0.6]) == list(range(16))  # each replication run once
    assert by_key["unsettled"].model.estimate.n == 16


def test_knockout_with_one_look_the_unsettled_pattern_stays_inconclusive():
    found = validate(Scenario(), 4, Alternating(), [alternating("unsettled", 0.1)], most=4)
    (result,) = found.results
    assert (result.model.verdict, result.replications) == (INCONCLUSIVE, 4)
    # one look: a plain 95% interval
    e, expected = result.model.estimate, estimate([0.2, 0.0, 0.2, 0.0], 0.95)
    assert (e.mean, e.low, e.high, e.n) == pytest.approx(
        (expected.mean, expected.low, expected.high, expected.n)
    )


def test_a_pattern_the_most_replications_would_not_settle_stops_at_the_first_look():
    executor = Alternating()
    found = validate(Scenario(), 4, executor, [alternating("tiny", 0.02)], most=16)
    (result,) = found.results
    assert result.settles_at > 16  # futile: more looks could not settle it
    assert (result.model.verdict, result.replications) == (INCONCLUSIVE, 4)
    assert sorted(executor.submitted[0.52]) == list(range(4))
