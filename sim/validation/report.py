"""What ``aggsim validate`` writes: the verdict table, its Markdown, figures and the catalogue as
documentation (MODEL.md 11)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.outputs.figures import pyplot, save_figure
from sim.outputs.report import PageBuilder
from sim.validation.measures import compensation_curves
from sim.validation.patterns import PATTERNS, VALIDATION, VERIFICATION, Pattern
from sim.validation.runner import FALSIFIABLE, NOT_SHOWN_FALSIFIABLE, Validated, Validation
from sim.validation.sequential import rule_text
from sim.validation.targets import HOLDS

#: The command a validation's notes build on when they are not told the one that ran it.
RERUN = "aggsim validate"


def table(validation: Validation) -> pd.DataFrame:
    """One row per pattern: estimate, interval, target and verdict, and the same under the
    knockout (``validation.csv``)."""
    return pd.DataFrame([r.row() for r in validation.results])


def _number(value: float) -> str:
    if math.isnan(value):
        return ""
    return "0" if abs(value) < 1e-9 else f"{value:.4g}"


def _interval(low: float, high: float, n: int) -> str:
    return "exact" if n == 1 else f"[{_number(low)}, {_number(high)}]"


def of_kind(results: Iterable[Validated], kind: str) -> list[Validated]:
    return [r for r in results if r.pattern.kind == kind]


def summary_line(rows: pd.DataFrame) -> str:
    """Validations and verifications counted apart, from the rows of ``validation.csv``: only
    the first compare the model with outside evidence."""
    valid, checks = rows[rows.kind == VALIDATION], rows[rows.kind == VERIFICATION]
    fitted = int(valid.evidence.astype(str).str.endswith("fitted").sum())

    def held(part: pd.DataFrame) -> int:
        return int((part.verdict == HOLDS).sum())

    parts = []
    if len(valid):
        parts.append(
            f"Validation: {held(valid)} of {len(valid)} patterns hold against outside evidence "
            f"({fitted} of them fitted to it, {len(valid) - fitted} held out)."
        )
    if len(checks):
        parts.append(
            f"Verification: {held(checks)} of {len(checks)} checks that the code does what "
            "MODEL.md says hold."
        )
    falsified = int((rows.falsification == FALSIFIABLE).sum())
    parts.append(f"Knockouts: {falsified} of {len(rows)} do not hold (falsifiable).")
    return " ".join(parts)


def tables_markdown(rows: pd.DataFrame) -> str:
    """The tables of a validation — validation patterns, then verification — and its summary
    line, from the rows of its ``validation.csv`` (what ``validation.md`` and the documentation
    show)."""

    def text(value: Any) -> str:
        return "" if isinstance(value, float) and math.isnan(value) else str(value)

    lines: list[str] = []
    for kind, heading, first in (
        (VALIDATION, "Validation: the model against outside, quantitative findings", "evidence"),
        (VERIFICATION, "Verification: the code does what MODEL.md says", "level"),
    ):
        of_this_kind = rows[rows.kind == kind]
        if not len(of_this_kind):
            continue
        header = ["pattern", first, "estimate", "interval", "target", "verdict"]
        header += ["knockout", "knockout estimate", "knockout verdict"]
        lines += [
            f"## {heading}",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
        ]
        for row in of_this_kind.to_dict("records"):
            name = row["key"] + (f" ({text(row['component'])})" if text(row["component"]) else "")
            lines.append(
                f"| {name} | {text(row[first])} | {_number(row['estimate'])} | "
                f"{_interval(row['ci_low'], row['ci_high'], row['n'])} | {row['target']} | "
                f"{row['verdict']} | {text(row['knockout'])} | "
                f"{_number(row['knockout_estimate'])} | {row['knockout_verdict']} |"
            )
        lines.append("")
    return "\n".join([*lines, summary_line(rows)]) + "\n"


def markdown(validation: Validation, title: str, rerun: str = RERUN) -> str:
    """The report as Markdown: how to read it, the tables, and what needs attention."""
    more = ", ".join(
        f"{r.pattern.key} ×{r.pattern.replication_factor}"
        for r in validation.results
        if r.pattern.replication_factor > 1
    )
    lines = [
        f"# {title}",
        "",
        rule_text(validation.replications, validation.most)
        + (f" (times a factor where a pattern needs more: {more})" if more else "")
        + ", with common random numbers; "
        f"{validation.conditions_run} distinct simulated conditions, against "
        f"{validation.conditions_summed} if each pattern ran its own. An estimate is a mean with "
        "its interval, or exact; a pattern *holds* when its interval lies beyond "
        "the smallest effect of interest or inside the target range, *does not hold* when it "
        "lies on the wrong side, and is *inconclusive* otherwise. Each pattern is measured again "
        "under its knockout, which must not hold. *Validation* patterns compare the model with "
        "an outside, quantitative finding (who was measured, the measure as the source defined "
        "it, a two-sided target from its estimate; *fitted*: a default was set from it, *held "
        "out*: never used to set one); *verification* patterns check that the code does what "
        "MODEL.md says, and only they may hold by construction.",
        "",
        tables_markdown(table(validation)).rstrip("\n"),
    ]
    lines += [f"- {note}" for note in attention(validation.results, rerun)]
    return "\n".join(lines) + "\n"


def terminal_text(validation: Validation, title: str, width: int = 80, rerun: str = RERUN) -> str:
    """The report for a terminal: each pattern's verdict and its knockout's in a few lines
    wrapped to ``width`` (the Markdown table, in the results folder, is wider)."""
    import textwrap

    def wrapped(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ")

    lines = [title, ""]
    for r in validation.results:
        row = r.row()
        name = row["key"] + (f" ({row['component']})" if row["component"] else "")
        lines += wrapped(
            f"{name} ({row['kind']}): {row['verdict']}: {_number(row['estimate'])} "
            f"{_interval(row['ci_low'], row['ci_high'], row['n'])}, target {row['target']}"
        )
        lines += wrapped(
            f"knockout, {row['knockout']}: {row['knockout_verdict']} "
            f"({_number(row['knockout_estimate'])})",
            "    ",
        )
    lines += ["", *wrapped(summary_line(table(validation)))]
    for note in attention(validation.results, rerun):
        lines += wrapped(f"- {note}")
    return "\n".join(lines) + "\n"


def not_settled_holding(results: Iterable[Validated]) -> list[str]:
    """The patterns that do not hold, are inconclusive, or are not shown falsifiable under their
    knockout: what ``--strict`` fails on."""
    return [
        r.pattern.key for r in results if r.model.verdict != HOLDS or r.falsification != FALSIFIABLE
    ]


def attention(results: Iterable[Validated], rerun: str = RERUN) -> list[str]:
    """One line for every pattern that does not hold, is inconclusive, or is not falsifiable;
    for one more replications would settle, the command that runs them (``rerun``, the
    command that ran this validation, with the pattern and the replications added)."""
    notes = []
    for r in results:
        key = r.pattern.key
        if r.model.verdict != HOLDS:
            notes.append(f"{key}: {r.model.verdict} ({r.pattern.statement.lower()})")
        if r.falsification == NOT_SHOWN_FALSIFIABLE:
            notes.append(
                f"{key}: {NOT_SHOWN_FALSIFIABLE}: under its knockout, {r.knockout.verdict}"
            )
        if r.settles_at:
            notes.append(
                f"{key}: about {r.settles_at} replications would settle it: "
                f"{rerun} --pattern {key} --max-reps {r.settles_at}"
            )
    return notes


def catalogue_markdown(patterns: Iterable[Pattern] = PATTERNS) -> str:
    """The catalogue as the Markdown of MODEL.md section 11 (a test keeps it current)."""
    lines = [
        "| pattern | kind | statement | level | source | outside evidence | virtual experiment "
        "| target | basis of the target | knockout | in `propositions` |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in patterns:
        knockout = ", ".join(f"`{k}` = {v}" for k, v in p.knockout.items())
        e = p.evidence
        evidence = (
            ""
            if e is None
            else f"{e.population}; measured: {e.measure}; found: {e.estimate} ({e.label})"
        )
        lines.append(
            f"| `{p.key}` | {p.kind} | {p.statement} | {p.level} | {p.source} | {evidence} | "
            f"{p.experiment} | {p.target.describe()} | {p.target_basis} | {knockout}: "
            f"{p.knockout_meaning} | {'yes' if p.proposition else ''} |"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- figures


def write_figures(validation: Validation, folder: Path, save) -> list[str]:
    """A figure for the patterns a picture explains better than a number: the TARP grid, the
    compensation curves, and every pattern's estimate against its target."""
    plt = pyplot()
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    written = []
    by_key = {r.pattern.key: r for r in validation.results}

    if "tarp_grid" in by_key:
        written.append(_tarp_figure(by_key["tarp_grid"], folder, save, plt))
    if "compensation_curves" in by_key:
        written.append(_curve_figure(validation, folder, save, plt))
    written.append(_forest_figure(validation, folder, save, plt))
    return written


