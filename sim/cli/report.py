"""``aggsim report`` and ``aggsim plot``: an HTML page and a paper's figure of a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import positive_number
from sim.errors import UserError
from sim.outputs.folder import make_folder


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
        "--format", choices=("png", "pdf", "svg"), default="pdf", help="file format (default pdf)"
    )
    plot.add_argument(
        "--width",
        type=positive_number,
        default=7.0,
        metavar="INCHES",
        help="figure width: 3.5 for a journal's single column, 7 for a double (default 7)",
    )
    plot.add_argument("--out", type=Path, help="the file (default: FOLDER/figures/plot.FORMAT)")
    report.set_defaults(handler=command_report)
    plot.set_defaults(handler=command_plot)


def command_report(args: argparse.Namespace) -> int:
    from sim.inference.pages import PAGES as STUDY_PAGES
    from sim.outputs.report import PAGES, write_report

    if args.out is not None:
        if args.out.is_dir():
            raise UserError(f"{args.out}: --out: expected a file name for the page, found a folder")
        make_folder(args.out.parent)  # the page is written atomically: no lock needed
    print(f"report: {write_report(args.folder, args.out, {**PAGES, **STUDY_PAGES})}")
    return 0


def command_plot(args: argparse.Namespace) -> int:
    from sim.outputs.plots import plot_folder

    if not args.folder.is_dir():
        raise UserError(f"{args.folder}: not a folder")
    written = plot_folder(
        args.folder,
        args.kpi,
        args.x,
        args.hue,
        args.facet,
        args.ci,
        args.format,
        args.width,
        args.out,
    )
    print(f"figure: {written}")
    return 0
