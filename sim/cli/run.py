"""``aggsim run``: replications of one scenario, written to a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import (
    add_execution_options,
    add_posterior_option,
    add_set_option,
    add_target_options,
    check_size,
    executor_of,
    overrides_of,
    positive_int,
    posterior_of,
    prepare_output_folder,
    seed_value,
    warmup_value,
    warn,
)
from sim.cli.progress import progress_bar


def add_commands(commands) -> None:
    """Add ``run`` to ``aggsim``'s sub-commands."""
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
    run.set_defaults(handler=command_run)


def command_run(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.scenario.files import load_study

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
    from sim.experiments.runs import parse_target

    target = parse_target(args.target_ci, args.max_reps)
    reps = scenario.run.replications if target is None else max(target.max_replications, 1)
    check_size(args, scenario, replications=max(reps, scenario.run.replications), trace=args.trace)
    posterior = posterior_of(args, scenario)
    folder = prepare_output_folder(args.out, scenario.name)

    from dataclasses import asdict

    from sim.experiments.runs import run_replications, run_to_target
    from sim.outputs.results import replications_table, write_run_folder
    from sim.outputs.statistics import summarise

    started = datetime.now(UTC)
    warmup = None
    with (
        progress_bar(
            quiet=args.quiet,
            total=scenario.run.replications,
            description=scenario.name,
            unit="reps",
        ) as bar,
        executor_of(args) as executor,
    ):
        if args.warmup == "auto":
            from sim.experiments.warmup import choose_warmup

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