def _tarp_figure(result: Validated, folder: Path, save, plt) -> str:
    from sim.experiments.tarp_calibration import DEFINITIONS, TARP_TARGETS

    targets = np.array(list(TARP_TARGETS.values()))
    cells = len(targets)
    labels = ["\n".join([p, *h.split(", ")]) for p, h in TARP_TARGETS]
    x = np.arange(cells)
    fig, ax = plt.subplots(figsize=(9, 4.8))
    ax.bar(x, targets, color="lightgrey", label="TARP target")
    ax.bar(x, 0.2, bottom=targets - 0.10, color="C0", alpha=0.15, label="±10 points")
    components = result.model.components
    width = 0.6 / len(DEFINITIONS)
    for i, definition in enumerate(DEFINITIONS):
        mine = components[i * cells : (i + 1) * cells]
        model = np.array([e.mean for e in mine]) + targets
        low = np.array([e.low for e in mine]) + targets
        high = np.array([e.high for e in mine]) + targets
        ax.errorbar(
            x - 0.3 + (i + 0.5) * width,
            model,
            yerr=[model - low, high - model],
            fmt="o",
            color=f"C{i + 1}",
            label=f"model, cells read as '{definition.name}' ({mine[0].level:.1%} CI)",
        )
    ax.set_xticks(x, labels, fontsize=7)
    ax.set(
        ylabel="would buy again",
        ylim=(0, 1),
        title="TARP's grid of stated intentions: model vs target",
    )
    ax.legend(fontsize=8)
    return save_figure(save, fig, folder / "figures" / "tarp_grid.png", plt)


