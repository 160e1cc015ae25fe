"""The ``aggsim`` command: its entry point and the table of its command groups.

Each group is one module of this package that adds its commands' parsers, each with its handler
(``add_commands``); :data:`GROUPS` lists them in the order ``aggsim --help`` shows them, so a new
command is one module and one line here. What the commands share (argument types, execution and
output options, progress, size checks) is in :mod:`sim.cli.options`.

Heavy modules (numpy, pandas, simpy, matplotlib) are imported inside the handlers, so ``aggsim
--help`` answers at once. Every error ends in one line (:func:`main`): exit code 2 for the
user's input, 1 for a fault (``--debug`` shows its traceback); Ctrl-C ends with exit code 130 and
leaves only complete files.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from sim.cli.options import EXIT_USER_ERROR, Parser, settle_workers
from sim.errors import Fault, UserError

EXIT_FAULT = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141

#: The command groups (modules of ``sim.cli``), in the order ``aggsim --help`` lists them: what a
#: researcher runs, then what reads its folders, then the classroom and the vignette studies, then
#: the scenario files themselves.
GROUPS = (
    "run",
    "sweep",
    "sensitivity",
    "compare",
    "validate",
    "calibrate",
    "report",
    "describe",
    "demo",
    "app",
    "vignette",
    "scenario",
    "new",
)


def build_parser() -> argparse.ArgumentParser:
    """``aggsim`` with every group's commands, and ``--version`` and ``--debug``."""
    from sim import __version__

    parser = Parser(
        prog="aggsim",
        description="Simulate service failures on an aggregator platform: blame, compensation, "
        "punishment, recovery and churn.",
    )
    parser.add_argument("--version", action="version", version=f"aggsim {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    for group in GROUPS:
        import_module(f"sim.cli.{group}").add_commands(commands)
    debug = "on an internal fault, show the traceback (default: one line)"
    parser.add_argument("--debug", action="store_true", help=debug)
    from sim.cli.examples import HelpFormatter, epilog

    for name, command in commands.choices.items():  # also after the command: aggsim run --debug
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug)
        command.epilog = epilog(name)
        command.formatter_class = HelpFormatter
    return parser


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every sub-command's parser by name, in the order ``aggsim --help`` lists them (for the
    documentation's command reference)."""
    actions = build_parser()._actions  # argparse has no public way to list sub-commands
    return next(dict(a.choices) for a in actions if isinstance(a, argparse._SubParsersAction))


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


#: The commands an interrupted run of continues with ``--resume``.
RESUMABLE = ("sweep", "sensitivity")


def _stopped(stop: KeyboardInterrupt, command: str | None = None) -> int:
    terminated = isinstance(stop, Terminated)
    hint = f" (aggsim {command} continues with --resume)" if command in RESUMABLE else ""
    print(
        f"aggsim: {'terminated' if terminated else 'interrupted'}; no half-written file is "
        f"left{hint}",
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
        settle_workers(args)
        return args.handler(args)
    except UserError as error:
        return fail(str(error), EXIT_USER_ERROR)
    except Fault as error:
        return fail(str(error), EXIT_FAULT, debug=args.debug)
    except KeyboardInterrupt as stop:
        return _stopped(stop, args.command)
    except BrokenPipeError:  # the reader went away (aggsim ... | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as error:  # the machine refused: a full disk, a lost mount, a quota
        where = f"{error.filename}: " if error.filename else ""
        resume = f" (aggsim {args.command} continues with --resume)"
        return fail(
            f"{where}{error.strerror or error}; files already written are complete"
            + (resume if args.command in RESUMABLE else ""),
            EXIT_FAULT,
            debug=args.debug,
        )
    except Exception as error:
        if _stops:  # a stop that a library turned into its own error (an import's ImportError)
            signalled = Terminated() if _stops[-1] == signal.SIGTERM else KeyboardInterrupt()
            return _stopped(signalled, args.command)
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
        if "sim.outputs.folder" in sys.modules:
            sys.modules["sim.outputs.folder"].release_folders()


def fail(message: str, code: int, *, debug: bool = False) -> int:
    """Report an error in one line (after its traceback with ``--debug``) and give its exit
    code."""
    if debug:
        import traceback

        traceback.print_exc()
    print(f"aggsim: error: {message}", file=sys.stderr)
    return code
