"""The experiment a results folder records, for the ODD document (MODEL.md 16).

``aggsim describe --run FOLDER`` takes a folder of ``aggsim run``, ``sweep``, ``compare``,
``validate`` or ``propositions``: the document describes the scenario the folder ran (a sweep's
base scenario, a comparison's scenario A) and adds the experiment — the command, the seed, the
replications, the machine, the code — with its results: a run's KPIs with their intervals, a
sweep's design and its main KPIs point by point, a comparison's paired differences, a
validation's verdicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.describe.citation import commit_text
from sim.describe.literal import code_span
from sim.errors import UserError
from sim.scenario import Scenario, parameter_index

#: The table each kind of folder holds its results in.
RESULTS = {
    "run": "summary.csv",
    "sweep": "summary.csv",
    "compare": "comparison.csv",
    "validation": "validation.csv",
    "propositions": "propositions.csv",
}
#: Points of a sweep shown one by one; a larger design is summarised by its range.
MOST_POINTS_SHOWN = 40


@dataclass(frozen=True)
class RunRecord:
    """What a results folder says about the experiment that made it."""

    folder: Path
    manifest: dict[str, Any]
    results: pd.DataFrame

    @property
    def kind(self) -> str:
        return str(self.manifest["aggsim"])

    @property
    def scenario(self) -> Scenario:
        """The scenario the folder ran: a sweep's base, a comparison's A."""
        data = self.manifest["scenario"]
        return Scenario.model_validate(data["a"] if self.kind == "compare" else data)


def read_run(folder: Path) -> RunRecord:
    """The manifest and results table of a results folder of one of :data:`RESULTS`' kinds."""
    manifest_path = folder / "manifest.json"
    takes = "--run takes a folder written by aggsim " + ", ".join(
        "validate" if k == "validation" else k for k in RESULTS
    )
    if not manifest_path.is_file():
        raise UserError(f"{folder}: not a results folder (no manifest.json); {takes}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserError(f"{manifest_path}: unreadable manifest ({error})") from None
    kind = manifest.get("aggsim", "unknown") if isinstance(manifest, dict) else "unknown"
    if kind not in RESULTS:
        raise UserError(f"{manifest_path}: key 'aggsim' is {kind!r}; {takes}")
    try:
        record = RunRecord(folder, manifest, pd.read_csv(folder / RESULTS[kind]))
        _ = record.scenario
    except (OSError, ValueError, KeyError) as error:
        raise UserError(f"{folder}: incomplete results folder ({error})") from None
    return record


def experiment_section(run: RunRecord) -> str:
    """The ODD document's section on the experiment of ``run``'s folder."""
    m = run.manifest
    versions = ", ".join(f"{k} {v}" for k, v in m.get("versions", {}).items() if v)
    command = " ".join(str(part) for part in m.get("command", []))
    results = {
        "run": _run_results,
        "sweep": _sweep_results,
        "compare": _comparison_results,
        "validation": _validation_results,
        "propositions": _validation_results,
    }[run.kind](run)
    return "\n".join(
        [
            "## The experiment\n",
            f"From the results folder {code_span(run.folder)} of `aggsim "
            f"{'validate' if run.kind == 'validation' else run.kind}`: {code_span(command)}, "
            "started "
            f"{m.get('started_at')}, {m.get('replications')} replication(s) with root seed "
            f"{m.get('root_seed')}, {m.get('wall_seconds')} s of wall time, on "
            f"{m.get('platform')}; {commit_text(m.get('code'))}; {versions}.\n",
            *results,
        ]
    )


def _interval(low: float, high: float, n: int) -> str:
    return f"[{low:.4g}, {high:.4g}]" if n > 1 else "—"


def _run_results(run: RunRecord) -> list[str]:
    from sim.model.kpis import kpi_columns, label

    rows = ["| KPI | mean | 95% CI | replications |", "|---|---|---|---|"]
    known = set(kpi_columns())
    for r in run.results.itertuples():
        if r.kpi in known:
            interval = _interval(r.ci_low, r.ci_high, r.n)
            rows.append(f"| {label(r.kpi)} (`{r.kpi}`) | {r.mean:.4g} | {interval} | {r.n} |")
    return [
        "Means over replications with Student-t 95% confidence intervals:\n",
        "\n".join(rows) + "\n",
    ]


def _sweep_results(run: RunRecord) -> list[str]:
    from sim.model.kpis import main_kpis

    m, summary = run.manifest, run.results
    factors = [f["key"] for f in m.get("factors", [])]
    design = (
        f"The design: {m.get('design')}, {m.get('points')} points, {m.get('runs')} runs "
        f"({m.get('failed', 0)} failed), each point with common random numbers. "
        "The scenario above is the sweep's base; the varied parameters:\n"
    )
    values = ["| parameter | values |", "|---|---|"]
    for key in factors:
        levels = sorted(summary[key].dropna().unique().tolist(), key=str)
        shown = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in levels)
        values.append(f"| `{key}` | {shown} |")
    main = [k.name for k in main_kpis() if k.name in set(summary.kpi)]
    wide = summary[summary.kpi.isin(main)].pivot_table(
        index=["point", *factors], columns="kpi", values="mean", sort=True
    )
    if len(wide) > MOST_POINTS_SHOWN:
        wide = wide.agg(["min", "max"])
        heading = "The main KPIs' lowest and highest mean over the points:\n"
    else:
        heading = "The main KPIs' means, point by point (summary.csv has every KPI and its CI):\n"
    return [design, "\n".join(values) + "\n", heading, _markdown(wide.reset_index()) + "\n"]


def _markdown(frame: pd.DataFrame) -> str:
    """A table in Markdown, numbers to four significant digits."""

    def cell(value: Any) -> str:
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _comparison_results(run: RunRecord) -> list[str]:
    from sim.model.kpis import main_kpis

    b = Scenario.model_validate(run.manifest["scenario"]["b"])
    a = run.scenario
    differ = [
        f"`{key}` {a.value(key)} → {b.value(key)}"
        for key in parameter_index()
        if key not in ("name", "description") and a.value(key) != b.value(key)
    ]
    rows = ["| KPI | A | B | B − A | 95% CI |", "|---|---|---|---|---|"]
    main = {k.name for k in main_kpis()}
    for r in run.results.itertuples():
        if r.kpi in main:
            rows.append(
                f"| `{r.kpi}` | {r.mean_a:.4g} | {r.mean_b:.4g} | {r.difference:+.4g} | "
                f"{_interval(r.ci_low, r.ci_high, r.n)} |"
            )
    return [
        f"The scenario above is A ({a.name}); B ({b.name}) differs in: "
        + ("; ".join(differ) or "nothing")
        + ". Both ran on the same random numbers, paired by replication.\n",
        "The main KPIs, with the 95% CI of the paired difference:\n",
        "\n".join(rows) + "\n",
    ]


def _validation_results(run: RunRecord) -> list[str]:
    rows = ["| pattern | kind | verdict | under its knockout |", "|---|---|---|---|"]
    for r in run.results.itertuples():
        rows.append(f"| `{r.key}` | {r.kind} | {r.verdict} | {r.knockout_verdict} |")
    return [
        "Each pattern of the validation catalogue (MODEL.md 11) measured on the scenario above "
        "and again under its knockout, where it must not hold:\n",
        "\n".join(rows) + "\n",
    ]