def _curve_figure(validation: Validation, folder: Path, save, plt) -> str:
    from sim.model.satisfaction import distributive_justice

    sat = validation.scenario.satisfaction
    ratios = np.linspace(0.0, 2.0, 81)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for rejected, label in ((True, "service not delivered"), (False, "service delivered")):
        ax.plot(
            ratios,
            [distributive_justice(sat, x, 1.0, 1.0, rejected=rejected) for x in ratios],
            label=label,
        )
    ax.axvline(sat.overcompensation_threshold, color="grey", ls=":", label="overcompensation")
    ax.set(
        xlabel="compensation / expected compensation (expected = the price)",
        ylabel="distributive justice",
        title="Compensation curves (exact: "
        + ", ".join(f"{v:.3g}" for v in compensation_curves(None, validation.scenario))
        + ")",
    )
    ax.legend(fontsize=8)
    return save_figure(save, fig, folder / "figures" / "compensation_curves.png", plt)


def _forest_figure(validation: Validation, folder: Path, save, plt) -> str:
    """Each pattern's estimate and CI relative to its threshold, model and knockout side by side."""
    rows = []
    for r in validation.results:
        t = r.pattern.target
        scale = _scale(t)
        for label, m in (("model", r.model), ("knockout", r.knockout)):
            e = m.estimate
            ends = [_clip(_relative(t, e.low) / scale), _clip(_relative(t, e.high) / scale)]
            mean = _clip(_relative(t, e.mean) / scale)
            rows.append((r.pattern.key, label, mean, min(ends), max([*ends, mean])))
    frame = pd.DataFrame(rows, columns=["key", "variant", "mean", "low", "high"])
    keys = list(dict.fromkeys(frame.key))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(keys) + 1.5))
    for offset, (variant, colour) in enumerate((("model", "C0"), ("knockout", "C3"))):
        part = frame[frame.variant == variant]
        y = np.array([keys.index(k) for k in part.key]) + (offset - 0.5) * 0.3
        ax.errorbar(
            part["mean"],
            y,
            xerr=[part["mean"] - part.low, part.high - part["mean"]],
            fmt="o",
            color=colour,
            label=variant,
            ms=4,
        )
    ax.set_xlim(-CLIP * 1.05, CLIP * 1.05)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(keys)), keys, fontsize=8)
    ax.invert_yaxis()
    ax.set(
        xlabel=f"past the threshold, in its scale (> 0: holds; clipped at ±{CLIP:g})",
        title="Patterns: model and knockout against their targets",
    )
    ax.legend(fontsize=8)
    return save_figure(save, fig, folder / "figures" / "patterns.png", plt)


