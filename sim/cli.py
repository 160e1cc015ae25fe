"""The ``aggsim`` command.

Heavy modules (numpy, pandas, simpy, matplotlib) are imported inside the commands, so
``aggsim --help`` answers at once. Every error ends in one line (:func:`main`): exit code 2 for
the user's input, 1 for a fault (``--debug`` shows its traceback); Ctrl-C ends with exit code 130
and leaves only complete files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sim.app.commands import add_commands as add_app_commands
from sim.app.commands import command_app
from sim.describe.commands import add_commands as add_describe_commands
from sim.describe.commands import command_describe
from sim.errors import Fault, UserError
from sim.inference.commands import add_commands as add_calibrate_commands
from sim.inference.commands import command_calibrate
from sim.output_folder import check_output_place, make_folder, output_folder
from sim.vignette.commands import add_commands as add_vignette_commands
from sim.vignette.commands import command_fit, command_power, command_vignette

EXIT_FAULT = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141

#: Paired replications per condition of `aggsim validate` and `aggsim propositions`: enough, on the
#: baseline, for every pattern and every knockout to reach a verdict (MODEL.md 11).
VALIDATION_REPLICATIONS = 4


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 2^63 - 1, got {value}")
    return value


def warmup_value(text: str) -> str:
    """``auto`` or a number of days from 0 to 365 (kept as text: it becomes a ``--set``)."""
    if text == "auto":
        return text
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected auto or a number of days, got {text!r}"
        ) from None
    if not 0 <= days <= 365:
        raise argparse.ArgumentTypeError(f"expected auto or 0 to 365 days, got {text}")
    return text


def shard_value(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i = n = 0
    if not sep or not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"expected i/n with 1 <= i <= n, got {text!r}")
    return i, n


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="aggsim",
        description="Simulate service failures on an aggregator platform: blame, compensation, "
        "punishment, recovery and churn.",
    )
    from sim import __version__

    parser.add_argument("--version", action="version", version=f"aggsim {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    run = commands.add_parser(
        "run",
        help="run replications of a scenario and write the results",
        description="Run replications of a scenario (the built-in baseline when none is given) "
        "and write the results to a folder.",
    )
    run.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
    run.add_argument("--reps", type=positive_int, help="replications (default: run.replications)")
    run.add_argument("--seed", type=seed_value, help="root seed (default: run.seed)")
    add_set_option(run)
    run.add_argument("--out", type=Path, help="output folder (default: results/<name>/<UTC time>/)")
    run.add_argument("--trace", action="store_true", help="also write one row per failure episode")
    run.add_argument(
        "--warmup",
        type=warmup_value,
        metavar="auto|DAYS",
        help="days simulated but not counted; auto chooses them by MSER-5 on pilot runs and "
        "records the choice in manifest.json (default: run.warmup_days)",
    )
    add_posterior_option(run)
    add_execution_options(run)
    add_target_options(run, "add batches of --reps replications until the CI is this narrow")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no KPI table")

    sweep = commands.add_parser(
        "sweep",
        help="run a design of scenario points, each with replications",
        description="Vary parameters over a design (a full grid, a Latin hypercube or a Sobol' "
        "sample) and run replications of every point; results stream to disk and the sweep can be "
        "resumed. SPEC: a list 0.1,0.5,0.9 (or none,tiered), a range 0:1:11 (11 values), or bounds "
        "0.2..0.8 (sampled designs). A [sweep] table in the scenario file may declare the same.",
    )
    sweep.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
    sweep.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=SPEC",
        help="a parameter to vary (repeatable)",
    )
    sweep.add_argument("--design", choices=DESIGN_NAMES, help="grid (default), lhs or sobol")
    sweep.add_argument(
        "--baseline-point",
        metavar="KEY=VALUE,...",
        help="a point of a grid (a value for each varied parameter) to contrast every other "
        "point with, paired by replication: contrasts.csv",
    )
    sweep.add_argument("--samples", type=positive_int, help="points of an lhs or sobol design")
    sweep.add_argument(
        "--reps", type=positive_int, help="replications per point (default: run.replications)"
    )
    sweep.add_argument("--seed", type=seed_value, help="root seed (default: run.seed)")
    add_set_option(sweep)
    sweep.add_argument(
        "--out", type=Path, help="output folder (default: results/<name>-sweep/<UTC time>/)"
    )
    sweep.add_argument("--resume", action="store_true", help="continue the sweep in --out")
    sweep.add_argument(
        "--shard",
        type=shard_value,
        default=(1, 1),
        metavar="i/n",
        help="run only slice i of n (for job arrays); join them with aggsim merge",
    )
    add_posterior_option(sweep)
    add_execution_options(sweep)
    add_target_options(sweep, "add replications to each point until its CI is this narrow")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")

    sensitivity = commands.add_parser(
        "sensitivity",
        help="global sensitivity analysis (Morris, Sobol', FAST) of the KPIs",
        description="Sample the varied parameters with SALib, run the sample (as a sweep: same "
        "executors, streaming and resume), average the replications of each point and compute "
        "the sensitivity indices of each KPI with confidence intervals.",
    )
    sensitivity.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
    sensitivity.add_argument(
        "--method",
        choices=("morris", "sobol", "fast"),
        default="morris",
        help="morris: elementary effects, cheap screening (default); sobol: variance-based first "
        "and total indices (Saltelli's scheme); fast: first-order indices by Fourier amplitudes",
    )
    sensitivity.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=LOW..HIGH",
        help="a parameter and its range (repeatable); a list for choices",
    )
    sensitivity.add_argument(
        "--samples",
        type=positive_int,
        help="Morris trajectories (default 20), Sobol' base sample (default 64; a power of two) "
        "or FAST samples per parameter (default 129)",
    )
    sensitivity.add_argument(
        "--reps",
        type=positive_int,
        default=2,
        help="replications averaged per sample point (default 2)",
    )
    sensitivity.add_argument(
        "--kpi",
        action="append",
        default=[],
        metavar="NAME",
        help="a KPI to analyse (repeatable; default: the main KPIs — platform responsibility, "
        "expected compensation, expected punishment and churn)",
    )
    sensitivity.add_argument(
        "--second-order", action="store_true", help="with sobol: also the pairwise indices S2"
    )
    sensitivity.add_argument(
        "--convergence",
        action="store_true",
        help="also the indices at N/8, N/4, N/2 and N, with plots",
    )
    sensitivity.add_argument("--seed", type=seed_value, help="root seed (default: run.seed)")
    add_set_option(sensitivity)
    sensitivity.add_argument(
        "--out", type=Path, help="output folder (default: results/<name>-<method>/<UTC time>/)"
    )
    sensitivity.add_argument("--resume", action="store_true", help="continue the analysis in --out")
    add_execution_options(sensitivity)
    sensitivity.add_argument("--quiet", action="store_true", help="no progress bar and no table")

    demo = commands.add_parser(
        "demo",
        help="a small world narrated in plain language, for the classroom",
        description="Simulate one week of a small platform and tell each failure as a story, then "
        "compare a listing board with a full platform.",
    )
    demo.add_argument("--scenario", type=Path, help="a scenario file (default: the demo world)")
    demo.add_argument("--seed", type=seed_value, help="root seed (default: 7)")
    demo.add_argument(
        "--follow", type=int, metavar="CUSTOMER_ID", help="tell only this customer's failures"
    )

    from sim.inference.defaults import DRAWS as PREDICTIVE_DRAWS

    validate = commands.add_parser(
        "validate",
        help="pattern-oriented validation: does the model reproduce what is known?",
        description="Measure every pattern of the validation catalogue (MODEL.md 11) on the "
        "scenario, and again under its knockout, with paired replications that share their "
        "random numbers; report each estimate with its 95% CI against its target, the verdict "
        "(holds, does not hold, inconclusive) and whether the knockout makes it fail. Writes "
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
            type=positive_int,
            default=VALIDATION_REPLICATIONS,
            help=f"paired replications per condition (default {VALIDATION_REPLICATIONS})",
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

    report = commands.add_parser(
        "report",
        help="a self-contained HTML report of a results folder",
        description="Write one HTML page (figures embedded, no network needed) that presents a "
        "results folder: its scenario, tables, figures and manifest.",
    )
    report.add_argument(
        "folder",
        type=Path,
        help="the folder of a run, sweep, sensitivity analysis, comparison or propositions report",
    )
    report.add_argument("--out", type=Path, help="the HTML file (default: FOLDER/report.html)")

    plot = commands.add_parser(
        "plot",
        help="a figure of a results folder for a paper (PNG, PDF or SVG)",
        description="Draw chosen KPIs of a sweep or sensitivity folder against a varied "
        "parameter, one line per level of a second and one row per level of a third, with 95% "
        "CIs; a run's daily series with bands across replications; a comparison's paired "
        "differences.",
    )
    plot.add_argument("folder", type=Path, help="a run, sweep, sensitivity or compare folder")
    plot.add_argument(
        "--kpi",
        action="append",
        default=[],
        metavar="NAME",
        help="a KPI to show (repeatable; default: the main KPIs)",
    )
    plot.add_argument("--x", metavar="PARAM", help="the varied parameter on the x axis")
    plot.add_argument("--hue", metavar="PARAM", help="one line per level of this parameter")
    plot.add_argument("--facet", metavar="PARAM", help="one row of panels per level of this")
    plot.add_argument(
        "--ci",
        choices=("bands", "whiskers"),
        default="bands",
        help="95%% CIs as bands (default) or whiskers; a categorical x always has whiskers",
    )
    plot.add_argument(
        "--format", choices=("png", "pdf", "svg"), default="pdf", help="file format (default pdf)"
    )
    plot.add_argument(
        "--width",
        type=positive_number,
        default=7.0,
        metavar="INCHES",
        help="figure width: 3.5 for a journal's single column, 7 for a double (default 7)",
    )
    plot.add_argument("--out", type=Path, help="the file (default: FOLDER/figures/plot.FORMAT)")

    merge = commands.add_parser(
        "merge",
        help="join the shard folders of a sweep",
        description="Join the folders of every shard of one sweep (aggsim sweep --shard i/n) into "
        "one folder whose tables equal those of the unsharded sweep. Every shard must have "
        "finished, and together they must hold every planned run.",
    )
    merge.add_argument("out", type=Path, help="folder for the merged sweep")
    merge.add_argument("shards", nargs="+", type=Path, help="the shard folders")

    compare = commands.add_parser(
        "compare",
        help="compare two scenarios with common random numbers",
        description="Run both scenarios with the same seeds and report the paired difference "
        "B - A of every KPI with its 95% CI, and the variance reduction against independent "
        "seeds.",
    )
    compare.add_argument("scenario_a", type=Path, help="scenario A (TOML)")
    compare.add_argument("scenario_b", type=Path, help="scenario B (TOML)")
    compare.add_argument(
        "--reps", type=positive_int, help="replications (default: A's run.replications)"
    )
    compare.add_argument(
        "--seed", type=seed_value, help="root seed for both (default: A's run.seed)"
    )
    add_set_option(compare)
    compare.add_argument(
        "--out", type=Path, help="output folder (default: results/<A>-vs-<B>/<UTC time>/)"
    )
    add_posterior_option(compare)
    add_execution_options(compare)
    compare.add_argument("--quiet", action="store_true", help="no progress bar and no table")

    add_vignette_commands(commands)
    add_calibrate_commands(commands)
    add_app_commands(commands)
    add_describe_commands(commands)

    check = commands.add_parser(
        "check",
        help="validate a scenario file without running it",
        description="Validate a scenario file (and its [sweep] table) without running it, and "
        "print the size of what it would run: runs, orders, CPU time and memory.",
    )
    check.add_argument("scenario", type=Path, help="scenario file (TOML)")
    add_set_option(check)

    params = commands.add_parser(
        "params",
        help="list every parameter: key, default, range, unit",
        description="List every scenario parameter with its default, accepted values, unit and "
        "meaning.",
    )
    params.add_argument(
        "--format",
        choices=("table", "markdown", "json"),
        default="table",
        help="table (default: one line each, fitted to the terminal), markdown or json",
    )

    commands.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description="Print the JSON Schema of scenario files, for editors that validate TOML "
        "(e.g. with Taplo or Even Better TOML).",
    )
    debug = "on an internal fault, show the traceback (default: one line)"
    parser.add_argument("--debug", action="store_true", help=debug)
    for command in commands.choices.values():  # also after the command: aggsim run --debug
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug)
    return parser


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every sub-command's parser by name, in the order ``aggsim --help`` lists them (for the
    documentation's command reference)."""
    actions = build_parser()._actions  # argparse has no public way to list sub-commands
    return next(dict(a.choices) for a in actions if isinstance(a, argparse._SubParsersAction))


