"""Running the catalogue (sim.validation.runner): shared conditions, the scenario under test, and
on the baseline every pattern holding and every knockout failing."""

import contextlib
import io
import shlex
from concurrent.futures import Future

import pandas as pd
import pytest

from sim.cli import main
from sim.scenario import Scenario
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
        **{"customers.count": 150, "providers.count": 3, "run.days": 3, "run.warmup_days": 0}
    )
    recorder = Recorder()
    found = validate(base, 2, recorder, [pattern("P1")])
    assert len(recorder.scenarios) == 2 * 2 * 2  # two roles, model and knockout, two replications
    assert {s.customers.count for s in recorder.scenarios} == {150}
    assert found.results[0].model.components[0].n == 2


#: The validation guide's command (docs/guide/validation.md). It is run here, in a folder of its
#: own, exactly as the guide shows it, and its verdicts are checked; the site's build leaves it to
#: this module.
DOCS_COMMAND = "aggsim validate --out results/validation"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> pd.DataFrame:
    """``validation.csv`` of the validation guide's command: the baseline, every pattern, the
    default number of paired replications."""
    workspace = tmp_path_factory.mktemp("docs-validation")
    argv = shlex.split(DOCS_COMMAND)
    with contextlib.chdir(workspace), contextlib.redirect_stdout(io.StringIO()):
        assert main(argv[1:]) == 0
    return pd.read_csv(workspace / argv[-1] / "validation.csv").set_index("key")


@pytest.mark.slow
@pytest.mark.parametrize("key", [p.key for p in PATTERNS])
def test_on_the_baseline_every_pattern_holds_and_fails_under_its_knockout(baseline, key):
    row = baseline.loc[key]
    assert row.verdict == HOLDS, row.to_dict()
    assert row.falsification == FALSIFIABLE, row.to_dict()
