"""The classroom demo: pinned output (golden files), speed, and a story's content."""

import math
import re
import time
from collections import namedtuple
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.teaching.demo
from sim import run_replication
from sim.cli import main
from sim.outputs import wording
from sim.teaching.demo import demo_scenario, story

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.mark.parametrize(
    ("args", "golden"),
    [([], "demo_seed_7.out"), (["--seed", "3", "--follow", "9"], "demo_seed_3_follow_9.out")],
)
def test_the_demo_output_is_pinned(args, golden, capsys):
    """If the model changes on purpose, regenerate with: aggsim demo ARGS > tests/golden/FILE."""
    assert main(["demo", *args]) == 0
    assert capsys.readouterr().out == (GOLDEN / golden).read_text(encoding="utf-8")


def test_the_demo_is_quick_and_plain(capsys):
    start = time.perf_counter()
    assert main(["demo", "--seed", "11"]) == 0
    assert time.perf_counter() - start < 10
    out = capsys.readouterr().out
    assert "\x1b[" not in out  # no colour codes
    assert "Episode 1 (day" in out and "Reading:" in out
    assert max(len(line) for line in out.splitlines()) <= 90


def test_a_story_says_who_is_blamed_what_is_expected_and_what_happens(capsys):
    assert main(["demo"]) == 0
    first = capsys.readouterr().out.split("\n\n")[1].replace("\n  ", " ")
    for phrase in ("sees the platform", "responsible", "expects", "Satisfaction", "the customer"):
        assert phrase in first