#: The sweep designs, as in ``sim.designs.DESIGNS`` (restated so that --help imports no numpy).
DESIGN_NAMES = ("grid", "lhs", "sobol")


def add_set_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set aggregator.intermediation=0.9 (repeatable)",
    )


def add_posterior_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--posterior",
        type=Path,
        metavar="FILE",
        help="draw each replication's calibrated parameters from this posterior (the "
        "posterior.parquet of aggsim calibrate, or its folder), on a random stream of its own: "
        "intervals then carry what is not known about the parameters as well as chance; the "
        "manifest records every draw",
    )


def posterior_of(args: argparse.Namespace, scenario):
    """The ``--posterior`` given, checked against the scenario (None when not given)."""
    if args.posterior is None:
        return None
    from sim.inference.posterior import Posterior

    posterior = Posterior.read(args.posterior)
    posterior.check(scenario, posterior.source, "--posterior")
    return posterior


def add_execution_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores); results do not depend on it",
    )
    command.add_argument(
        "--executor",
        choices=("process", "inprocess", "dask"),
        default="process",
        help="where runs execute (default: a local process pool)",
    )
    command.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: an existing scheduler, e.g. tcp://10.0.0.5:8786 "
        "(default: a local cluster of --workers processes)",
    )
    command.add_argument(
        "--force",
        action="store_true",
        help="start even when the command's estimated size exceeds the limits (aggsim check "
        "shows the estimate)",
    )
    command.add_argument(
        "--worker-timeout",
        type=positive_number,
        metavar="SECONDS",
        help="with --executor dask: fail (exit 1, finished runs kept) when the scheduler has "
        "had no worker this long (default: wait, with a warning after 30 s)",
    )


