"""Self-contained HTML reports of a results folder (``aggsim report``).

One HTML file, no network needed: figures are embedded as base64 PNGs, tables are plain HTML, and
the page opens with a short plain-language reading of the results. Works for the folders of
``aggsim run``, ``sweep``, ``sensitivity``, ``compare``, ``validate`` and ``propositions`` (told
apart by their manifest).
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import UserError
from sim.model.kpis import headline_kpis, main_kpis
from sim.model.kpis import kpi as kpi_of
from sim.outputs.wording import movement, who_is_blamed

KEY_PARAMETERS = (
    "aggregator.intermediation",
    "aggregator.brand_salience",
    "aggregator.explanation_rate",
    "aggregator.blame_shifting",
    "aggregator.glitch_rate",
    "aggregator.commission",
    "recovery.policy",
    "recovery.compensation_share",
    "recovery.apology",
    "recovery.proactive",
    "surge.enabled",
    "customers.count",
    "customers.key_account_share",
    "customers.individualism",
    "providers.count",
    "failures.severity_mean",
    "run.days",
    "run.replications",
    "run.seed",
)
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em;
       color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
.wide { overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #d0d0d0; padding: 0.3em 0.6em; text-align: right; }
th { background: #f2f2f2; } td.text, th.text { text-align: left; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.85em; color: #555; }
.reading { background: #f7f9fc; border-left: 4px solid #4a78c2; padding: 0.6em 1em; }
.holds-no { color: #b00020; font-weight: bold; }
h3 { font-size: 1.02em; margin: 1.1em 0 0.3em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 1em; font-size: 0.9em; }
dt { font-weight: 600; color: #444; } dd { margin: 0; }
"""
CHECK_FIGURES = """
window.addEventListener("load", function () {
  var images = document.querySelectorAll("figure img"), shown = 0;
  images.forEach(function (image) {
    if (image.complete && image.naturalWidth > 0) { shown += 1; }
    else { console.error("figure failed to load: " + image.alt); }
  });
  document.body.setAttribute("data-figures-shown", String(shown));
  var root = document.documentElement;  // wide tables scroll in their box, not the page
  document.body.setAttribute("data-fits-width", String(root.scrollWidth <= root.clientWidth));
  var boxes = document.querySelectorAll(".wide"), fit = true;  // and whether any table scrolls
  boxes.forEach(function (box) { if (box.scrollWidth > box.clientWidth) { fit = false; } });
  document.body.setAttribute("data-tables-fit", String(fit));
});
"""


#: A page's title and sections from a results folder and its manifest.
PageBuilder = Callable[[Path, dict[str, Any]], tuple[str, list[str]]]


def write_report(
    folder: Path, out: Path | None = None, pages: Mapping[str, PageBuilder] | None = None
) -> Path:
    """Write the HTML report of a results folder and return its path. ``pages`` maps a folder's
    kind (its manifest's ``aggsim``) to the builder of its page: by default the folders this
    layer knows (:data:`PAGES`); a study's folder passes its own (``aggsim report`` knows every
    kind: :mod:`sim.cli.report`)."""
    from sim.outputs.results import write_text

    manifest = read_manifest(folder)
    kind = manifest.get("aggsim", "run")
    builders = PAGES if pages is None else pages
    if kind not in builders:
        raise UserError(f"{folder}: cannot report on a {kind!r} folder")
    try:
        title, sections = builders[kind](folder, manifest)
    except (OSError, KeyError, TypeError, ValueError, pd.errors.ParserError) as error:
        # A table missing, unreadable or not what its manifest says: the folder was damaged.
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        problem = (
            error.strerror if isinstance(error, OSError) else f"{type(error).__name__}: {detail}"
        )
        raise UserError(
            f"{folder}: not a complete {kind} results folder ({problem}); rerun the command"
        ) from None
    target = out or folder / "report.html"
    write_text(target, page(title, sections, manifest))
    return target