def test_a_teaching_scenario_runs_in_the_demo(capsys):
    scenario = (
        Path(__file__).resolve().parents[2] / "scenarios" / "teaching" / "surge_and_drivers.toml"
    )
    assert main(["demo", "--scenario", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "Two platforms" in out
    assert "Surge pricing: in the rush hours prices were 2 times the usual" in out  # the lesson


def test_the_episode_quoted_in_the_teaching_guide_is_what_the_demo_prints():
    guide = Path(__file__).resolve().parents[2] / "docs" / "guide" / "teaching.md"
    quoted = (
        guide.read_text(encoding="utf-8")
        .split("(from `aggsim demo`):\n\n```\n", 1)[1]
        .split("```", 1)[0]
    )
    assert quoted.strip() and quoted in (GOLDEN / "demo_seed_7.out").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- stories hold to numbers

STORY_FIELDS = (
    "time",
    "segment",
    "customer_id",
    "failure_class",
    "kind",
    "outcome",
    "provider_kind",
    "cause",
    "severity",
    "surge",
    "explained",
    "explanation_blames",
    "perceived_control",
    "perceived_controllability",
    "aggregator_responsibility",
    "provider_responsibility",
    "expected_compensation",
    "price",
    "expected_punishment",
    "complained",
    "recovery_delay",
    "compensation_paid",
    "apology",
    "provider_rating",
    "satisfaction_before",
    "satisfaction_after",
    "retained",
    "leave_probability",
)
Row = namedtuple("Row", STORY_FIELDS)
NUMBER = r"(\d+\.\d\d)"


def contradictions(row, text: str) -> list[str]:
    """Every claim of a story that its own numbers (as printed) do not bear out, by the
    thresholds of sim.outputs.wording; an independent reading of the text, not the story's code."""
    text = " ".join(text.split())
    found = []

    def claim(pattern: str, holds) -> None:
        for match in re.finditer(pattern, text):
            values = [float(v) for v in match.groups()]
            if not holds(*values):
                found.append(f"{match.group(0)!r}")

    high = lambda v: v >= wording.HIGH_FROM  # noqa: E731
    low = lambda v: v < wording.LOW_BELOW  # noqa: E731
    middling = lambda v: not high(v) and not low(v)  # noqa: E731
    claim(rf"sees the platform in control \({NUMBER}\)", high)
    claim(rf"sees the platform as a bystander \({NUMBER}\)", low)
    claim(rf"unsure whether the platform was in control \({NUMBER}\)", middling)
    for opening, agrees in (("Because", True), ("Although", False)):
        suggests = "only lists" not in text.split(f"{opening} the platform")[-1][:40]
        if f"{opening} the platform" in text:
            expect_high = suggests == agrees
            claim(
                rf"{opening} the platform [^(]*\(intermediation [\d.]+\), the customer sees the "
                rf"platform (?:in control|as a bystander) \({NUMBER}\)",
                high if expect_high else low,
            )
    claim(rf"believing it could have prevented this \({NUMBER}\)", lambda v: v >= 0.5)
    claim(rf"doubting it could have prevented this \({NUMBER}\)", lambda v: v < 0.5)
    margin = wording.CLEAR_MARGIN
    claim(rf"holds it mostly responsible \({NUMBER} against {NUMBER}", lambda a, b: a - b > margin)
    claim(
        rf"holds the provider mostly responsible \({NUMBER} against {NUMBER}",
        lambda a, b: a - b > margin,
    )
    claim(
        rf"about equally responsible \({NUMBER} and {NUMBER}\)", lambda a, b: abs(a - b) <= margin
    )
    claim(rf"and holds it responsible \({NUMBER}\)", high)  # not "partly" nor "hardly"
    claim(rf"holds it partly responsible \({NUMBER}\)", middling)
    claim(rf"hardly holds it responsible \({NUMBER}\)", low)
    claim(rf"and wants the provider punished \({NUMBER}\)", high)
    claim(rf"wants the provider punished somewhat \({NUMBER}\)", middling)
    claim(rf"hardly wants the provider punished \({NUMBER}\)", low)
    punished = re.search(
        rf"punished(?: somewhat)? \({NUMBER}\)|hardly wants the provider "
        rf"punished \({NUMBER}\)",
        text,
    )
    stars = re.search(r"(Yet the|The) customer rates the provider (\d) star", text)
    if punished and stars:
        wanted = float(punished.group(1) or punished.group(2))
        surprising = (int(stars[2]) >= 4 and high(wanted)) or (int(stars[2]) <= 2 and low(wanted))
        if surprising != (stars[1] == "Yet the"):
            found.append(stars.group(0))
    claim(rf"-> {NUMBER}; the customer stays \(", lambda v: not low(v))
    claim(rf"-> {NUMBER}; the customer leaves \(", lambda v: not high(v))
    if row.surge and "surge hour" not in text:
        found.append("a surge order not told as one")
    shifted = row.explanation_blames == "provider" and row.cause == "aggregator"
    if shifted and "blame shifting" not in text:
        found.append("blame shifting not told")
    for field in ("perceived_control", "aggregator_responsibility", "satisfaction_after"):
        if f"{round(getattr(row, field), 2):.2f}" not in text:
            found.append(f"{field} not printed as it is")
    return found


@st.composite
def episode_rows(draw):
    value = lambda: draw(st.floats(0, 1))  # noqa: E731
    near = draw(st.floats(0, 1))
    with_provider = draw(st.booleans())
    cause = draw(st.sampled_from(["aggregator", "provider", "external"]))
    explained = draw(st.booleans())
    return Row(
        time=draw(st.floats(0, 24 * 7)),
        segment=draw(st.sampled_from(["general", "key_account"])),
        customer_id=draw(st.integers(0, 99)),
        failure_class=draw(st.sampled_from(["glitch", "no_supply", "provider_fault", "external"])),
        kind=draw(st.sampled_from(["core", "encounter"])),
        outcome=draw(st.sampled_from(["accepted", "rejected"])),
        provider_kind=draw(st.sampled_from(["individual", "firm"])),
        cause=cause,
        severity=value(),
        surge=draw(st.booleans()),
        explained=explained,
        explanation_blames=draw(st.sampled_from(["platform", "provider", "outside"]))
        if explained
        else "",
        perceived_control=value(),
        perceived_controllability=value(),
        # responsibilities often close to each other, where a careless word would contradict
        aggregator_responsibility=near,
        provider_responsibility=(
            min(1.0, max(0.0, near + draw(st.floats(-0.12, 0.12)))) if with_provider else math.nan
        ),
        expected_compensation=draw(st.floats(0, 100)),
        price=draw(st.floats(1, 100)),
        expected_punishment=value() if with_provider else math.nan,
        complained=draw(st.booleans()),
        recovery_delay=draw(st.one_of(st.just(math.nan), st.floats(0, 72))),
        compensation_paid=draw(st.one_of(st.just(0.0), st.floats(0.01, 100))),
        apology=draw(st.booleans()),
        provider_rating=draw(st.integers(0, 5)) if with_provider else 0,
        satisfaction_before=value(),
        satisfaction_after=value(),
        retained=draw(st.booleans()),
        leave_probability=value(),
    )


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(row=episode_rows(), intermediation=st.sampled_from([0.1, 0.29, 0.3, 0.6, 0.7, 0.9]))
def test_no_generated_story_contradicts_its_numbers(row, intermediation):
    text = story(1, row, intermediation, 2.0)
    assert contradictions(row, text) == [], text


def test_no_simulated_story_contradicts_its_numbers():
    """2,000 and more episodes of worlds with surge, explanations and blame shifting."""
    checked = 0
    for intermediation, seed in ((0.1, 1), (0.6, 2), (0.9, 3)):
        scenario = demo_scenario().with_values(
            **{
                "aggregator.intermediation": intermediation,
                "aggregator.explanation_rate": 0.5,
                "aggregator.blame_shifting": 0.5,
                "surge.enabled": True,
                "customers.count": 1500,
                "run.days": 10,
                "run.seed": seed,
            }
        )
        episodes = run_replication(scenario, 0, trace=True).episodes
        for row in episodes.itertuples(index=False):
            text = story(1, row, intermediation, scenario.surge.multiplier)
            assert contradictions(row, text) == [], text
        checked += len(episodes)
    assert checked >= 2000


def test_the_check_of_stories_can_fail(monkeypatch):
    """Knockout: without the margin, "mostly responsible" is said of responsibilities that are
    equal as printed, and the check finds it."""
    monkeypatch.setattr(sim.teaching.demo, "rank", lambda a, b: 1 if a >= b else -1)
    row = Row(**{**EXAMPLE, "aggregator_responsibility": 0.49, "provider_responsibility": 0.49})
    found = contradictions(row, story(1, row, 0.6, 2.0))
    assert found and "mostly responsible" in found[0]


EXAMPLE = dict(
    time=30.0,
    segment="general",
    customer_id=3,
    failure_class="provider_fault",
    kind="core",
    outcome="accepted",
    provider_kind="individual",
    cause="provider",
    severity=0.5,
    surge=False,
    explained=False,
    explanation_blames="",
    perceived_control=0.5,
    perceived_controllability=0.5,
    aggregator_responsibility=0.5,
    provider_responsibility=0.5,
    expected_compensation=2.0,
    price=10.0,
    expected_punishment=0.5,
    complained=False,
    recovery_delay=math.nan,
    compensation_paid=0.0,
    apology=False,
    provider_rating=3,
    satisfaction_before=0.8,
    satisfaction_after=0.7,
    retained=True,
    leave_probability=0.1,
)
