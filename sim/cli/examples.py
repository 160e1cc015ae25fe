"""Worked examples and exit codes at the end of every command's ``--help``.

Each example is a whole command a user can paste from a checkout (the files it names are in
``scenarios/``, or are the folders the examples before it write); ``tests/cli/test_examples.py``
parses every one with the command's own parser, so an example cannot drift from its options.
"""

from __future__ import annotations

import argparse
import textwrap

#: The exit codes every command shares (sim.cli.main).
COMMON_EXITS = (
    ("0", "done"),
    ("1", "an internal fault or a machine that refused (one line; --debug for the traceback)"),
    ("2", "bad input: a file, a key or an option (one line naming it)"),
    ("130, 143", "stopped by Ctrl-C or SIGTERM; every file written is complete"),
)

#: Exit codes of their own.
OWN_EXITS: dict[str, tuple[tuple[str, str], ...]] = {
    "sweep": (("1", "a run or a point failed (errors.csv names it; the rest finished)"),),
    "merge": (("1", "a run or a point failed (errors.csv names it)"),),
    "validate": (("3", "with --strict: a pattern not shown to hold and fail under its knockout"),),
    "propositions": (
        ("3", "with --strict: a pattern not shown to hold and fail under its knockout"),
    ),
}

#: Each command's examples: (what it does, the command).
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "run": (
        ("the built-in baseline, 10 replications", "aggsim run"),
        (
            "a scenario file with a changed parameter, 20 replications, one row per failure",
            "aggsim run scenarios/b2b_marketplace.toml --set recovery.policy=none --reps 20 "
            "--trace --out results/b2b-none",
        ),
        (
            "replications until the churn rate's 95% CI is within ±0.01",
            "aggsim run --target-ci customer_churn_rate=0.01 --out results/baseline-ci",
        ),
    ),
    "sweep": (
        (
            "intermediation at 11 values from 0 to 1 (start:stop:count) by recovery policy",
            "aggsim sweep --vary aggregator.intermediation=0:1:11 "
            "--vary recovery.policy=none,match_expectation --reps 4 --out results/sweep-im",
        ),
        (
            "a Latin hypercube of 32 points within bounds",
            "aggsim sweep --design lhs --samples 32 --vary aggregator.intermediation=0..1 "
            "--vary aggregator.brand_salience=0..1 --out results/sweep-lhs",
        ),
        (
            "continue an interrupted sweep: the same command with --resume",
            "aggsim sweep --vary aggregator.intermediation=0:1:11 --vary "
            "recovery.policy=none,match_expectation --reps 4 --out results/sweep-im --resume",
        ),
    ),
    "merge": (
        (
            "join the shards of a sweep run as a job array",
            "aggsim merge results/sweep results/sweep-1 results/sweep-2",
        ),
    ),
    "sensitivity": (
        (
            "Sobol' indices of three parameters",
            "aggsim sensitivity --vary aggregator.intermediation=0..1 "
            "--vary aggregator.brand_salience=0..1 --vary recovery.delay_mean_hours=1..48 "
            "--out results/sensitivity",
        ),
    ),
    "compare": (
        (
            "two platforms on the same random numbers, KPI by KPI",
            "aggsim compare scenarios/low_intermediation.toml scenarios/high_intermediation.toml "
            "--reps 4 --out results/intermediation",
        ),
    ),
    "validate": (
        ("every pattern on the baseline", "aggsim validate --out results/validation"),
        (
            "a scenario, failing a CI job when a pattern does not hold",
            "aggsim validate scenarios/b2b_marketplace.toml --strict --quiet",
        ),
        (
            "one pattern with more replications",
            "aggsim validate --pattern tarp_grid --max-reps 40",
        ),
    ),
    "propositions": (("P1-P4 on a scenario", "aggsim propositions scenarios/surge_pricing.toml"),),
    "calibrate": (
        (
            "a posterior of the calibrated parameters",
            "aggsim calibrate --out results/calibration-baseline",
        ),
    ),
    "report": (("an HTML report of a results folder", "aggsim report results/sweep-im"),),
    "plot": (
        (
            "the main KPIs of a sweep against intermediation, one line per policy",
            "aggsim plot results/sweep-im --x aggregator.intermediation --hue recovery.policy "
            "--format png",
        ),
        (
            "one KPI for a journal's single column",
            "aggsim plot results/sweep-im --kpi customer_churn_rate --width 3.5",
        ),
    ),
    "describe": (
        ("the ODD protocol of a scenario", "aggsim describe scenarios/b2b_marketplace.toml"),
        (
            "a results folder's scenario and experiment, as HTML",
            "aggsim describe --run results/sweep-im --format html --out sweep-ODD.html",
        ),
    ),
    "demo": (("a small world narrated for the classroom", "aggsim demo"),),
    "app": (
        ("the classroom on this machine", "aggsim app --open"),
        ("for a classroom network", "aggsim app --address 0.0.0.0 --port 8080"),
    ),
    "vignette": (
        (
            "simulate the 2 x 2 study of intermediation and cause",
            "aggsim vignette scenarios/studies/intermediation_by_cause.toml --out results/study",
        ),
    ),
    "power": (
        (
            "the power of P4's test at four sample sizes",
            "aggsim power scenarios/studies/intermediation_by_cause.toml --effect P4 "
            "--n 20,40,60,80",
        ),
    ),
    "fit": (
        (
            "the judgement model fitted to a study's data, as a scenario file",
            "aggsim fit results/study/respondents.csv "
            "--codebook scenarios/studies/intermediation_by_cause.toml --out fitted.toml",
        ),
    ),
    "check": (
        (
            "a scenario file's keys and values, and the size of its run",
            "aggsim check scenarios/b2b_marketplace.toml",
        ),
    ),
    "params": (("every parameter as a Markdown table", "aggsim params --format markdown"),),
    "schema": (("the JSON Schema for an editor", "aggsim schema"),),
    "new": (
        ("a scenario to start from", "aggsim new my_platform"),
        (
            "a sweep study in a folder of its own",
            "aggsim new im_study --sweep --out studies/im.toml",
        ),
    ),
}