def read_manifest(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise UserError(f"{folder}: no such results folder")
    path = folder / "manifest.json"
    if not path.is_file():
        raise UserError(f"{folder}: not a complete aggsim results folder (no manifest.json)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"{path}: unreadable manifest ({error})") from None
    if not isinstance(manifest, dict) or "scenario" not in manifest:
        raise UserError(f"{path}: not an aggsim manifest (expected an object with a scenario)")
    return manifest


# ---------------------------------------------------------------------- building blocks


def page(title: str, sections: list[str], manifest: dict[str, Any]) -> str:
    versions = manifest.get("versions", {})
    code = manifest.get("code") or {}
    footer = (
        f"aggsim {versions.get('aggsim', '?')}, commit {code.get('commit', 'unknown')[:12]}"
        f"{' (modified)' if code.get('dirty') else ''}; started "
        f"{manifest.get('started_at', '?')}; root seed {manifest.get('root_seed', '?')}."
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n"
        f"<script>{CHECK_FIGURES}</script>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
        + "\n".join(sections)
        + f"\n<hr><p><small>{html.escape(footer)}</small></p>\n</body>\n</html>\n"
    )


def section(heading: str, *parts: str) -> str:
    return f"<section>\n<h2>{html.escape(heading)}</h2>\n" + "\n".join(parts) + "\n</section>"


def reading(paragraphs: Iterable[str]) -> str:
    return (
        '<div class="reading">' + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</div>"
    )


def table(frame: pd.DataFrame, digits: int = 4, warnings: Collection[tuple[str, str]] = ()) -> str:
    """A DataFrame as an HTML table: text left, numbers right, floats rounded; a cell whose
    (column, text) is one of ``warnings`` is shown as a warning."""
    head = "".join(
        f'<th class="{"text" if _is_text(frame[c]) else ""}">{html.escape(str(c))}</th>'
        for c in frame.columns
    )
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            css = "text" if _is_text(frame[column]) else ""
            if isinstance(value, float):
                text = "" if pd.isna(value) else f"{value:.{digits}g}"
            else:
                text = str(value)
            if (column, text) in warnings:
                css += " holds-no"
            cells.append(f'<td class="{css.strip()}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="wide"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table></div>"
    )


def _is_text(column: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def figures(
    folder: Path, captions: dict[str, str] | None = None, first: tuple[str, ...] = ()
) -> str:
    """Every PNG of ``folder/figures`` embedded in the page, those whose names start with one of
    ``first`` first; a parameter's figure keeps the parameter's name as its caption."""
    parts = []
    paths = sorted((folder / "figures").glob("*.png"))
    paths.sort(key=lambda path: not path.name.startswith(first) if first else False)
    for path in paths:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        plain = path.stem if "." in path.stem else path.stem.replace("_", " ")
        caption = (captions or {}).get(path.name, plain)
        parts.append(
            f'<figure><img alt="{html.escape(path.stem)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{html.escape(caption)}'
            "</figcaption></figure>"
        )
    return "\n".join(parts) if parts else "<p>No figures.</p>"


def scenario_table(scenario: dict[str, Any]) -> str:
    rows = [("name", scenario.get("name", "")), ("description", scenario.get("description", ""))]
    for key in KEY_PARAMETERS:
        section_name, name = key.split(".")
        rows.append((key, scenario.get(section_name, {}).get(name, "")))
    frame = pd.DataFrame(rows, columns=["parameter", "value"]).astype(str)
    return (
        table(frame) + "<p><small>Every parameter is in scenario.toml or the manifest.</small></p>"
    )


# ---------------------------------------------------------------------- kinds of folder


def run_sections(folder: Path, manifest: dict[str, Any]) -> tuple[str, list[str]]:
    scenario = manifest["scenario"]
    summary = pd.read_csv(folder / "summary.csv").set_index("kpi")
    headline = headline_kpis()
    shown = summary.loc[[k.name for k in headline]].reset_index()
    shown.insert(1, "meaning", [k.label for k in headline])
    title = f"aggsim run: {scenario['name']}"
    return title, [
        section("Reading", reading(run_reading(summary, manifest))),
        section(
            "Key performance indicators",
            table(shown[["kpi", "meaning", "mean", "ci_low", "ci_high", "n"]]),
        ),
        section("Figures", figures(folder)),
        section("Scenario", scenario_table(scenario)),
    ]


def run_reading(summary: pd.DataFrame, manifest: dict[str, Any]) -> list[str]:
    def m(kpi: str) -> float:
        return summary.loc[kpi, "mean"]

    days = manifest["scenario"]["run"]["days"]
    blame = who_is_blamed(m("mean_aggregator_responsibility"), m("mean_provider_responsibility"))
    return [
        f"Over {manifest['replications']} replications of {days:g} days, {m('failure_rate'):.1%} "
        f"of orders failed. Customers saw the platform in control of the failed service at "
        f"{m('mean_perceived_control'):.2f} on a 0-1 scale and held {blame} responsible "
        f"({m('mean_aggregator_responsibility'):.2f} against "
        f"{m('mean_provider_responsibility'):.2f}).",
        f"They expected compensation worth {m('mean_expected_compensation_share'):.0%} of the "
        f"price, wanted providers punished at {m('mean_expected_punishment'):.2f}, and complained "
        f"after {m('complaint_rate'):.0%} of failures. After recovery their satisfaction averaged "
        f"{m('mean_post_recovery_satisfaction'):.2f}, and {m('customer_churn_rate'):.1%} of "
        "customers left over the horizon.",
    ]


def sweep_sections(folder: Path, manifest: dict[str, Any]) -> tuple[str, list[str]]:
    factors = [f["key"] for f in manifest["factors"]]
    summary = pd.read_csv(folder / "summary.csv")
    main = [k.name for k in main_kpis()]
    wide = (
        summary[summary.kpi.isin(main)]
        .pivot_table(index=["point", *factors], columns="kpi", values="mean", sort=True)
        .reset_index()
    )
    wide.columns.name = None
    errors = pd.read_csv(folder / "errors.csv")
    title = f"aggsim sweep: {manifest['scenario']['name']}"
    sections = [
        section("Reading", reading(sweep_reading(summary, factors, manifest))),
        section(
            "Point means",
            table(wide.head(200)),
            "<p><small>The first 200 points; every point and KPI, with confidence intervals, "
            "is in summary.csv.</small></p>"
            if len(wide) > 200
            else "",
        ),
        section("Figures", figures(folder)),
        section("Base scenario", scenario_table(manifest["scenario"])),
    ]
    if len(errors):
        sections.insert(1, section("Failed runs", table(errors.head(50))))
    return title, sections


def sweep_reading(summary: pd.DataFrame, factors: list[str], manifest: dict[str, Any]) -> list[str]:
    paragraphs = [
        f"{manifest['points']} points ({manifest['design']} design), {manifest['runs']} runs, "
        f"{manifest['failed']} failed."
    ]
    for factor in factors:
        if not pd.api.types.is_numeric_dtype(summary[factor]) or summary[factor].nunique() < 2:
            continue
        low, high = summary[factor].min(), summary[factor].max()
        moves = []
        for k in main_kpis():
            rows = summary[summary.kpi == k.name]
            ends = [rows[rows[factor] == end] for end in (low, high)]
            at_low, at_high = (end["mean"].mean() for end in ends)
            half_widths = sum(((end.ci_high - end.ci_low) / 2).mean() for end in ends)
            moves.append(
                f"{k.label} {movement(at_low, at_high, half_widths)} "
                f"({k.show(at_low)} to {k.show(at_high)})"
            )
        paragraphs.append(
            f"As {factor} goes from {low:g} to {high:g} (averaging over the other "
            f"parameters), " + "; ".join(moves) + "."
        )
    return paragraphs


def sensitivity_sections(folder: Path, manifest: dict[str, Any]) -> tuple[str, list[str]]:
    method = manifest["sensitivity"]["method"]
    indices = pd.read_csv(folder / "indices.csv")
    noise = pd.read_csv(folder / "noise.csv")
    main = "mu_star" if method == "morris" else "ST"
    paragraphs = []
    for kpi, rows in indices.groupby("kpi", sort=False):
        ranked = rows.sort_values(main, ascending=False)
        top = ranked.head(3)
        negligible = ranked[ranked[main] < 0.01 * max(ranked[main].max(), 1e-12)]
        text = (
            f"{kpi}: the most influential parameters ({main}) are "
            + ", ".join(f"{r.parameter} ({getattr(r, main):.3f})" for r in top.itertuples())
            + "."
        )
        if len(negligible):
            text += " No detectable effect: " + ", ".join(negligible.parameter) + "."
        paragraphs.append(text)
    paragraphs += [f"Warning: {w}" for w in manifest["sensitivity"].get("warnings", [])]
    title = f"aggsim sensitivity ({method}): {manifest['scenario']['name']}"
    return title, [
        section("Reading", reading(paragraphs)),
        section("Indices", table(indices)),
        section("Replication noise", table(noise)),
        section("Figures", figures(folder, first=("sensitivity_",))),
        section("Base scenario", scenario_table(manifest["scenario"])),
    ]


def compare_sections(folder: Path, manifest: dict[str, Any]) -> tuple[str, list[str]]:
    comparison = pd.read_csv(folder / "comparison.csv")
    names = manifest["scenario"]["a"]["name"], manifest["scenario"]["b"]["name"]
    shown = comparison.set_index("kpi").loc[[k.name for k in headline_kpis()]].reset_index()
    paragraphs = []
    for row in shown.itertuples():
        if row.ci_low > 0 or row.ci_high < 0:
            paragraphs.append(difference_sentence(kpi_of(row.kpi), row, names))
    if not paragraphs:
        paragraphs.append("No headline KPI differs beyond its 95% confidence interval.")
    title = f"aggsim compare: {names[1]} - {names[0]}"
    return title, [
        section("Reading", reading(paragraphs)),
        section("Paired differences (B - A)", table(shown)),
        section("Figures", figures(folder)),
        section("Scenario A", scenario_table(manifest["scenario"]["a"])),
        section("Scenario B", scenario_table(manifest["scenario"]["b"])),
    ]


def difference_sentence(k, row, names: tuple[str, str]) -> str:
    """B against A in words, the amount and its interval both as magnitudes of the same sign."""
    higher = row.difference > 0
    low, high = (row.ci_low, row.ci_high) if higher else (-row.ci_high, -row.ci_low)
    return (
        f"{k.label[0].upper()}{k.label[1:]} is {'higher' if higher else 'lower'} in {names[1]} "
        f"than in {names[0]} by {k.show_difference(abs(row.difference), signed=False)} (95% CI "
        f"{k.show_difference(low, signed=False)} to {k.show_difference(high, signed=False)})."
    )


#: The pages of the folders the experiments write (``aggsim run``, ``sweep``, ``sensitivity``,
#: ``compare``), by the folder's kind.
PAGES: dict[str, PageBuilder] = {
    "run": run_sections,
    "sweep": sweep_sections,
    "sensitivity": sensitivity_sections,
    "compare": compare_sections,
}
