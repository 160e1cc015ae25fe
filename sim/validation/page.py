"""The HTML page of ``aggsim validate`` and ``aggsim propositions`` (MODEL.md 11).

Each kind of pattern gets a verdict table narrow enough for a page without scrolling sideways:
the pattern, its statement, the estimate with its interval and target, the verdict, and the
knockout's estimate and verdict. What each pattern stands on — the outside evidence, who was
measured and how, the model's component, the knockout's setting and the source — follows,
pattern by pattern, as text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.outputs.report import figures, reading, scenario_table, section
from sim.outputs.report import table as html_table
from sim.validation.runner import FALSIFIABLE
from sim.validation.sequential import rule_text
from sim.validation.targets import DOES_NOT_HOLD, HOLDS, INCONCLUSIVE

#: The verdict table's columns, as the page heads them (the interval is the estimate's, at the
#: level the reading states).
VERDICT_COLUMNS = (
    "pattern",
    "statement",
    "estimate",
    "interval",
    "target",
    "verdict",
    "knockout estimate",
    "knockout verdict",
)

#: Table cells shown as a warning: a pattern that does not hold (or not yet), a knockout that
#: does not make its pattern fail.
UNWANTED = {
    *(("verdict", v) for v in (DOES_NOT_HOLD, INCONCLUSIVE)),
    *(("knockout verdict", v) for v in (HOLDS, INCONCLUSIVE)),
}

#: What a pattern stands on, in the order the page gives it, with its label.
GROUNDS = {
    "evidence": "Evidence",
    "population": "Who was measured",
    "source_measure": "Measure",
    "source_estimate": "Found",
    "level": "Level",
    "component": "The model's component",
    "knockout": "Knockout",
    "knockout_component": "Under the knockout",
    "source": "Source",
}


def rule_of(manifest: Mapping[str, Any]) -> str:
    """The replication rule of a validation folder (a folder written before the rule: one look
    at 95%)."""
    first = manifest["replications"]
    return rule_text(first, manifest.get("most_replications", first))


def grounds(rows: pd.DataFrame) -> str:
    """Pattern by pattern, what each stands on (the columns of :data:`GROUNDS` it has)."""
    blocks = []
    for _, row in rows.iterrows():
        items = [
            f"<dt>{label}</dt><dd>{html.escape(str(row[column]))}</dd>"
            for column, label in GROUNDS.items()
            if column in row.index and pd.notna(row[column]) and str(row[column]).strip()
        ]
        key = html.escape(row.key)
        blocks.append(f'<h3 id="{key}">{key}</h3>\n<dl>{"".join(items)}</dl>')
    return "\n".join(blocks)


def verdict_table(rows: pd.DataFrame) -> str:
    """The verdicts of one kind of pattern, in the columns of :data:`VERDICT_COLUMNS`; a pattern's
    key may break after an underscore, so that the statement keeps the room."""
    shown = pd.DataFrame(
        {
            "pattern": rows.key,
            "statement": rows.statement,
            "estimate": rows.estimate,
            "interval": list(map(interval, rows.ci_low, rows.ci_high)),
            "target": rows.target,
            "verdict": rows.verdict,
            "knockout estimate": rows.knockout_estimate,
            "knockout verdict": rows.knockout_verdict,
        },
        columns=list(VERDICT_COLUMNS),
    )
    text = html_table(shown, digits=3, warnings=UNWANTED)
    for key in rows.key:
        escaped = html.escape(key)
        text = text.replace(f">{escaped}</td>", ">" + escaped.replace("_", "_<wbr>") + "</td>")
    return text


def interval(low: float, high: float) -> str:
    """An interval as the table shows it: ``0.231 to 0.242``; empty for an exact estimate."""
    if pd.isna(low) or pd.isna(high) or low == high:
        return ""
    return f"{low:.3g} to {high:.3g}"


def validation_sections(
    folder: Path, manifest: dict[str, Any], more: Sequence[str] = ()
) -> tuple[str, list[str]]:
    """The page of ``aggsim validate`` and its propositions' view (``aggsim propositions``);
    ``more`` are sections shown before the figures (the held-out predictions of
    ``--posterior``: :func:`sim.inference.pages.validation_page`)."""
    stem = manifest["aggsim"]
    found = pd.read_csv(folder / f"{stem}.csv")
    falsified = int((found.falsification == FALSIFIABLE).sum())
    valid = found[found.kind == "validation"]
    checks = found[found.kind == "verification"]
    paragraphs = [
        f"Against outside evidence, {int((valid.verdict == HOLDS).sum())} of {len(valid)} "
        f"validation patterns hold on {manifest['scenario']['name']}; "
        f"{int((checks.verdict == HOLDS).sum())} of {len(checks)} verification checks (the code "
        f"does what MODEL.md says) hold; {falsified} of {len(found)} patterns fail under their "
        f"knockout. {rule_of(manifest)} "
        f"({manifest['conditions_run']} distinct simulated conditions).",
        "A pattern holds when the confidence interval of its estimate lies beyond the "
        "smallest effect of interest, or inside the target range; it does not hold when the "
        "interval lies on the wrong side, and is inconclusive when it straddles the threshold. "
        "Each pattern is measured again under its knockout — the setting that removes its "
        "mechanism — where it must not hold. Exact estimates are properties of the judgement "
        "functions at the scenario's parameters. Below each table, what each pattern stands on; "
        f"every column is in {stem}.csv.",
    ]
    for verdict in (DOES_NOT_HOLD, INCONCLUSIVE):
        rows = found[found.verdict == verdict]
        if len(rows):
            paragraphs.append(f"{verdict.capitalize()}: " + "; ".join(rows.key) + ".")
    unfalsified = found[found.falsification != FALSIFIABLE]
    if len(unfalsified):
        paragraphs.append("Not shown falsifiable: " + "; ".join(unfalsified.key) + ".")
    kinds = (
        ("Validation: the model against outside, quantitative findings", valid),
        ("Verification: the code does what MODEL.md says", checks),
    )
    verdicts = [section(h, verdict_table(rows) + grounds(rows)) for h, rows in kinds if len(rows)]
    title = (
        f"aggsim {'validate' if stem == 'validation' else 'propositions'}: "
        + manifest["scenario"]["name"]
    )
    return title, [
        section("Reading", reading(paragraphs)),
        *verdicts,
        *more,
        section("Figures", figures(folder)),
        section("Scenario", scenario_table(manifest["scenario"])),
    ]
