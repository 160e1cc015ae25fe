"""The ODD protocol of a scenario, in Markdown (MODEL.md 16; Grimm et al. 2020).

Every equation and every piece of prose about the model is quoted from the specification
(:mod:`sim.describe.specification`); this module only chooses what to quote for the scenario at
hand and adds the scenario's values, the random-number design, the experiment that ran, the
STRESS-DES checklist and the citation.
"""

from __future__ import annotations

from typing import Any

from sim import __version__
from sim.describe.citation import citation, commit_text
from sim.describe.experiment import RunRecord, experiment_section
from sim.describe.literal import code_span, literal
from sim.describe.specification import Section, demoted, section, subsections
from sim.describe.stress import ITEMS
from sim.describe.submodels import SUBMODELS
from sim.scenario import Scenario, parameter_index

#: The scales of a run (ODD element 2).
SCALE_KEYS = (
    "run.days",
    "run.warmup_days",
    "run.replications",
    "customers.count",
    "providers.count",
)
#: What a run starts from (ODD element 5).
INITIALIZATION_KEYS = (
    "run.seed",
    "customers.key_account_share",
    "customers.individualism",
    "customers.individualism_sd",
    "customers.disposition_sd",
    "customers.satisfaction_initial",
    "customers.satisfaction_initial_sd",
    "customers.relationship_initial",
    "providers.firm_share",
    "providers.quality_mean",
    "providers.quality_concentration",
)
#: Orders, service and capacity: the process of ODD element 3.
PROCESS_KEYS = (
    "demand.hourly_profile",
    "demand.peak_threshold",
    "customers.orders_per_week_general",
    "customers.orders_per_week_key_account",
    "customers.satisfaction_order_effect",
    "customers.satisfaction_order_upside",
    "customers.patience_mean_hours",
    "providers.individual_capacity",
    "providers.firm_capacity",
    "providers.service_hours_mean",
    "providers.service_cv",
)
#: Keys that name the scenario rather than set the model.
LABEL_KEYS = ("name", "description")


# ----------------------------------------------------------------------------- values


def shown(value: Any) -> str:
    """A parameter value as the document prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return ", ".join(shown(v) for v in value)
    return str(value)


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def changed_keys(scenario: Scenario) -> list[str]:
    """The parameters whose value differs from the built-in default, in the schema's order."""
    defaults = Scenario()
    return [
        key
        for key in parameter_index()
        if key not in LABEL_KEYS and scenario.value(key) != defaults.value(key)
    ]


def value_table(scenario: Scenario, keys: list[str] | tuple[str, ...], *, meaning: bool) -> str:
    """A table of parameters: key, this scenario's value (bold when changed), default, unit and,
    if asked, meaning."""
    index = parameter_index()
    changed = set(changed_keys(scenario))
    header = "| parameter | value | default | unit |" + (" meaning |" if meaning else "")
    rule = "|---|---|---|---|" + ("---|" if meaning else "")
    rows = [header, rule]
    for key in keys:
        info = index[key]
        value = cell(shown(scenario.value(key)))
        if key in changed:
            value = f"**{value}** (changed)"
        row = f"| `{key}` | {value} | {cell(shown(info.default))} | {info.unit} |"
        rows.append(row + (f" {cell(info.meaning)} |" if meaning else ""))
    return "\n".join(rows) + "\n"


# ----------------------------------------------------------------------------- sections


def quoted(s: Section, level: int) -> str:
    """A section of the specification, its headings moved to ``level`` and below."""
    return demoted(s.text, level)


def lead(s: Section) -> str:
    """A section's text before its first subsection."""
    text = s.text
    cut = text.find("\n#")
    return text if cut < 0 else text[:cut].strip()


def _the_scenario(scenario: Scenario, source: str) -> str:
    keys = changed_keys(scenario)
    parts = [
        "## The scenario\n",
        f"{code_span(scenario.name)} ({literal(source)}): {literal(scenario.description)}\n",
    ]
    if keys:
        parts.append(
            f"{len(keys)} parameter(s) differ from aggsim's defaults (all others are as in the "
            "table of Parameters below):\n"
        )
        parts.append(value_table(scenario, keys, meaning=True))
    else:
        parts.append("Every parameter has aggsim's default value (the built-in baseline).\n")
    return "\n".join(parts)


def _purpose() -> str:
    from sim.validation.report import catalogue_markdown

    return "\n".join(
        [
            "## 1. Purpose and patterns\n",
            quoted(section("1"), 3),
            "\n### The conceptual model (2)\n",
            quoted(section("2"), 4),
            "\n### Patterns (11)\n",
            "The model is evaluated against these patterns; `aggsim validate` measures each on a "
            "scenario, and again under its knockout, the setting that removes the mechanism "
            "behind it.\n",
            catalogue_markdown(),
        ]
    )


def _entities(scenario: Scenario) -> str:
    return "\n".join(
        [
            "## 2. Entities, state variables and scales\n",
            quoted(section("3"), 3),
            "\n### Scales\n",
            "Time is continuous (SimPy), in hours; there is no space: the platform matches "
            "customers and providers without distances. This scenario:\n",
            value_table(scenario, SCALE_KEYS, meaning=True),
        ]
    )


