"""``aggsim sweep`` and ``aggsim merge``: a design of scenario points with replications, and the
joining of its shards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.options import (
    DESIGN_NAMES,
    add_execution_options,
    add_posterior_option,
    add_set_option,
    add_target_options,
    check_size,
    executor_of,
    overrides_of,
    positive_int,
    posterior_of,
    seed_value,
    shard_value,
    submission_window,
    sweep_folder,
    sweep_progress,
    warn,
)
from sim.cli.progress import progress_bar
from sim.outputs.folder import check_output_place, output_folder


def add_commands(commands) -> None:
    """Add ``sweep`` and ``merge`` to ``aggsim``'s sub-commands."""
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

    merge = commands.add_parser(
        "merge",
        help="join the shard folders of a sweep",
        description="Join the folders of every shard of one sweep (aggsim sweep --shard i/n) into "
        "one folder whose tables equal those of the unsharded sweep. Every shard must have "
        "finished, and together they must hold every planned run.",
    )
    merge.add_argument("out", type=Path, help="folder for the merged sweep")
    merge.add_argument("shards", nargs="+", type=Path, help="the shard folders")
    sweep.set_defaults(handler=command_sweep)
    merge.set_defaults(handler=command_merge)


def command_sweep(args: argparse.Namespace) -> int:
    from sim.scenario.files import load_study

    base, table = load_study(args.scenario, overrides_of(args))

    from dataclasses import replace

    from sim.experiments.designs import design_warnings
    from sim.experiments.runs import parse_target
    from sim.experiments.sweep import plan_sweep, run_sweep

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
    from sim.experiments.sweep import most_replications

    design = plan.points()
    points = len(design)
    replications = most_replications(plan.definition())
    check_size(args, base, design, replications, collected=False)
    folder = sweep_folder(args, f"{base.name}-sweep")
    from sim.cli.sweep_text import design_lines

    for line in design_lines(plan.design, design, plan.replications):
        print(line)

    window = submission_window(args)
    with (
        progress_bar(
            quiet=args.quiet, total=points * plan.replications, description=base.name, unit="runs"
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
    from sim.cli.sweep_text import summary_lines
    from sim.model.kpis import main_kpis

    print(f"{outcome.runs} runs of {outcome.points} points; results: {outcome.folder}")
    for line in summary_lines(outcome.folder, [k.name for k in main_kpis()]):
        print(line)
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


def command_merge(args: argparse.Namespace) -> int:
    from sim.experiments.sweep import merge_shards

    check_output_place(args.out, "OUT")
    return report_sweep(
        merge_shards(args.out, args.shards, lambda out: output_folder(out, "OUT", disposable=True))
    )