def executor_of(args: argparse.Namespace):
    """The executor the command's options ask for (see :func:`sim.executors.open_executor`)."""
    from sim.executors import open_executor

    return open_executor(args.executor, args.workers, args.scheduler, args.worker_timeout, warn)


def add_target_options(command: argparse.ArgumentParser, meaning: str) -> None:
    command.add_argument("--target-ci", metavar="KPI=HALFWIDTH", help=meaning)
    command.add_argument(
        "--max-reps",
        type=positive_int,
        default=100,
        help="most replications --target-ci may reach (default: 100)",
    )


# ---------------------------------------------------------------------- commands


def command_run(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.scenario_files import load_study

    overrides = overrides_of(args)
    if args.reps is not None:
        overrides.append(f"run.replications={args.reps}")
    if args.warmup not in (None, "auto"):
        overrides.append(f"run.warmup_days={args.warmup}")
    scenario, sweep = load_study(args.scenario, overrides)
    if sweep is not None:
        warn(
            f"{args.scenario}: its [sweep] table is for aggsim sweep; aggsim run runs the "
            "scenario without it"
        )
    from sim.experiment import parse_target

    target = parse_target(args.target_ci, args.max_reps)
    reps = scenario.run.replications if target is None else max(target.max_replications, 1)
    check_size(args, scenario, replications=max(reps, scenario.run.replications), trace=args.trace)
    posterior = posterior_of(args, scenario)
    folder = prepare_output_folder(args.out, scenario.name)

    from dataclasses import asdict

    from sim.experiment import run_replications, run_to_target
    from sim.results import replications_table, write_run_folder
    from sim.stats import summarise

    started = datetime.now(UTC)
    warmup = None
    with (
        progress_bar(
            quiet=args.quiet, total=scenario.run.replications, description=scenario.name, unit="rep"
        ) as bar,
        executor_of(args) as executor,
    ):
        if args.warmup == "auto":
            from sim.warmup import choose_warmup

            warmup = choose_warmup(scenario, executor)
            scenario = scenario.with_values(**{"run.warmup_days": warmup.days})

        def tick(_) -> None:
            bar.total = max(bar.total, bar.n + 1)
            bar.update()

        if target is None:
            runs = run_replications(
                scenario,
                range(scenario.run.replications),
                executor,
                trace=args.trace,
                on_done=tick,
                posterior=posterior,
            )
        else:
            runs = run_to_target(
                scenario, executor, target, trace=args.trace, on_done=tick, posterior=posterior
            )
    extra = {
        "scenario_file": str(args.scenario) if args.scenario else None,
        "overrides": overrides,
        "executor": args.executor,
        "workers": args.workers,
        "target_ci": None if target is None else vars(target),
        "warmup": None if warmup is None else asdict(warmup),
        "posterior": None if posterior is None else posterior.describe(scenario, len(runs)),
    }
    write_run_folder(folder, scenario, runs, trace=args.trace, started=started, extra=extra)
    if not args.quiet:
        summary = summarise(replications_table(r.result.kpis for r in runs)).set_index("kpi")
        print_headline(summary)
    print(f"results: {folder}")
    return 0


PROGRESS_FORMAT = "{desc}: {n_fmt}/{total_fmt} {unit}s{postfix} [{elapsed}<{remaining}] {bar}"


def progress_bar(*, quiet: bool, total: int, description: str, unit: str):
    """A progress bar on stderr, shown only on a terminal and after half a second.

    The counts come first and the bar last, so on a narrow terminal the bar shrinks before any
    word is cut; the bar follows the terminal's width as it changes.
    """
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=description,
        unit=unit,
        file=sys.stderr,
        delay=0.5,
        dynamic_ncols=True,
        bar_format=PROGRESS_FORMAT,
        disable=quiet or not sys.stderr.isatty(),
    )


