"""``aggsim validate`` and ``aggsim propositions``: the validation catalogue measured on a
scenario, each pattern under its knockout too (MODEL.md 11)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from sim.cli.options import (
    add_execution_options,
    add_set_option,
    check_size,
    executor_of,
    overrides_of,
    positive_int,
    posterior_of,
    prepare_output_folder,
    seed_value,
    terminal_columns,
    whole_number_from,
)
from sim.cli.progress import progress_bar
from sim.errors import UserError
from sim.validation import MOST_FACTOR, REPLICATIONS

#: The exit code of ``--strict`` when a pattern is not shown to hold and fail under its knockout
#: (2 is bad input, 1 an internal error).
STRICT_EXIT = 3


def add_commands(commands) -> None:
    """Add ``validate`` and ``propositions`` to ``aggsim``'s sub-commands."""
    from sim.inference.defaults import DRAWS as PREDICTIVE_DRAWS

    validate = commands.add_parser(
        "validate",
        help="pattern-oriented validation: does the model reproduce what is known?",
        description="Measure every pattern of the validation catalogue (MODEL.md 11) on the "
        "scenario, and again under its knockout, with paired replications that share their "
        "random numbers, more of them only where a verdict is unsettled (--max-reps); report "
        "each estimate with its interval against its target, the verdict (holds, does not "
        "hold, inconclusive) and whether the knockout makes it fail. Writes "
        "validation.csv, validation.md, figures and an HTML report.",
    )
    propositions = commands.add_parser(
        "propositions",
        help="P1-P4 and the model's behaviours: the propositions' view of the validation",
        description="The patterns of the validation catalogue that state the conceptual "
        "model's propositions P1-P4 and the behaviours of blame and recovery, with the same "
        "verdicts and knockouts as aggsim validate. Writes propositions.csv, .md and an HTML "
        "report.",
    )
    for command, stem in ((validate, "validation"), (propositions, "propositions")):
        command.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
        command.add_argument(
            "--reps",
            type=whole_number_from(2),
            default=REPLICATIONS,
            help="paired replications per condition at the first look, at least 2: a verdict "
            f"rests on an interval of their spread (default {REPLICATIONS})",
        )
        command.add_argument(
            "--max-reps",
            type=positive_int,
            metavar="M",
            help="most paired replications per condition: a pattern whose verdict or its "
            "knockout's is still inconclusive is measured again on twice as many, up to M; "
            f"every interval is widened for the looks this allows (default {MOST_FACTOR} x "
            "--reps; --max-reps equal to --reps: one look, 95%% intervals)",
        )
        command.add_argument(
            "--pattern",
            action="append",
            default=[],
            metavar="KEY",
            help="measure only this pattern (repeatable; default: all)",
        )
        command.add_argument("--seed", type=seed_value, help="root seed (default: run.seed)")
        add_set_option(command)
        command.add_argument(
            "--out", type=Path, help=f"output folder (default: results/<name>-{stem}/<UTC time>/)"
        )
        add_execution_options(command)
        command.add_argument("--quiet", action="store_true", help="no progress bar and no table")
        command.add_argument(
            "--strict",
            action="store_true",
            help=f"exit with code {STRICT_EXIT} when a pattern does not hold, is inconclusive "
            "or is not shown falsifiable (for a CI job to gate on; the folder is written "
            "either way)",
        )
    validate.add_argument(
        "--posterior",
        type=Path,
        metavar="FILE",
        help="also predict every held-out validation pattern from this posterior (the "
        "posterior.parquet of aggsim calibrate, or its folder): its 90%% predictive interval "
        "over --draws parameter sets against the pattern's target, in predictive.csv and the "
        "report",
    )
    validate.add_argument(
        "--draws",
        type=positive_int,
        default=PREDICTIVE_DRAWS,
        help=f"posterior draws behind each predictive interval (default {PREDICTIVE_DRAWS}; "
        "with --posterior)",
    )
    validate.set_defaults(handler=command_validate)
    propositions.set_defaults(handler=command_propositions)


def command_validate(args: argparse.Namespace) -> int:
    return _validation_command(args, "validation")


def command_propositions(args: argparse.Namespace) -> int:
    return _validation_command(args, "propositions")


