"""The command line of calibration: ``aggsim calibrate`` (MODEL.md 11.1)."""

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
    prepare_output_folder,
    seed_value,
)
from sim.cli.progress import progress_bar
from sim.errors import UserError


def add_commands(commands) -> None:
    """Add ``aggsim calibrate`` to ``aggsim``'s sub-commands."""
    from sim.inference.defaults import CUSTOMERS, DRAWS, GENERATIONS, POPULATION

    calibrate = commands.add_parser(
        "calibrate",
        help="ABC-SMC calibration: a posterior over the calibrated parameters",
        description="Approximate Bayesian computation (ABC-SMC, pyabc) of the calibrated "
        "parameters against the calibration set of validation patterns, on a small world of "
        "the scenario: writes the posterior (posterior.parquet: weighted particles), its "
        "summary with 90% credible intervals, the generations' thresholds, acceptance and "
        "effective sample sizes, and the predictive intervals of every validation pattern "
        "(the held-out ones never used in fitting), with figures. Results depend on the seed "
        "only, not on the workers or the executor.",
    )
    calibrate.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
    calibrate.add_argument(
        "--population",
        type=positive_int,
        default=POPULATION,
        help=f"particles per generation (default {POPULATION})",
    )
    calibrate.add_argument(
        "--generations",
        type=positive_int,
        default=GENERATIONS,
        help=f"the most generations (default {GENERATIONS}; the run stops earlier once every "
        "statistic lies inside its target)",
    )
    calibrate.add_argument(
        "--customers",
        type=positive_int,
        default=CUSTOMERS,
        help=f"customers of the calibration world (default {CUSTOMERS}; providers scaled alike)",
    )
    calibrate.add_argument(
        "--draws",
        type=positive_int,
        default=DRAWS,
        help=f"posterior draws behind the predictive intervals (default {DRAWS})",
    )
    calibrate.add_argument(
        "--minutes",
        type=positive_int,
        help="stop after the generation that passes this many minutes (default: no limit)",
    )
    calibrate.add_argument("--seed", type=seed_value, help="root seed (default: run.seed)")
    add_set_option(calibrate)
    calibrate.add_argument(
        "--out", type=Path, help="output folder (default: results/<name>-calibration/<UTC time>/)"
    )
    add_execution_options(calibrate)
    calibrate.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    calibrate.set_defaults(handler=command_calibrate)


def command_calibrate(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sim.scenario.files import load_scenario

    try:
        from sim.experiments.posterior import Posterior
        from sim.inference import report
        from sim.inference.predictive import predict, predictive_table
        from sim.inference.priors import PRIORS, check_priors
        from sim.inference.smc import Settings, calibrate
        from sim.inference.statistics import (
            held_out_set,
            real_statistics,
            small_world,
            statistics_of,
        )
    except ImportError as error:
        raise UserError(
            f"aggsim calibrate needs pyabc ({error.name} is missing): "
            "pip install 'aggsim[calibrate]'"
        ) from None

    base = load_scenario(args.scenario, overrides_of(args))
    world = small_world(base, args.customers)
    scenario = base.with_values(**world)
    check_priors(PRIORS, scenario)
    statistics = real_statistics()
    held_out = statistics_of(held_out_set())
    settings = Settings(
        population=args.population,
        generations=args.generations,
        seed=scenario.run.seed,
        minutes=args.minutes,
    )
    check_size(args, scenario, trace=True)
    folder = prepare_output_folder(args.out, f"{base.name}-calibration")
    started = datetime.now(UTC)
    with executor_of(args) as executor:
        with progress_bar(
            quiet=args.quiet,
            total=settings.population * settings.generations,
            description=f"{base.name}: particles",
            unit="particles",
        ) as bar:
            calibration = calibrate(
                scenario, PRIORS, statistics, settings, executor, on_task=lambda t: bar.update()
            )
        posterior = Posterior(calibration.particles)
        keys = [s.key for s in (*statistics, *held_out)]
        with progress_bar(
            quiet=args.quiet, total=args.draws, description="predictive draws", unit="draws"
        ) as bar:
            draws = predict(
                scenario,
                posterior,
                keys,
                executor,
                args.draws,
                settings.seed,
                on_done=bar.update,
            )
    predictive = predictive_table(draws, (*statistics, *held_out))
    extra = {"overrides": overrides_of(args)}
    report.write_folder(folder, base, world, calibration, draws, predictive, started, extra)
    if not args.quiet:
        sys.stdout.write((folder / "calibration.md").read_text(encoding="utf-8"))
    print(f"results: {folder}")
    return 0
