"""``aggsim new``: a new scenario file to start a study from (sim.scenario.template)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.errors import UserError


def add_commands(commands) -> None:
    """Add ``new`` to ``aggsim``'s sub-commands."""
    new = commands.add_parser(
        "new",
        help="start a study: a scenario file with every parameter commented and explained",
        description="Write NAME.toml: a scenario file named NAME that sets nothing yet, with "
        "every parameter commented out beside its meaning, the values it accepts and its "
        "default, ready to uncomment and change; with --sweep, also a [sweep] table. It passes "
        "aggsim check as written.",
    )
    new.add_argument("name", help="the scenario's name: letters, digits, '.', '_' or '-'")
    new.add_argument(
        "--sweep", action="store_true", help="add a [sweep] table (for aggsim sweep FILE)"
    )
    new.add_argument("--out", type=Path, help="the file to write (default: NAME.toml here)")
    new.add_argument("--force", action="store_true", help="replace an existing file")
    new.set_defaults(handler=command_new)


def command_new(args: argparse.Namespace) -> int:
    from sim.outputs.output_file import check_output_file
    from sim.outputs.results import write_text
    from sim.scenario.section import SAFE_NAME
    from sim.scenario.template import scenario_template

    if not SAFE_NAME.fullmatch(args.name):
        raise UserError(
            f"name: expected a single folder name (letters, digits, '.', '_' or '-', starting "
            f"with a letter or digit), got {args.name!r}"
        )
    out: Path = args.out or Path(f"{args.name}.toml")
    if out.suffix != ".toml":
        raise UserError(f"{out}: --out: expected a .toml file name")
    check_output_file(out, force=args.force)
    write_text(out, scenario_template(args.name, sweep=args.sweep))
    runs = f"aggsim run {out}" + (f", aggsim sweep {out}" if args.sweep else "")
    print(f"wrote {out}: check it with aggsim check {out}; run it with {runs}")
    return 0
