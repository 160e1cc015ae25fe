"""Scenario files: TOML, extends, --set, writing back, and every error a user can cause."""

from __future__ import annotations

import contextlib
import io
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.scenario import Scenario, parameter_table
from sim.scenario.files import ScenarioError, load_scenario, parse_override, scenario_to_toml

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_the_built_in_baseline():
    assert load_scenario() == Scenario()


def test_the_baseline_file_is_the_built_in_baseline():
    assert load_scenario(ROOT / "scenarios" / "baseline.toml") == Scenario()


def test_a_file_sets_only_what_differs_and_is_named_after_itself(tmp_path):
    path = write(tmp_path, "listing.toml", "[aggregator]\nintermediation = 0.1\n")
    scenario = load_scenario(path)
    assert scenario.name == "listing"
    assert scenario.aggregator.intermediation == 0.1
    assert scenario.aggregator.brand_salience == Scenario().aggregator.brand_salience


def test_extends_chains_and_later_values_win(tmp_path):
    write(tmp_path, "base.toml", "[aggregator]\nintermediation = 0.8\nbrand_salience = 0.9\n")
    write(tmp_path, "mid.toml", 'extends = "base.toml"\n[aggregator]\nbrand_salience = 0.1\n')
    (tmp_path / "sub").mkdir()
    child = write(tmp_path / "sub", "child.toml", 'extends = "../mid.toml"\n[run]\ndays = 5\n')
    scenario = load_scenario(child, ["run.days=7", "aggregator.intermediation=0.3"])
    assert scenario.name == "child"
    assert scenario.aggregator.brand_salience == 0.1
    assert scenario.aggregator.intermediation == 0.3
    assert scenario.run.days == 7


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("surge.enabled=true", "surge.enabled", True),
        ("recovery.policy=tiered", "recovery.policy", "tiered"),
        ('recovery.policy="tiered"', "recovery.policy", "tiered"),
        ("customers.count=120", "customers.count", 120),
        ("aggregator.intermediation = 0.25", "aggregator.intermediation", 0.25),
    ],
)
def test_overrides_are_typed(text, key, value):
    assert parse_override(text) == (key, value)
    section, name = key.split(".")
    assert getattr(getattr(load_scenario(None, [text]), section), name) == value


@settings(max_examples=25, deadline=None)
@given(
    intermediation=st.floats(0, 1),
    policy=st.sampled_from(["none", "fixed_share", "match_expectation", "tiered"]),
    seed=st.integers(0, 2**63 - 1),
    description=st.text(max_size=30),
)
def test_written_scenarios_load_back_unchanged(intermediation, policy, seed, description):
    scenario = Scenario().with_values(
        **{
            "aggregator.intermediation": intermediation,
            "recovery.policy": policy,
            "run.seed": seed,
            "description": description,
        }
    )
    assert Scenario.model_validate(tomllib.loads(scenario_to_toml(scenario))) == scenario


ERROR_CASES = [
    ("missing", None, "missing.toml", "no such file"),
    ("syntax", "[aggregator\nintermediation = 1\n", "syntax.toml", "line 1"),
    (
        "unknown",
        "[aggregator]\nintermedation = 0.5\n",
        "aggregator.intermedation",
        "did you mean 'aggregator.intermediation'",
    ),
    (
        "type",
        '[aggregator]\nintermediation = "high"\n',
        "aggregator.intermediation",
        "expected a number from 0 to 1, got 'high'",
    ),
    (
        "range",
        "[aggregator]\nintermediation = 1.5\n",
        "aggregator.intermediation",
        "expected a number from 0 to 1, got 1.5",
    ),
    (
        "excluded bound",
        "[run]\ndays = 0\n",
        "run.days",
        "expected a number above 0 and at most 3,650, got 0",
    ),
    (
        "whole number below a bound",
        "[run]\nseed = 9223372036854775808\n",
        "run.seed",
        "expected a whole number from 0 to 9,223,372,036,854,775,807, got",
    ),
    ("choice", '[recovery]\npolicy = "lavish"\n', "recovery.policy", "expected one of 'none'"),
    (
        "cross",
        "[sanctions]\nwarn_below = 3.0\nsuspend_below = 3.5\n",
        "sanctions",
        "suspend_below must not exceed warn_below",
    ),
    ("table", "aggregator = 3\n", "aggregator", "expected a table [aggregator]"),
    ("extends", 'extends = "nowhere.toml"\n', "extends", "no such file"),
]