def overrides_of(args: argparse.Namespace) -> list[str]:
    """The ``--set`` overrides, then ``--seed`` as one more (it wins)."""
    overrides = list(args.overrides)
    if args.seed is not None:
        overrides.append(f"run.seed={args.seed}")
    return overrides


def sweep_folder(args: argparse.Namespace, name: str) -> Path:
    """``--out``, or a new ``results/<name>/<UTC time>/``; ``--resume`` needs ``--out``."""
    if args.out is None and args.resume:
        raise UserError("--resume: name the folder to continue with --out")
    from sim.results import default_run_folder

    folder = args.out if args.out is not None else default_run_folder(name)
    check_output_place(folder)  # created and locked by the sweep once its plan is checked
    return folder


def submission_window(args: argparse.Namespace) -> int:
    """Runs in flight at once: enough to keep every worker busy, few enough to bound memory."""
    return 1 if args.executor == "inprocess" else 4 * args.workers


def sweep_progress(bar):
    """A :class:`sim.sweep.SweepProgress` that drives a progress bar: runs and points done,
    failures, time left."""
    from sim.sweep import SweepProgress

    def show(progress: SweepProgress) -> None:
        bar.total = progress.total
        bar.set_postfix(
            points=f"{progress.points_done}/{progress.points_total}",
            failed=progress.failed,
            refresh=False,
        )
        bar.update(progress.done + progress.failed - bar.n)  # update(), so tqdm knows it showed

    return SweepProgress(on_change=show)


