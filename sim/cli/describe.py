"""``aggsim describe``: the ODD protocol of a scenario or of a run, as Markdown, HTML or Word
(MODEL.md 16)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.errors import UserError

FORMATS = ("md", "html", "docx")


def add_commands(commands) -> None:
    """Add ``describe`` to ``aggsim``'s sub-commands."""
    from sim.cli.options import add_set_option

    describe = commands.add_parser(
        "describe",
        help="write the ODD protocol of a scenario (or of a run), with the STRESS-DES checklist",
        description="Write the ODD protocol (Grimm et al. 2020) of a scenario — the built-in "
        "baseline when none is given — or, with --run, of the scenario a results folder ran, "
        "with the experiment: its seven elements quoted from the model's specification, the "
        "scenario's parameter values (the changed ones marked), the random-number design, the "
        "STRESS-DES checklist and the citation of this version.",
    )
    describe.add_argument("scenario", nargs="?", type=Path, help="scenario file (TOML)")
    add_set_option(describe)
    describe.add_argument(
        "--run",
        type=Path,
        metavar="FOLDER",
        help="a results folder of aggsim run, sweep, compare, validate or propositions: "
        "describe the scenario it ran and the experiment",
    )
    describe.add_argument(
        "--format",
        choices=FORMATS,
        help="md, html or docx (default: from --out's extension, else md)",
    )
    describe.add_argument(
        "--out", type=Path, help="the file to write (default: <scenario name>-ODD.<format>)"
    )
    describe.add_argument("--force", action="store_true", help="replace an existing --out file")
    describe.set_defaults(handler=command_describe)


def output_format(requested: str | None, out: Path | None) -> str:
    """The format asked for, else the one --out's extension names, else Markdown."""
    from sim.outputs.output_file import file_format

    implied = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "docx": "docx"}
    return file_format(requested, out, implied, "md")


def command_describe(args: argparse.Namespace) -> int:
    from sim.describe.citation import citation
    from sim.describe.experiment import read_run
    from sim.describe.odd import changed_keys, odd_document
    from sim.describe.render import to_html, write_docx
    from sim.outputs.output_file import check_output_file
    from sim.outputs.provenance import code_version
    from sim.outputs.results import atomic_write
    from sim.scenario.files import load_scenario

    fmt = output_format(args.format, args.out)
    run = None
    if args.run is not None:
        if args.scenario is not None or args.overrides:
            raise UserError(
                "--run: the run's own scenario is described; give a scenario file or --run, "
                "not both (and no --set)"
            )
        run = read_run(args.run)
        scenario, source = run.scenario, f"run in {args.run}"
    else:
        scenario = load_scenario(args.scenario, args.overrides)
        source = str(args.scenario) if args.scenario else "the built-in baseline"
    out = check_output_file(
        args.out or Path(f"{scenario.name}-ODD.{fmt}"), inputs=[args.scenario], force=args.force
    )

    code = code_version()
    text = odd_document(scenario, source=source, code=code, run=run)
    title = f"ODD protocol: {scenario.name}"
    if fmt == "md":
        atomic_write(out, lambda path: path.write_text(text, encoding="utf-8"))
    elif fmt == "html":
        page = to_html(text, title)
        atomic_write(out, lambda path: path.write_text(page, encoding="utf-8"))
    else:
        atomic_write(out, lambda path: write_docx(text, title, path))
    print(
        f"wrote {out}: the ODD protocol of {scenario.name!r} "
        f"({len(changed_keys(scenario))} parameter(s) differ from the defaults)"
    )
    print("cite as: " + citation(code).split("\n", 1)[0].replace("*", ""))
    return 0
