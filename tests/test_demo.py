"""The classroom demo: pinned output (golden files), speed, and a story's content."""

import time
from pathlib import Path

import pytest

from sim.cli import main

GOLDEN = Path(__file__).parent / "golden"


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
        Path(__file__).resolve().parents[1] / "scenarios" / "teaching" / "surge_and_drivers.toml"
    )
    assert main(["demo", "--scenario", str(scenario)]) == 0
    assert "Two platforms" in capsys.readouterr().out


def test_the_episode_quoted_in_the_readme_is_what_the_demo_prints():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    quoted = readme.split("(from `aggsim demo`):\n\n```\n", 1)[1].split("```", 1)[0]
    assert quoted.strip() and quoted in (GOLDEN / "demo_seed_7.out").read_text(encoding="utf-8")
