"""``aggsim demo``: a small world narrated in plain language, for the classroom."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.options import seed_value


def add_commands(commands) -> None:
    """Add ``demo`` to ``aggsim``'s sub-commands."""
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
    demo.set_defaults(handler=command_demo)


def command_demo(args: argparse.Namespace) -> int:
    from sim.scenario.files import load_scenario
    from sim.teaching.demo import demo_scenario, demo_text

    scenario = load_scenario(args.scenario) if args.scenario else demo_scenario()
    if args.seed is not None:
        scenario = scenario.with_values(**{"run.seed": args.seed})
    sys.stdout.write(demo_text(scenario, args.follow))
    return 0
