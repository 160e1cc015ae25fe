"""The validation catalogue (sim.validation.patterns): its exact patterns on the scenario under
test, and that every pattern is complete and can fail."""

import re
from pathlib import Path

import pytest

from sim.scenario import Scenario
from sim.validation.patterns import KEYS, PATTERNS, PROPOSITIONS, pattern
from sim.validation.report import catalogue_markdown
from sim.validation.runner import measure
from sim.validation.targets import DOES_NOT_HOLD, HOLDS

ROOT = Path(__file__).resolve().parents[2]
EXACT = [p.key for p in PATTERNS if p.exact]


def test_the_catalogue_has_at_least_sixteen_complete_patterns():
    assert len(PATTERNS) >= 16 and len(set(KEYS)) == len(KEYS)
    assert {"P1", "P2", "P3", "P4"} <= set(PROPOSITIONS)
    assert {p.level for p in PATTERNS} == {"episode", "customer", "provider", "platform"}
    for p in PATTERNS:
        assert p.statement and p.source and p.experiment and p.target_basis, p.key
        assert p.knockout and p.knockout_meaning, p.key
        assert re.search(r"\d{4}|model|MODEL", p.source), p.key  # a year, or says it is ours
        Scenario().with_values(**p.knockout)  # every knockout is a valid setting
        for overrides in p.conditions.values():
            Scenario().with_values(**overrides)


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
