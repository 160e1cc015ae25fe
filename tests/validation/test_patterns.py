"""The validation catalogue (sim.validation.patterns): its exact patterns on the scenario under
test, and that every pattern is complete and can fail."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from sim.scenario import Scenario
from sim.validation.pattern import check_catalogue
from sim.validation.patterns import (
    PATTERNS,
    VALIDATION,
    pattern,
    pattern_keys,
)
from sim.validation.report import catalogue_markdown
from sim.validation.runner import measure
from sim.validation.targets import DOES_NOT_HOLD, HOLDS

ROOT = Path(__file__).resolve().parents[2]
EXACT = [p.key for p in PATTERNS if p.exact]


def test_the_catalogue_has_at_least_sixteen_complete_patterns():
    assert len(PATTERNS) >= 16 and len(set(pattern_keys())) == len(pattern_keys())
    assert {"P1", "P2", "P3", "P4"} <= set(pattern_keys(propositions_only=True))
    assert {p.level for p in PATTERNS} == {"episode", "customer", "provider", "platform"}
    for p in PATTERNS:
        assert p.statement and p.source and p.experiment and p.target_basis, p.key
        assert p.knockout and p.knockout_meaning, p.key
        assert re.search(r"\d{4}|model|MODEL", p.source), p.key  # a year, or says it is ours
        Scenario().with_values(**p.knockout)  # every knockout is a valid setting
        for overrides in p.conditions.values():
            Scenario().with_values(**overrides)


def test_every_validation_pattern_has_outside_evidence_and_a_two_sided_target():
    validations = [p for p in PATTERNS if p.kind == VALIDATION]
    assert len(validations) >= 5
    for p in validations:
        assert p.evidence is not None and p.source, p.key
        e = p.evidence
        assert e.population and e.measure and e.estimate, p.key
        low, high = p.target.bounds  # a range: a directional target has no upper bound
        assert low < high, p.key
        assert re.search(r"\d", p.target_basis), p.key  # the numbers it comes from


def test_a_validation_pattern_without_an_upper_bound_is_refused():
    one_sided = replace(
        pattern("surge_odds"), target=pattern("P1").target, key="one_sided_validation"
    )
    with pytest.raises(ValueError, match="two-sided"):
        check_catalogue([*PATTERNS, one_sided])
    sourceless = replace(pattern("consumer_churn"), source="", key="sourceless")
    with pytest.raises(ValueError, match="source"):
        check_catalogue([*PATTERNS, sourceless])


def test_the_catalogue_tells_what_people_say_from_what_they_do():
    said = {p.key for p in PATTERNS if p.evidence is not None and p.evidence.said}
    done = {p.key for p in PATTERNS if p.evidence is not None and not p.evidence.said}
    assert "tarp_grid" in said and {"spend_after_late_delivery", "consumer_churn"} <= done
    held_out = {p.key for p in PATTERNS if p.evidence is not None and not p.evidence.fitted}
    assert held_out, "the held-out set is what the model predicts"


@pytest.mark.parametrize("key", EXACT)
def test_an_exact_pattern_holds_on_the_defaults_and_fails_under_its_knockout(key):
    p = pattern(key)
    assert measure(p, Scenario(), None, knockout=False).verdict == HOLDS
    assert measure(p, Scenario(), None, knockout=True).verdict == DOES_NOT_HOLD


def test_the_justice_order_is_measured_on_the_scenario_given_not_the_defaults():
    # A scenario where distributive justice weighs least: the ordering must fail.
    weak = Scenario().with_values(**{"satisfaction.distributive_weight": 0.05})
    assert measure(pattern("justice_order"), weak, None, knockout=False).verdict == DOES_NOT_HOLD


def test_the_compensation_curves_follow_the_scenario():
    flat = Scenario().with_values(**{"satisfaction.rejected_midpoint": 0.0})
    assert measure(pattern("compensation_curves"), flat, None, knockout=False).verdict == (
        DOES_NOT_HOLD
    )


def test_model_md_lists_the_catalogue_as_generated_from_the_package():
    text = (ROOT / "docs" / "MODEL.md").read_text(encoding="utf-8")
    assert catalogue_markdown() in text, "regenerate with: python -m sim.validation.report"


def test_a_new_pattern_is_one_catalogue_entry(monkeypatch, tmp_path):
    """A pattern added to the catalogue, and nothing else, is offered by ``aggsim validate``,
    measured under its knockout, and written to the folder's tables."""
    import pandas as pd

    from sim.cli import main
    from sim.validation import patterns
    from sim.validation.pattern import Pattern
    from sim.validation.targets import Target

    dummy = Pattern(
        key="dummy_intermediation",
        statement="The scenario's intermediation is read as given",
        source="a test",
        level="platform",
        experiment="the scenario's intermediation",
        target=Target(above=0.3),
        target_basis="a test",
        knockout={"aggregator.intermediation": 0.0},
        knockout_meaning="no intermediation",
        measure=lambda runs, scenario: [scenario.aggregator.intermediation],
    )
    argv = ["validate", "--pattern", dummy.key, "--executor", "inprocess", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "before")]) == 2, "not in the catalogue yet"
    monkeypatch.setattr(patterns, "PATTERNS", (*patterns.PATTERNS, dummy))
    assert dummy.key in patterns.pattern_keys() and dummy.key not in patterns.pattern_keys(
        propositions_only=True
    )
    assert main([*argv, "--out", str(tmp_path / "after")]) == 0
    row = pd.read_csv(tmp_path / "after" / "validation.csv").set_index("key").loc[dummy.key]
    assert (row.verdict, row.knockout_verdict) == (HOLDS, DOES_NOT_HOLD)
    assert dummy.key in (tmp_path / "after" / "validation.md").read_text(encoding="utf-8")