def warn(message: str) -> None:
    """One warning line on stderr, above any progress bar."""
    from tqdm import tqdm

    tqdm.write(f"aggsim: warning: {message}", file=sys.stderr)


def check_size(
    args: argparse.Namespace,
    scenario,
    points=({},),
    replications: int = 1,
    *,
    trace: bool = False,
    collected: bool = True,
) -> None:
    """Refuse, before any work, a command too large for the machine unless ``--force``
    (:mod:`sim.budget`)."""
    from sim.budget import check_budget, estimate

    if args.executor == "inprocess":
        workers = 1
    elif args.executor == "dask" and args.scheduler:
        workers = 0  # the workers' memory is on the cluster's machines
    else:
        workers = args.workers
    budget = estimate(scenario, points, replications, workers, trace=trace, collected=collected)
    check_budget(budget, force=args.force)


def prepare_output_folder(out: Path | None, scenario_name: str) -> Path:
    from sim.output_folder import LOCK_NAME
    from sim.results import default_run_folder, holds_results

    folder = out if out is not None else default_run_folder(scenario_name)
    if folder.is_dir() and holds_results(folder):
        raise UserError(f"{folder}: --out: already holds the results of a run; choose another")
    if folder.is_dir() and any(p.name != LOCK_NAME for p in folder.iterdir()):
        # e.g. an interrupted sweep or a killed run: writing over it would leave a mixed folder
        raise UserError(f"{folder}: --out: the folder is not empty; choose another")
    return output_folder(folder, disposable=True)


def print_headline(summary) -> None:
    """The headline KPIs: label, mean and 95% CI (limited to the KPI's range), as people read
    numbers."""
    from sim.model.kpis import headline_kpis

    shown = headline_kpis()
    width = max(len(k.label) for k in shown)
    print(f"{'':{width}s}  {'mean':>12s}  95% CI")
    for k in shown:
        row = summary.loc[k.name]
        interval = f"{k.show(k.clip(row.ci_low))} to {k.show(k.clip(row.ci_high))}"
        print(f"{k.label:{width}s}  {k.show(row['mean']):>12s}  {interval}")


def command_sweep(args: argparse.Namespace) -> int:
    from sim.scenario_files import load_study

    base, table = load_study(args.scenario, overrides_of(args))

    from dataclasses import replace

    from sim.designs import design_warnings
    from sim.experiment import parse_target
    from sim.sweep import plan_sweep, run_sweep

    plan = plan_sweep(
        base,
        table,
        args.vary,
        args.design,
        args.samples,
        args.reps,
        parse_target(args.target_ci, args.max_reps),
        args.baseline_point,
    )
    posterior = posterior_of(args, base)
    if posterior is not None:
        plan = replace(plan, posterior=posterior)
    for warning in design_warnings(plan.design, plan.samples):
        print(f"aggsim: warning: {warning}", file=sys.stderr)
    from sim.sweep import most_replications

    design = plan.points()
    points = len(design)
    replications = most_replications(plan.definition())
    check_size(args, base, design, replications, collected=False)
    folder = sweep_folder(args, f"{base.name}-sweep")

    window = submission_window(args)
    with (
        progress_bar(
            quiet=args.quiet, total=points * plan.replications, description=base.name, unit="run"
        ) as bar,
        executor_of(args) as executor,
    ):
        outcome = run_sweep(
            plan,
            folder,
            executor,
            window,
            shard=args.shard,
            resume=args.resume,
            progress=sweep_progress(bar),
            notify=warn,
        )
    return report_sweep(outcome)


def report_sweep(outcome) -> int:
    print(f"{outcome.runs} runs of {outcome.points} points; results: {outcome.folder}")
    if outcome.variance_reduction is not None:
        print(
            f"contrasts with point {outcome.baseline} in contrasts.csv: common random numbers "
            f"reduce the variance of the main KPIs' differences {outcome.variance_reduction:.1f}"
            "-fold (median)"
        )
    if outcome.failed:
        print(
            f"aggsim: {outcome.failed} run(s) or point(s) failed; see "
            f"{outcome.folder / 'errors.csv'}",
            file=sys.stderr,
        )
        return 1
    return 0