#: Width of an example's lines; a longer command goes on with a backslash, as a shell reads it.
EXAMPLE_WIDTH = 78


def epilog(command: str) -> str:
    """The end of ``aggsim COMMAND --help``: its examples and its exit codes."""
    lines = ["examples:"]
    for what, example in EXAMPLES.get(command, ()):
        lines += textwrap.wrap(what, EXAMPLE_WIDTH, initial_indent="  # ", subsequent_indent="  # ")
        wrapped = textwrap.wrap(example, EXAMPLE_WIDTH - 6, break_long_words=False)
        lines += [
            ("  $ " if i == 0 else "      ") + part + (" \\" if i < len(wrapped) - 1 else "")
            for i, part in enumerate(wrapped)
        ]
    lines += ["", "exit codes:"]
    codes = dict(COMMON_EXITS)
    for code, meaning in OWN_EXITS.get(command, ()):
        codes[code] = f"{codes[code]}; or {meaning}" if code in codes else meaning
    for code, meaning in sorted(codes.items(), key=lambda item: int(item[0].split(",")[0])):
        lines += textwrap.wrap(
            meaning, EXAMPLE_WIDTH, initial_indent=f"  {code:9s} ", subsequent_indent=" " * 12
        )
    return "\n".join(lines)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, but a paragraph whose lines start with two spaces (examples, exit
    codes) is kept as written; every other paragraph is wrapped to the terminal."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            body = paragraph.splitlines()[1:]
            if body and all(line.startswith("  ") for line in body):
                paragraphs.append("\n".join(indent + line for line in paragraph.splitlines()))
            else:
                paragraphs.append(
                    textwrap.fill(
                        " ".join(paragraph.split()),
                        width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                    )
                )
        return "\n\n".join(paragraphs)