def _process(scenario: Scenario) -> str:
    return "\n".join(
        [
            "## 3. Process overview and scheduling\n",
            quoted(section("4"), 3),
            "\n### Process parameters\n",
            value_table(scenario, PROCESS_KEYS, meaning=True),
        ]
    )


def _design_concepts(scenario: Scenario) -> str:
    from sim.model.kpis import kpis
    from sim.model.streams import STREAM_NAMES

    streams = ", ".join(f"{i} `{name}`" for i, name in enumerate(STREAM_NAMES))
    kpi_rows = ["| KPI | meaning | over |", "|---|---|---|"]
    kpi_rows += [f"| `{k.name}` | {cell(k.meaning)} | {k.over} |" for k in kpis()]
    return "\n".join(
        [
            "## 4. Design concepts\n",
            quoted(section("15.1"), 3),
            "\n### Random-number design (7.4)\n",
            quoted(section("7.4"), 4),
            f"\nThis scenario: root seed {scenario.run.seed}, {scenario.run.replications} "
            f"replication(s); replication `r` draws stream `i` from "
            f"`SeedSequence({scenario.run.seed}, spawn_key=(r, i))`. The streams: {streams}.\n",
            "\n### Observation: the KPIs (7.1)\n",
            "One value per replication, over the counted days (after the warm-up):\n",
            "\n".join(kpi_rows) + "\n",
        ]
    )


def _initialization(scenario: Scenario) -> str:
    return "\n".join(
        [
            "## 5. Initialization\n",
            quoted(section("15.2"), 3),
            "\nThis scenario:\n",
            value_table(scenario, INITIALIZATION_KEYS, meaning=True),
        ]
    )


def _input_data() -> str:
    return "\n".join(["## 6. Input data\n", quoted(section("15.3"), 3)])


def _submodels(scenario: Scenario) -> str:
    parts = ["## 7. Submodels\n", lead(section("5")) + "\n"]
    off: list[str] = []
    in_use = 0
    for submodel in SUBMODELS:
        s = section(submodel.number)
        reason = submodel.switched_off(scenario)
        if reason is not None:
            off.append(f"- {s.title} ({s.number}): not in use, {reason}.")
            continue
        in_use += 1
        parts.append(f"### 7.{in_use} {s.title} ({s.number})\n")
        parts.append(quoted(s, 4) + "\n")
        parts.append("Its parameters in this scenario:\n")
        parts.append(value_table(scenario, submodel.parameter_keys(), meaning=False))
    if off:
        parts.append("### Submodels this scenario does not use\n")
        parts.append("\n".join(off) + "\n")
    return "\n".join(parts)


def _parameters(scenario: Scenario) -> str:
    keys = [key for key in parameter_index() if key not in LABEL_KEYS]
    return "\n".join(
        [
            "## Parameters\n",
            "Every parameter of the scenario; a changed value is in bold.\n",
            value_table(scenario, keys, meaning=True),
        ]
    )


def _stress(run: RunRecord | None) -> str:
    rows = ["| item | STRESS-DES asks for | answered in |", "|---|---|---|"]
    for item in ITEMS:
        where = item.answered_in
        if item.needs_run and run is None:
            where = "not in this document: describe the run with `aggsim describe --run FOLDER`"
        rows.append(f"| {item.number} {item.name} | {item.asks} | {where} |")
    return "\n".join(
        [
            "## STRESS-DES checklist\n",
            "The reporting checklist for discrete-event simulation (Monks et al. 2019), with the "
            "section of this document that answers each item.\n",
            "\n".join(rows) + "\n",
        ]
    )


def odd_document(
    scenario: Scenario, *, source: str, code: dict | None, run: RunRecord | None = None
) -> str:
    """The ODD protocol of ``scenario`` (read from ``source``), in Markdown; with ``run``, the
    experiment that ran it; ``code`` is the commit (:func:`sim.outputs.provenance.code_version`)."""
    intro = (
        f"# ODD protocol: {scenario.name}\n\n"
        f"This is the description of the model of aggsim {__version__} ({commit_text(code)}) as "
        "the scenario below sets it, following the ODD protocol (Overview, Design concepts, "
        "Details; Grimm et al. 2020). Numbers in parentheses, like (5.3), are sections of the "
        "model's specification (MODEL.md) of this version, from which the text is quoted.\n"
    )
    parts = [
        intro,
        _the_scenario(scenario, source),
        _purpose(),
        _entities(scenario),
        _process(scenario),
        _design_concepts(scenario),
        _initialization(scenario),
        _input_data(),
        _submodels(scenario),
        _parameters(scenario),
    ]
    if run is not None:
        parts.append(experiment_section(run))
    parts.append(_stress(run))
    parts.append("## How to cite\n\n" + citation(code))
    return "\n".join(parts)


def submodel_numbers() -> list[str]:
    """The submodels of the specification: the subsections of MODEL.md 5 and 14."""
    return [s.number for s in (*subsections("5"), *subsections("14"))]