def command_sensitivity(args: argparse.Namespace) -> int:
    from sim.model.metrics import check_kpi
    from sim.scenario_files import load_scenario

    base = load_scenario(args.scenario, overrides_of(args))
    for kpi in args.kpi:
        check_kpi(kpi, "--kpi")
    if not args.vary:
        raise UserError("--vary: a sensitivity analysis needs at least one varied parameter")
    if args.convergence and args.method == "fast":
        raise UserError("--convergence: FAST samples are not nested; use morris or sobol")

    from sim.designs import design_points, parse_factors
    from sim.model.kpis import main_kpis
    from sim.sensitivity import DEFAULT_SAMPLES, design_for, run_sensitivity

    factors = parse_factors(args.vary)
    samples = args.samples or DEFAULT_SAMPLES[args.method]
    design = design_for(args.method, second_order=args.second_order)
    sample = design_points(factors, design, samples, base.run.seed)
    points = len(sample)
    check_size(args, base, sample, args.reps, collected=False)
    folder = sweep_folder(args, f"{base.name}-{args.method}")

    window = submission_window(args)
    with (
        progress_bar(
            quiet=args.quiet, total=points * args.reps, description=base.name, unit="run"
        ) as bar,
        executor_of(args) as executor,
    ):
        outcome, analysis = run_sensitivity(
            base,
            factors,
            args.method,
            samples,
            args.reps,
            args.kpi or [k.name for k in main_kpis()],
            folder,
            executor,
            window,
            second_order=args.second_order,
            with_convergence=args.convergence,
            resume=args.resume,
            progress=sweep_progress(bar),
            notify=warn,
        )
    for warning in analysis.warnings:
        print(f"aggsim: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print_indices(analysis.indices, args.method)
    print(f"{outcome.runs} runs of {outcome.points} sample points; results: {folder}")
    return 0


def print_indices(indices, method: str) -> None:
    main = "mu_star" if method == "morris" else "ST"
    other = "sigma" if method == "morris" else "S1"
    for kpi, table in indices.groupby("kpi", sort=False):
        print(f"{kpi}: parameters by {main}")
        for row in table.sort_values(main, ascending=False).itertuples():
            print(
                f"  {row.parameter:40s} {main} {getattr(row, main):9.4f} "
                f"[{getattr(row, main + '_ci_low'):8.4f}, {getattr(row, main + '_ci_high'):8.4f}]"
                f"   {other} {getattr(row, other):9.4f}"
            )


def command_demo(args: argparse.Namespace) -> int:
    from sim.demo import demo_scenario, demo_text
    from sim.scenario_files import load_scenario

    scenario = load_scenario(args.scenario) if args.scenario else demo_scenario()
    if args.seed is not None:
        scenario = scenario.with_values(**{"run.seed": args.seed})
    sys.stdout.write(demo_text(scenario, args.follow))
    return 0


def command_validate(args: argparse.Namespace) -> int:
    return _validation_command(args, "validation")


def command_propositions(args: argparse.Namespace) -> int:
    return _validation_command(args, "propositions")


def _validation_command(args: argparse.Namespace, stem: str) -> int:
    """``aggsim validate`` (every pattern) and ``aggsim propositions`` (its propositions' view)."""
    from datetime import UTC, datetime

    from sim.scenario_files import load_scenario
    from sim.validation.patterns import KEYS, PROPOSITIONS, pattern

    overrides = overrides_of(args)
    base = load_scenario(args.scenario, overrides)
    offered = KEYS if stem == "validation" else PROPOSITIONS
    for key in args.pattern:
        if key not in offered:
            raise UserError(
                f"--pattern: {key}: unknown pattern; expected one of {', '.join(offered)}"
            )
    chosen = [pattern(k) for k in (args.pattern or offered)]

    from sim.validation import report
    from sim.validation.runner import runs_needed, validate

    check_size(args, base, replications=runs_needed(chosen, args.reps), trace=True)
    posterior = posterior_of(args, base) if stem == "validation" else None
    folder = prepare_output_folder(args.out, f"{base.name}-{stem}")

    started = datetime.now(UTC)
    total = runs_needed(chosen, args.reps)
    with (
        progress_bar(quiet=args.quiet, total=total, description=base.name, unit="rep") as bar,
        executor_of(args) as executor,
    ):
        validation = validate(base, args.reps, executor, chosen, on_done=bar.update)
    extra: dict[str, object] = {"overrides": overrides}
    appendix, appendix_markdown = {}, ""
    if posterior is not None:
        from sim.inference.predictive import FILE, held_out_markdown

        appendix = {FILE: predict_held_out(args, base, posterior)}
        appendix_markdown = held_out_markdown(appendix[FILE], args.draws)
        extra["posterior"] = posterior.describe() | {"draws": args.draws}
    title = (
        f"{'Validation' if stem == 'validation' else 'Propositions and behaviours'}: {base.name}"
    )
    report.write_folder(
        folder, validation, stem, title, started, extra, appendix, appendix_markdown
    )
    if not args.quiet:
        sys.stdout.write(report.terminal_text(validation, title, terminal_columns()))
        sys.stdout.write(appendix_markdown)
    print(
        f"{validation.conditions_run} distinct simulated conditions "
        f"(the patterns one by one would need {validation.conditions_summed})"
    )
    print(f"results: {folder}")
    return 0


def predict_held_out(args: argparse.Namespace, scenario, posterior):
    """The held-out validation patterns' predictive intervals on ``scenario`` from the
    posterior (``aggsim validate --posterior``; MODEL.md 11.1)."""
    from sim.inference.predictive import predict, predictive_table
    from sim.inference.statistics import held_out_set, statistics_of

    held_out = statistics_of(held_out_set())
    with (
        progress_bar(
            quiet=args.quiet, total=args.draws, description="held-out predictions", unit="draw"
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


def command_report(args: argparse.Namespace) -> int:
    from sim.report import write_report

    if args.out is not None:
        if args.out.is_dir():
            raise UserError(f"{args.out}: --out: expected a file name for the page, found a folder")
        make_folder(args.out.parent)  # the page is written atomically: no lock needed
    print(f"report: {write_report(args.folder, args.out)}")
    return 0


def command_plot(args: argparse.Namespace) -> int:
    from sim.plot import plot_folder

    if not args.folder.is_dir():
        raise UserError(f"{args.folder}: not a folder")
    written = plot_folder(
        args.folder,
        args.kpi,
        args.x,
        args.hue,
        args.facet,
        args.ci,
        args.format,
        args.width,
        args.out,
    )
    print(f"figure: {written}")
    return 0


def command_merge(args: argparse.Namespace) -> int:
    from sim.sweep import merge_shards

    check_output_place(args.out, "OUT")
    return report_sweep(
        merge_shards(args.out, args.shards, lambda out: output_folder(out, "OUT", disposable=True))
    )


def command_compare(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.scenario_files import load_scenario

    a = load_scenario(args.scenario_a, args.overrides)
    seed = args.seed if args.seed is not None else a.run.seed
    reps = args.reps if args.reps is not None else a.run.replications
    common = [f"run.seed={seed}", f"run.replications={reps}"]
    a = load_scenario(args.scenario_a, [*args.overrides, *common])
    b = load_scenario(args.scenario_b, [*args.overrides, *common])
    name = f"{a.name}-vs-{b.name}"
    from sim.budget import size_point

    check_size(args, a, [{}, size_point(b)], reps)  # A, and B as a point of A
    posterior = posterior_of(args, a)
    if posterior is not None:
        posterior.check(b, posterior.source, "--posterior")
    folder = prepare_output_folder(args.out, name)

    from sim.experiment import run_replications
    from sim.results import write_compare_folder

    started = datetime.now(UTC)
    with (
        progress_bar(quiet=args.quiet, total=2 * reps, description=name, unit="rep") as bar,
        executor_of(args) as executor,
    ):
        done = [
            run_replications(
                scenario,
                range(reps),
                executor,
                on_done=lambda _: bar.update(),
                posterior=posterior,
            )
            for scenario in (a, b)
        ]
    extra = {
        "scenario_files": [str(args.scenario_a), str(args.scenario_b)],
        "posterior": None if posterior is None else posterior.describe(a, reps),
    }
    comparison = write_compare_folder(
        folder, (a, b), (done[0], done[1]), started, {**extra, "overrides": args.overrides}
    )
    if not args.quiet:
        print_comparison(comparison, a.name, b.name, reps, seed)
    print(f"results: {folder}")
    return 0


def print_comparison(comparison, name_a: str, name_b: str, reps: int, seed: int) -> None:
    """The headline KPIs of A and B, their paired difference with its 95% CI, and the variance
    reduction the common random numbers gave."""
    from sim.compare import show_reduction
    from sim.model.kpis import headline_kpis

    shown = headline_kpis()
    rows = comparison.set_index("kpi")
    width = max(len(k.label) for k in shown)
    wide = width + 72 <= terminal_columns()
    print(f"B - A: {name_b} - {name_a}")
    print(f"{reps} paired replications with common random numbers (seed {seed})")
    if wide:
        print(f"{'':{width}s}  {'A':>9s}  {'B':>9s}  {'B - A':>9s}  {'95% CI':>22s}  var. red.")
    for k in shown:
        row = rows.loc[k.name]
        a, b, difference = k.show(row.mean_a), k.show(row.mean_b), k.show_difference(row.difference)
        interval = f"{k.show_difference(row.ci_low)} to {k.show_difference(row.ci_high)}"
        reduction = show_reduction(row.variance_reduction)
        if wide:
            print(
                f"{k.label:{width}s}  {a:>9s}  {b:>9s}  {difference:>9s}  {interval:>22s}  "
                f"{reduction}"
            )
        else:  # a narrow terminal: each KPI on two lines
            print(k.label)
            print(f"    A {a}, B {b}, B - A {difference} ({interval}), var. red. {reduction}")


def command_check(args: argparse.Namespace) -> int:
    from sim.budget import check_budget, estimate
    from sim.scenario_files import load_study

    scenario, sweep = load_study(args.scenario, args.overrides)
    workers = os.cpu_count() or 1
    if sweep is not None:
        from sim.sweep import most_replications, plan_sweep

        plan = plan_sweep(scenario, sweep, [], None, None, None, None)
        points = plan.points()
        print(
            f"{args.scenario}: valid scenario {scenario.name!r} with a sweep of "
            f"{len(points)} points x {plan.replications} replications"
        )
        budget = estimate(
            scenario, points, most_replications(plan.definition()), workers, collected=False
        )
    else:
        print(f"{args.scenario}: valid scenario {scenario.name!r}")
        budget = estimate(scenario, replications=scenario.run.replications, workers=workers)
    print(f"size: {budget} with {workers} worker(s)")
    check_budget(budget, force=False, remedy="give the command that runs it --force")
    return 0


def command_params(args: argparse.Namespace) -> int:
    import json

    from sim.reference import format_default
    from sim.scenario import parameter_table
    from sim.scenario_files import describe

    rows = parameter_table()
    if args.format == "json":
        records = [
            {
                "key": r.key,
                "default": r.default,
                "minimum": r.minimum,
                "maximum": r.maximum,
                "unit": r.unit,
                "choices": r.choices,
                "meaning": r.meaning,
            }
            for r in rows
        ]
        print(json.dumps(records, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        from sim.reference import parameter_rows

        print("\n".join(parameter_rows()))
    else:
        import textwrap

        columns = terminal_columns()
        for r in rows:
            unit = f" [{r.unit}]" if r.unit else ""
            line = f"{r.key} = {format_default(r.default)}"
            print(textwrap.shorten(line, columns, placeholder=" …"))
            print(
                textwrap.fill(
                    f"{r.meaning}{unit}; {describe(r)}",
                    width=columns,
                    initial_indent="    ",
                    subsequent_indent="    ",
                )
            )
    return 0


def terminal_columns() -> int:
    """The terminal's width (80 when the output is not a terminal), at most 120 for reading."""
    return min(120, shutil.get_terminal_size((80, 24)).columns)


def command_schema(args: argparse.Namespace) -> int:
    import json

    from sim.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["title"] = "aggsim scenario"
    schema["properties"] = {
        "extends": {"type": "string", "description": "a scenario file this one builds on"},
        **schema["properties"],
    }
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


COMMANDS = {
    "run": command_run,
    "sweep": command_sweep,
    "merge": command_merge,
    "plot": command_plot,
    "compare": command_compare,
    "sensitivity": command_sensitivity,
    "demo": command_demo,
    "propositions": command_propositions,
    "validate": command_validate,
    "calibrate": command_calibrate,
    "report": command_report,
    "vignette": command_vignette,
    "power": command_power,
    "fit": command_fit,
    "app": command_app,
    "describe": command_describe,
    "check": command_check,
    "params": command_params,
    "schema": command_schema,
}


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler's time limit, ``kill``), raised in the main thread: the command stops
    as on Ctrl-C — running replications abandoned, the pool's processes ended, only complete files
    left."""


#: The stop signals this process has received, in order.
_stops: list[int] = []


def _raise_terminated(signum, frame) -> NoReturn:
    _stops.append(signum)
    raise Terminated


def _raise_interrupted(signum, frame) -> NoReturn:
    _stops.append(signum)
    raise KeyboardInterrupt


def _stopped(stop: KeyboardInterrupt) -> int:
    terminated = isinstance(stop, Terminated)
    print(
        f"aggsim: {'terminated' if terminated else 'interrupted'}; no half-written file is "
        "left (a sweep continues with --resume)",
        file=sys.stderr,
    )
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every error reaches the user here, as one line and an exit code: 2 for
    their input, 1 for a fault (a disk that fills, a lost cluster, an internal error: with
    ``--debug``, its traceback), 130 for Ctrl-C and 143 for SIGTERM."""
    try:
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:  # Ctrl-C as the command starts
        print("aggsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    import signal
    import threading

    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
        previous_interrupt = signal.signal(signal.SIGINT, _raise_interrupted)
    _stops.clear()
    try:
        return COMMANDS[args.command](args)
    except UserError as error:
        return fail(str(error), EXIT_USER_ERROR)
    except Fault as error:
        return fail(str(error), EXIT_FAULT, debug=args.debug)
    except KeyboardInterrupt as stop:
        return _stopped(stop)
    except BrokenPipeError:  # the reader went away (aggsim ... | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as error:  # the machine refused: a full disk, a lost mount, a quota
        where = f"{error.filename}: " if error.filename else ""
        return fail(
            f"{where}{error.strerror or error}; files already written are complete "
            "(a sweep continues with --resume)",
            EXIT_FAULT,
            debug=args.debug,
        )
    except Exception as error:
        if _stops:  # a stop that a library turned into its own error (an import's ImportError)
            return _stopped(Terminated() if _stops[-1] == signal.SIGTERM else KeyboardInterrupt())
        first = (str(error).splitlines() or [""])[0][:200]
        return fail(
            f"internal error: {type(error).__name__}: {first} (run again with --debug for "
            "the traceback)",
            EXIT_FAULT,
            debug=args.debug,
        )
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_interrupt)
        if "sim.output_folder" in sys.modules:
            sys.modules["sim.output_folder"].release_folders()


def fail(message: str, code: int, *, debug: bool = False) -> int:
    """Report an error in one line (after its traceback with ``--debug``) and give its exit
    code."""
    if debug:
        import traceback

        traceback.print_exc()
    print(f"aggsim: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
