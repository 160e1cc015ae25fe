"""What the commands share: argument types, the options common to several commands, and the
progress, output folder and size checks every command that runs the model goes through."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from sim.errors import UserError
from sim.outputs.folder import check_output_place, output_folder

#: The exit code of a problem with the user's input (a usage error included).
EXIT_USER_ERROR = 2


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


def whole_number_from(minimum: int) -> Callable[[str], int]:
    """An option's type: a whole number of at least ``minimum``."""

    def whole_number(text: str) -> int:
        value = positive_int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected at least {minimum}, got {value}")
        return value

    return whole_number


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


#: The sweep designs, as in ``sim.experiments.designs.DESIGNS`` (restated so that --help imports
#: no numpy).
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
    from sim.experiments.posterior import Posterior

    posterior = Posterior.read(args.posterior)
    posterior.check(scenario, posterior.source, "--posterior")
    return posterior


#: The environment variable that sets the default of ``--workers`` (a job script's cores, or 1 on
#: a machine whose other cores are busy with other work).
WORKERS_VARIABLE = "AGGSIM_WORKERS"


def default_workers() -> int:
    """``--workers`` when not given: :data:`WORKERS_VARIABLE` if set, else the cores this process
    may run on (its CPU affinity: a cluster job's share of a node, not the whole node)."""
    value = os.environ.get(WORKERS_VARIABLE)
    if value is not None:
        if value.strip().isdigit() and int(value) >= 1:
            return int(value)
        raise UserError(
            f"{WORKERS_VARIABLE}={value!r} (environment): expected a whole number of worker "
            "processes, 1 or more"
        )
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def settle_workers(args: argparse.Namespace) -> None:
    """Give a command's ``--workers`` its default (:func:`default_workers`) when not given."""
    if getattr(args, "workers", 0) is None:
        args.workers = default_workers()


def add_execution_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--workers",
        type=positive_int,
        help=f"worker processes (default: ${WORKERS_VARIABLE} if set, else every core this "
        "process may use); results do not depend on it",
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
    """The executor the command's options ask for
    (:func:`sim.experiments.executors.open_executor`)."""
    from sim.experiments.executors import open_executor

    return open_executor(args.executor, args.workers, args.scheduler, args.worker_timeout, warn)


def add_target_options(command: argparse.ArgumentParser, meaning: str) -> None:
    command.add_argument("--target-ci", metavar="KPI=HALFWIDTH", help=meaning)
    command.add_argument(
        "--max-reps",
        type=positive_int,
        default=100,
        help="most replications --target-ci may reach (default: 100)",
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
    from sim.outputs.results import default_run_folder

    folder = args.out if args.out is not None else default_run_folder(name)
    check_output_place(folder)  # created and locked by the sweep once its plan is checked
    return folder


def submission_window(args: argparse.Namespace) -> int:
    """Runs in flight at once: enough to keep every worker busy, few enough to bound memory."""
    return 1 if args.executor == "inprocess" else 4 * args.workers


def sweep_progress(bar):
    """A :class:`sim.experiments.sweep.SweepProgress` that drives a progress bar: runs and points
    done, failures, time left."""
    from sim.experiments.sweep import SweepProgress

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
    (:mod:`sim.experiments.budget`)."""
    from sim.experiments.budget import check_budget, estimate

    if args.executor == "inprocess":
        workers = 1
    elif args.executor == "dask" and args.scheduler:
        workers = 0  # the workers' memory is on the cluster's machines
    else:
        workers = args.workers
    budget = estimate(scenario, points, replications, workers, trace=trace, collected=collected)
    check_budget(budget, force=args.force)


def prepare_output_folder(out: Path | None, scenario_name: str) -> Path:
    from sim.outputs.folder import LOCK_NAME
    from sim.outputs.results import default_run_folder, holds_results

    folder = out if out is not None else default_run_folder(scenario_name)
    if folder.is_dir() and holds_results(folder):
        raise UserError(f"{folder}: --out: already holds the results of a run; choose another")
    if folder.is_dir() and any(p.name != LOCK_NAME for p in folder.iterdir()):
        # e.g. an interrupted sweep or a killed run: writing over it would leave a mixed folder
        raise UserError(f"{folder}: --out: the folder is not empty; choose another")
    return output_folder(folder, disposable=True)


def terminal_columns() -> int:
    """The terminal's width (80 when the output is not a terminal), at most 120 for reading."""
    return min(120, shutil.get_terminal_size((80, 24)).columns)
