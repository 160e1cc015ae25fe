"""``aggsim report`` and ``aggsim plot``: an HTML page and a paper's figure of a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import positive_number
from sim.errors import UserError


def add_commands(commands) -> None:
    """Add ``report`` and ``plot`` to ``aggsim``'s sub-commands."""
    report = commands.add_parser(
        "report",
        help="a self-contained HTML report of a results folder",
        description="Write one HTML page (figures embedded, no network needed) that presents a "
        "results folder: its scenario, tables, figures and manifest.",
    )
    report.add_argument(
        "folder",
        type=Path,
        help="the folder of a run, sweep, sensitivity analysis, comparison or propositions report",
    )
    report.add_argument("--out", type=Path, help="the HTML file (default: FOLDER/report.html)")

    plot = commands.add_parser(
        "plot",
        help="a figure of a results folder for a paper (PNG, PDF or SVG)",
        description="Draw chosen KPIs of a sweep or sensitivity folder against a varied "
        "parameter, one line per level of a second and one row per level of a third, with 95% "
        "CIs; a run's daily series with bands across replications; a comparison's paired "
        "differences.",
    )
    plot.add_argument("folder", type=Path, help="a run, sweep, sensitivity or compare folder")
    plot.add_argument(
        "--kpi",
        action="append",
        default=[],
        metavar="NAME",
        help="a KPI to show (repeatable; default: the main KPIs)",
    )
    plot.add_argument("--x", metavar="PARAM", help="the varied parameter on the x axis")
    plot.add_argument("--hue", metavar="PARAM", help="one line per level of this parameter")
    plot.add_argument("--facet", metavar="PARAM", help="one row of panels per level of this")
    plot.add_argument(
        "--ci",
        choices=("bands", "whiskers"),
        default="bands",
        help="95%% CIs as bands (default) or whiskers; a categorical x always has whiskers",
    )
    plot.add_argument(
        "--format",
        choices=("png", "pdf", "svg"),
        help="file format (default: from --out's extension, else pdf)",
    )
    plot.add_argument(
        "--width",
        type=inches,
        default=7.0,
        metavar="INCHES",
        help="figure width: 3.5 for a journal's single column, 7 for a double (default 7; "
        f"{MIN_INCHES:g} to {MAX_INCHES:g})",
    )
    plot.add_argument("--out", type=Path, help="the file (default: FOLDER/figures/plot.FORMAT)")
    report.add_argument("--force", action="store_true", help="replace an existing --out file")
    plot.add_argument(
        "--force",
        action="store_true",
        help=f"replace an existing --out file, and draw more than {MOST_KPIS} KPIs",
    )
    report.set_defaults(handler=command_report)
    plot.set_defaults(handler=command_plot)


#: The widths a figure may have, in inches: from a thumbnail to a poster's panel.
MIN_INCHES, MAX_INCHES = 1.0, 40.0
#: The most KPIs one figure draws (one row of panels each) without --force.
MOST_KPIS = 12


def inches(text: str) -> float:
    value = positive_number(text)
    if not MIN_INCHES <= value <= MAX_INCHES:
        raise argparse.ArgumentTypeError(
            f"expected a width from {MIN_INCHES:g} to {MAX_INCHES:g} inches, got {text}"
        )
    return value


def command_report(args: argparse.Namespace) -> int:
    from sim.inference.pages import PAGES as STUDY_PAGES
    from sim.outputs.output_file import check_output_file
    from sim.outputs.report import PAGES, read_manifest, write_report

    read_manifest(args.folder)  # a results folder, before anything is written
    out = args.out if args.out is not None else args.folder / "report.html"
    check_output_file(out, force=args.force, create_folder=True)
    print(f"report: {write_report(args.folder, out, {**PAGES, **STUDY_PAGES})}")
    return 0


def command_plot(args: argparse.Namespace) -> int:
    from sim.outputs.output_file import check_output_file, file_format
    from sim.outputs.plots import FORMATS, plot_folder

    if not args.folder.is_dir():
        raise UserError(f"{args.folder}: not a folder")
    kpis = list(dict.fromkeys(args.kpi))  # each once, in the order given
    if len(kpis) > MOST_KPIS and not args.force:
        raise UserError(
            f"--kpi: {len(kpis)} KPIs make a figure of {len(kpis)} rows; at most {MOST_KPIS} "
            "without --force"
        )
    fmt = file_format(args.format, args.out, {f: f for f in FORMATS}, "pdf")
    out = args.out if args.out is not None else args.folder / "figures" / f"plot.{fmt}"
    check_output_file(out, force=args.force, create_folder=True)
    written = plot_folder(
        args.folder,
        kpis,
        args.x,
        args.hue,
        args.facet,
        args.ci,
        fmt,
        args.width,
        out,
    )
    print(f"figure: {written}")
    return 0
