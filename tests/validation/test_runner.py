"""Running the catalogue (sim.validation.runner): shared conditions, the scenario under test, and
on the baseline every pattern holding and every knockout failing."""

from concurrent.futures import Future
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.scenario import Scenario
from sim.validation import published as published_rows
from sim.validation.fingerprint import code_fingerprint
from sim.validation.patterns import PATTERNS, pattern
from sim.validation.runner import (
    FALSIFIABLE,
    conditions_summed,
    distinct_conditions,
    roles,
    validate,
)
from sim.validation.targets import HOLDS


def test_patterns_share_their_conditions():
    assert len(distinct_conditions(PATTERNS)) < conditions_summed(PATTERNS)
    # P2, P3 and P4 contrast the same two intermediation levels: two runs between them.
    trio = [pattern(k) for k in ("P2", "P3", "P4")]
    model = {key for p in trio for key in roles(p, knockout=False).values()}
    assert len(model) == 2


def test_the_knockout_goes_on_top_of_each_condition():
    p = pattern("love_becomes_hate")
    for overrides in roles(p, knockout=True).values():
        assert dict(overrides)["satisfaction.relationship_moderation"] == 0.0
        assert "customers.relationship_initial" in dict(overrides)


class Recorder:
    """An executor that runs nothing and records the scenarios it was given."""

    def __init__(self):
        self.scenarios = []

    def submit(self, fn, scenario, replication, *, trace):
        self.scenarios.append(scenario)
        future = Future()
        future.set_result(fn(scenario, replication, trace=trace))
        return future


def test_every_condition_is_the_scenario_under_test_with_its_overrides():
    base = Scenario().with_values(
        **{"customers.count": 300, "providers.count": 4, "run.days": 5, "run.warmup_days": 0}
    )
    recorder = Recorder()
    found = validate(base, 2, recorder, [pattern("P1")])
    assert len(recorder.scenarios) == 2 * 2 * 2  # two roles, model and knockout, two replications
    assert {s.customers.count for s in recorder.scenarios} == {300}
    assert found.results[0].model.components[0].n == 2


ROOT = Path(__file__).resolve().parents[2]


def test_the_published_validation_was_written_by_this_code():
    """The rows the validation guide renders (docs/cache/validation-baseline.csv) carry the
    fingerprint of the code that wrote them; when it is this code's, they are the rows the
    guide's command writes now (a validation is deterministic), and the tests below read them.
    The full-baseline run itself is ``python bench/validation.py``."""
    assert published_rows.published_fingerprint(ROOT / published_rows.FILE) == code_fingerprint(), (
        f"the published validation was written by other code: refresh it with "
        f"`{published_rows.COMMAND}` then `python -m sim.validation.published results/validation`"
    )


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    """The published rows of the validation guide's command."""
    return pd.read_csv(ROOT / published_rows.FILE).set_index("key")


#: Patterns the default replications do not show on the baseline, and why (docs/guide/validation.md
#: says the same). Strict: each must start passing the day its gap is closed.
KNOWN_GAPS = {
    "compensation_gate": "a third of compensation's effect on the stated intention after the "
    "platform's failures minus its effect after providers' faults, +0.011, straddles 0 on 16 "
    "replications (inconclusive; about 39 would settle it)",
    "tarp_grid": "the cell of minor problems resolved, 5.7 points from its target, its interval "
    "reaching past 10 on 12 replications (inconclusive; about 35 would settle it)",
    "tarp_thirds": "held out: the cell of major problems resolved, not within 6 hours, 13.9 "
    "points above its target (does not hold): speed judgements fall only after the 24-hour "
    "target",
}


def _marked(key: str):
    if key in KNOWN_GAPS:
        return pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[key]))
    return key


@pytest.mark.parametrize("key", [_marked(p.key) for p in PATTERNS])
def test_on_the_baseline_every_pattern_holds_and_fails_under_its_knockout(baseline, key):
    row = baseline.loc[key]
    assert row.verdict == HOLDS, row.to_dict()
    assert row.falsification == FALSIFIABLE, row.to_dict()


def test_a_measure_undefined_in_a_tiny_world_is_inconclusive_without_warnings(tmp_path):
    """A tiny world has no peak trips in some replication: surge pricing's log ratio of rates is
    undefined there. The verdict says so (inconclusive), and nothing leaks to the terminal as a
    numpy warning (here an error, so a leak would fail the command)."""
    import warnings

    tiny = ["--set", "run.days=3", "--set", "customers.count=300", "--set", "providers.count=3"]
    argv = ["validate", "--pattern", "surge_odds", *tiny, "--set", "run.warmup_days=0"]
    argv += ["--reps", "2", "--executor", "inprocess", "--quiet", "--out", str(tmp_path / "v")]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert main(argv) == 0
    row = pd.read_csv(tmp_path / "v" / "validation.csv").iloc[0]
    assert row.key == "surge_odds" and row.verdict == "inconclusive"