#: The forest figure's half-width, in units of each threshold's scale.
CLIP = 10.0


def _clip(value: float) -> float:
    return float(np.clip(value, -CLIP, CLIP))


def _relative(target, value: float) -> float:
    """Signed distance past the threshold: positive on the side where the pattern holds."""
    if target.above is not None:
        return value - target.above
    return min(value - target.low, target.high - value)


def _scale(target) -> float:
    if target.above is not None:
        return max(abs(target.above), 0.01)
    return (target.high - target.low) / 2


CATALOGUE_START = "<!-- catalogue: generated by python -m sim.validation.report -->"
CATALOGUE_END = "<!-- end of catalogue -->"


def update_model_md(path: Path) -> bool:
    """Rewrite the catalogue between its markers in ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    head, start, rest = text.partition(CATALOGUE_START)
    _, end, tail = rest.partition(CATALOGUE_END)
    if not start or not end:
        raise ValueError(f"{path}: no catalogue markers")
    updated = f"{head}{start}\n\n{catalogue_markdown()}{end}{tail}"
    path.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    model_md = Path(__file__).resolve().parents[2] / "docs" / "MODEL.md"
    print(f"{model_md}: {'updated' if update_model_md(model_md) else 'already current'}")


def write_folder(
    folder: Path,
    validation: Validation,
    stem: str,
    title: str,
    started: datetime,
    extra: dict[str, Any],
    appendix: Mapping[str, pd.DataFrame] | None = None,
    appendix_markdown: str = "",
    pages: Mapping[str, PageBuilder] | None = None,
    rerun: str = RERUN,
) -> list[str]:
    """Write a validation's folder — ``STEM.csv``, ``STEM.md``, its figures and ``STEM.html`` —
    with its manifest, written before the page (which reads it) and again once the page is
    there, so that a folder with a manifest is complete at every moment. ``appendix`` adds
    tables (file name → table; ``predictive.csv`` of ``--posterior``) and ``appendix_markdown``
    their section of ``STEM.md``; ``pages`` the builder of its page (default:
    :func:`sim.validation.page.validation_sections`); ``rerun`` the command that ran it, for
    the commands that would settle its inconclusive verdicts. Returns the files."""
    from sim.outputs.report import write_report
    from sim.outputs.results import atomic_write, manifest, write_manifest, write_table, write_text

    write_table(folder / f"{stem}.csv", table(validation))
    for name, rows in (appendix or {}).items():
        write_table(folder / name, rows)
    write_text(folder / f"{stem}.md", markdown(validation, title, rerun) + appendix_markdown)
    files = [f"{stem}.csv", *(appendix or {}), f"{stem}.md"]
    files += write_figures(validation, folder, atomic_write)
    patterns = [r.pattern for r in validation.results]
    ran = validation.scenario.with_values(**{"run.replications": validation.replications})

    def record(files: list[str]) -> None:
        write_manifest(
            folder,
            manifest(
                # the replications the validation ran at its first look, not the scenario's own
                ran.model_dump(mode="json"),
                seed=validation.scenario.run.seed,
                replications=validation.replications,
                replication_seconds={},
                started=started,
                finished=datetime.now(UTC),
                files=files,
                extra={
                    "aggsim": stem,
                    "patterns": [p.key for p in patterns],
                    "conditions_run": validation.conditions_run,
                    "conditions_summed": validation.conditions_summed,
                    **extra,
                },
            ),
        )

    record(files)
    from sim.validation.page import validation_sections

    write_report(folder, folder / f"{stem}.html", pages or {stem: validation_sections})
    files.append(f"{stem}.html")
    record(files)
    return files
