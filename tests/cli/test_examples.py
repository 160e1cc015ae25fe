"""Every command's --help ends with worked examples and its exit codes, and every example is a
command its parser accepts (sim.cli.examples)."""

from __future__ import annotations

import shlex

import pytest

from sim.cli import build_parser, command_parsers
from sim.cli.examples import EXAMPLES, epilog

COMMANDS = list(command_parsers())


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_examples_and_exit_codes(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    shown = capsys.readouterr().out
    assert "\nexamples:\n  # " in shown and "\nexit codes:\n  0         done" in shown
    assert "  2         bad input" in shown
    assert EXAMPLES[command], f"aggsim {command} has no example"


@pytest.mark.parametrize(
    "example", [e for c in COMMANDS for _, e in EXAMPLES[c]], ids=lambda e: e[:60]
)
def test_every_example_is_a_command_its_parser_accepts(example):
    words = shlex.split(example)
    assert words[0] == "aggsim"
    parsed = build_parser().parse_args(words[1:])
    assert parsed.command == words[1]


def test_own_exit_codes_join_the_common_ones():
    assert "  3         with --strict" in epilog("validate")
    assert "or a run or a point failed" in epilog("sweep")
    assert "  3 " not in epilog("run")


def test_a_wrapped_example_pastes_back_into_one_command():
    shown = epilog("sweep").split("examples:\n", 1)[1].split("\n\n", 1)[0]
    commands = shown.replace(" \\\n      ", " ").splitlines()
    pasted = [line.removeprefix("  $ ") for line in commands if line.startswith("  $ ")]
    assert pasted == [example for _, example in EXAMPLES["sweep"]]