def _validation_command(args: argparse.Namespace, stem: str) -> int:
    """``aggsim validate`` (every pattern) and ``aggsim propositions`` (its propositions' view)."""
    from datetime import UTC, datetime

    from sim.scenario.files import load_scenario
    from sim.validation.patterns import pattern, pattern_keys

    overrides = overrides_of(args)
    base = load_scenario(args.scenario, overrides)
    offered = pattern_keys(propositions_only=stem == "propositions")
    for key in args.pattern:
        if key not in offered:
            raise UserError(
                f"--pattern: {key}: unknown pattern; expected one of {', '.join(offered)}"
            )
    chosen = [pattern(k) for k in (args.pattern or offered)]

    from sim.validation import report
    from sim.validation.runner import runs_needed, validate

    most = args.max_reps or MOST_FACTOR * args.reps
    if most < args.reps:
        raise UserError(f"--max-reps: expected at least --reps ({args.reps}), got {most}")
    check_size(args, base, replications=runs_needed(chosen, args.reps), trace=True)
    posterior = posterior_of(args, base) if stem == "validation" else None
    folder = prepare_output_folder(args.out, f"{base.name}-{stem}")

    started = datetime.now(UTC)
    total = runs_needed(chosen, args.reps)
    with (
        progress_bar(quiet=args.quiet, total=total, description=base.name, unit="reps") as bar,
        executor_of(args) as executor,
    ):

        def more(count: int) -> None:
            bar.total += count
            bar.refresh()

        validation = validate(
            base, args.reps, executor, chosen, on_done=bar.update, most=most, on_more=more
        )
    from sim.validation.fingerprint import code_fingerprint

    extra: dict[str, object] = {
        "overrides": overrides,
        "most_replications": validation.most,
        "interval_level": validation.level,
        "code_fingerprint": code_fingerprint(),
    }
    appendix, appendix_markdown = {}, ""
    if posterior is not None:
        from sim.inference.predictive import FILE, held_out_markdown

        appendix = {FILE: predict_held_out(args, base, posterior)}
        appendix_markdown = held_out_markdown(appendix[FILE], args.draws)
        extra["posterior"] = posterior.describe() | {"draws": args.draws}
    title = (
        f"{'Validation' if stem == 'validation' else 'Propositions and behaviours'}: {base.name}"
    )
    from sim.inference.pages import PAGES

    rerun = rerun_command(args, stem)
    report.write_folder(
        folder, validation, stem, title, started, extra, appendix, appendix_markdown, PAGES, rerun
    )
    if not args.quiet:
        sys.stdout.write(report.terminal_text(validation, title, terminal_columns(), rerun))
        sys.stdout.write(appendix_markdown)
    print(
        f"{validation.conditions_run} distinct simulated conditions "
        f"(the patterns one by one would need {validation.conditions_summed})"
    )
    print(f"results: {folder}")
    return strict_exit(validation.results) if args.strict else 0


def strict_exit(results) -> int:
    """``--strict``: :data:`STRICT_EXIT` and one line when a pattern is not shown to hold and
    fail under its knockout; 0 when every one is."""
    from sim.validation.report import not_settled_holding

    failing = not_settled_holding(results)
    if not failing:
        return 0
    print(
        f"--strict: {len(failing)} of {len(results)} pattern(s) not shown to hold and fail "
        f"under their knockout ({', '.join(failing)}): exit {STRICT_EXIT}",
        file=sys.stderr,
    )
    return STRICT_EXIT


def rerun_command(args: argparse.Namespace, stem: str) -> str:
    """The command that ran this validation, as a user would type it again: the scenario, its
    overrides, the seed and the first look's replications when not the default."""
    words = ["aggsim", "validate" if stem == "validation" else "propositions"]
    if args.scenario is not None:
        words.append(str(args.scenario))
    for override in args.overrides:
        words += ["--set", override]
    if args.seed is not None:
        words += ["--seed", str(args.seed)]
    if args.reps != REPLICATIONS:
        words += ["--reps", str(args.reps)]
    return shlex.join(words)


def predict_held_out(args: argparse.Namespace, scenario, posterior):
    """The held-out validation patterns' predictive intervals on ``scenario`` from the
    posterior (``aggsim validate --posterior``; MODEL.md 11.1)."""
    from sim.inference.predictive import predict, predictive_table
    from sim.inference.statistics import held_out_set, statistics_of

    held_out = statistics_of(held_out_set())
    with (
        progress_bar(
            quiet=args.quiet, total=args.draws, description="held-out predictions", unit="draws"
        ) as bar,
        executor_of(args) as executor,
    ):
        draws = predict(
            scenario,
            posterior,
            [s.key for s in held_out],
            executor,
            args.draws,
            scenario.run.seed,
            on_done=bar.update,
        )
    return predictive_table(draws, held_out)
