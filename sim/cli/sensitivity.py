"""``aggsim sensitivity``: global sensitivity analysis (Morris, Sobol', FAST) of the KPIs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.options import (
    add_execution_options,
    add_set_option,
    check_size,
    executor_of,
    overrides_of,
    positive_int,
    seed_value,
    submission_window,
    sweep_folder,
    sweep_progress,
    warn,
)
from sim.cli.progress import progress_bar
from sim.errors import UserError


def add_commands(commands) -> None:
    """Add ``sensitivity`` to ``aggsim``'s sub-commands."""
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
    sensitivity.set_defaults(handler=command_sensitivity)


def command_sensitivity(args: argparse.Namespace) -> int:
    from sim.outputs.reference import check_kpi
    from sim.scenario.files import load_scenario

    base = load_scenario(args.scenario, overrides_of(args))
    for kpi in args.kpi:
        check_kpi(kpi, "--kpi")
    if not args.vary:
        raise UserError("--vary: a sensitivity analysis needs at least one varied parameter")
    if args.convergence and args.method == "fast":
        raise UserError("--convergence: FAST samples are not nested; use morris or sobol")

    from sim.experiments.designs import design_points, parse_factors
    from sim.experiments.sensitivity import DEFAULT_SAMPLES, design_for, run_sensitivity
    from sim.model.kpis import main_kpis

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
            quiet=args.quiet, total=points * args.reps, description=base.name, unit="runs"
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
