"""``aggsim compare``: two scenarios with common random numbers, and their paired differences."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import (
    add_execution_options,
    add_posterior_option,
    add_set_option,
    check_size,
    executor_of,
    positive_int,
    posterior_of,
    prepare_output_folder,
    seed_value,
    terminal_columns,
)
from sim.cli.progress import progress_bar


def add_commands(commands) -> None:
    """Add ``compare`` to ``aggsim``'s sub-commands."""
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
    compare.set_defaults(handler=command_compare)


def command_compare(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.scenario.files import load_scenario

    a = load_scenario(args.scenario_a, args.overrides)
    seed = args.seed if args.seed is not None else a.run.seed
    reps = args.reps if args.reps is not None else a.run.replications
    common = [f"run.seed={seed}", f"run.replications={reps}"]
    a = load_scenario(args.scenario_a, [*args.overrides, *common])
    b = load_scenario(args.scenario_b, [*args.overrides, *common])
    name = f"{a.name}-vs-{b.name}"
    from sim.experiments.budget import size_point

    check_size(args, a, [{}, size_point(b)], reps)  # A, and B as a point of A
    posterior = posterior_of(args, a)
    if posterior is not None:
        posterior.check(b, posterior.source, "--posterior")
    folder = prepare_output_folder(args.out, name)

    from sim.experiments.runs import run_replications
    from sim.outputs.comparison import write_compare_folder

    started = datetime.now(UTC)
    with (
        progress_bar(quiet=args.quiet, total=2 * reps, description=name, unit="reps") as bar,
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
    from sim.model.kpis import headline_kpis
    from sim.outputs.comparison import show_reduction

    shown = headline_kpis()
    rows = comparison.set_index("kpi")
    width = max(len(k.label) for k in shown)
    wide = width + 72 <= terminal_columns()
    print(f"B - A: {name_b} - {name_a}")
    print(f"{reps} paired replications with common random numbers (seed {seed})")
    print("var. red.: how much common random numbers shrank the variance of B - A")
    if wide:
        print(f"{'':{width}s}  {'A':>9s}  {'B':>9s}  {'B - A':>9s}  {'95% CI':>22s}  var. red.")
    for k in shown:
        row = rows.loc[k.name]
        a, b, difference = k.show(row.mean_a), k.show(row.mean_b), k.show_difference(row.difference)
        interval = f"{k.show_difference(row.ci_low)} to {k.show_difference(row.ci_high)}"
        if row.ci_low == row.ci_high:  # the same difference in every replication
            interval = "same in every rep."
        reduction = show_reduction(row.variance_reduction)
        if wide:
            print(
                f"{k.label:{width}s}  {a:>9s}  {b:>9s}  {difference:>9s}  {interval:>22s}  "
                f"{reduction}"
            )
        else:  # a narrow terminal: each KPI on two lines
            print(k.label)
            print(f"    A {a}, B {b}, B - A {difference} ({interval}), var. red. {reduction}")