@pytest.mark.parametrize(
    ("name", "text", "where", "expected"), ERROR_CASES, ids=[case[0] for case in ERROR_CASES]
)
def test_bad_files_name_the_file_the_key_and_what_is_expected(
    tmp_path, name, text, where, expected
):
    path = tmp_path / f"{name}.toml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message and where in message and expected in message
    assert "\n" not in message


def test_circular_extends_is_an_error(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    b = write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="circular extends chain"):
        load_scenario(b)


def test_errors_name_the_file_that_set_the_value(tmp_path):
    write(tmp_path, "base.toml", "[aggregator]\nintermediation = 2.0\n")
    child = write(tmp_path, "child.toml", 'extends = "base.toml"\n')
    with pytest.raises(ScenarioError, match=r"base\.toml: aggregator\.intermediation"):
        load_scenario(child)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("aggregator.intermediation", "expected KEY=VALUE"),
        ("=0.5", "expected KEY=VALUE"),
        ("aggregator.intermedation=0.5", "did you mean 'aggregator.intermediation'"),
        ("run.days=soon", "run.days: expected a number"),
        ("customers.count=2.5", "expected a whole number"),
        ("surge.enabled=maybe", "expected true or false"),
    ],
)
def test_bad_overrides_are_explained(override, expected):
    with pytest.raises(ScenarioError, match="^--set: .*" + expected.replace(".", r"\.")):
        load_scenario(None, [override])


KEYS = [row.key for row in parameter_table()]
toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.floats(0, 5), max_size=30),
)


def toml_literal(value) -> str:
    from sim.scenario.files import toml_value

    return toml_value(value)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.text(max_size=200),
        st.lists(
            st.tuples(
                st.sampled_from(KEYS + ["bogus", "aggregator.bogus", "extends"]), toml_scalars
            ),
            max_size=6,
        ),
    )
)
def test_no_traceback_escapes_for_any_file(tmp_path, data):
    """Random text, or random keys with random values: a scenario or a ScenarioError, no other."""
    if isinstance(data, str):
        text = data
    else:
        text = "\n".join(f"{key} = {toml_literal(value)}" for key, value in data)
    path = tmp_path / "random.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as error:
        assert "\n" not in str(error) and (str(path) in str(error) or "--set" in str(error))
    # and through the command line: exit 0 or 2 with one line, never a traceback
    errors = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        code = main(["check", str(path)])
    assert code in (0, 2)
    if code == 2:
        assert len(errors.getvalue().strip().splitlines()) == 1


# ---------------------------------------------------------------------- hostile input (issue 11)


@pytest.mark.parametrize("name", ["../../../../tmp/x", "/abs/path", "..", ".hidden", "a\x00b", ""])
def test_a_scenario_name_is_one_safe_folder_name(name):
    with pytest.raises(ScenarioError, match="name: .*a single folder name"):
        load_scenario(None, [f"name={name!r}".replace("'", '"')])


def test_a_file_without_a_name_is_named_after_its_stem_made_safe(tmp_path):
    path = tmp_path / "my plan (v2).toml"
    path.write_text("[aggregator]\nintermediation = 0.5\n")
    assert load_scenario(path).name == "my-plan-v2"


@pytest.mark.parametrize("override", ["customers.count=true", "run.days=false"])
def test_true_and_false_are_not_numbers(override):
    with pytest.raises(ScenarioError, match="true and false are not numbers"):
        load_scenario(None, [override])


def test_only_regular_toml_files_of_bounded_size_are_read(tmp_path):
    import os

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_scenario(fifo)  # would block forever if opened
    big = tmp_path / "big.toml"
    big.write_text('description = "' + "x" * 1_000_001 + '"\n')
    with pytest.raises(ScenarioError, match="at most 1 MB"):
        load_scenario(big)
    other = tmp_path / "extends.toml"
    other.write_text('extends = "/etc/passwd"\n')
    with pytest.raises(ScenarioError, match="extends: expected a .toml file name"):
        load_scenario(other)


def test_nesting_and_extends_chains_are_bounded(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_scenario(deep)
    with pytest.raises(ScenarioError, match="nested too deeply"):
        parse_override("aggregator.intermediation=" + "[" * 5000 + "]" * 5000)
    for i in range(40):
        parent = f'extends = "f{i + 1}.toml"\n' if i < 39 else ""
        (tmp_path / f"f{i}.toml").write_text(parent)
    with pytest.raises(ScenarioError, match="longer than 32 files"):
        load_scenario(tmp_path / "f0.toml")
