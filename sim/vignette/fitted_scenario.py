"""The scenario file of a fit (MODEL.md 12.6): the study's scenario with the fitted coefficients,
each with its 95% CI and the value it replaces in a comment, ready for ``aggsim run``."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sim import __version__
from sim.errors import UserError
from sim.outputs.results import write_text
from sim.scenario.files import name_from_file, toml_value
from sim.vignette.design import Design
from sim.vignette.fit import Fit


def fitted_scenario_text(fitted: Fit, design: Design, data: Path, out: Path) -> str:
    """The TOML text: ``extends`` the study's scenario file (when it has one; otherwise the
    built-in baseline is the parent) and sets each fitted coefficient."""
    lines = [
        f"# The judgement coefficients fitted by aggsim {__version__} fit to {data}",
        f"# ({datetime.now(UTC):%Y-%m-%d}; method of simulated moments, MODEL.md 12.6).",
        "# Each value: the estimate; in the comment its 95% CI and the value it replaces.",
    ]
    if design.scenario_file is not None:
        parent = (Path(design.source).parent / design.scenario_file).resolve()
        lines.append(f"extends = {toml_value(os.path.relpath(parent, out.resolve().parent))}")
    else:
        lines.append("# Its parent is the built-in baseline (scenarios/baseline.toml).")
    lines.append(f"name = {toml_value(name_from_file(out))}")
    description = f"{design.title}: judgement coefficients fitted to {data.name}"
    lines.append(f"description = {toml_value(description)}")
    sections: dict[str, list[str]] = {}
    for row in fitted.table.itertuples():
        if "." not in row.parameter or row.parameter.startswith("item error"):
            continue
        section, name = row.parameter.split(".")
        bound = "; at the edge of its range" if row.at_bound else ""
        sections.setdefault(section, []).append(
            f"{name} = {toml_value(round(float(row.estimate), 4))}  "
            f"# 95% CI {row.ci_low:.3g} to {row.ci_high:.3g}; was {row.default:g}{bound}"
        )
    for section, rows in sections.items():
        lines.extend(["", f"[{section}]", *rows])
    return "\n".join(lines) + "\n"


def write_fitted_scenario(
    out: Path, fitted: Fit, design: Design, data: Path, *, force: bool = False
) -> None:
    check_fitted_place(out, design, data, force=force)
    write_text(out, fitted_scenario_text(fitted, design, data, out))


def check_fitted_place(out: Path, design: Design, data: Path, *, force: bool = False) -> None:
    """``--out``: a ``.toml`` file in a folder that exists, none of the fit's inputs (the data,
    the codebook or design, the scenario file the fitted one extends) and no existing file
    without ``force`` (:func:`sim.outputs.output_file.check_output_file`); checked before the
    fit."""
    from sim.outputs.output_file import check_output_file

    if out.suffix != ".toml":
        raise UserError(f"{out}: --out: expected a .toml file name")
    parent = (
        None if design.scenario_file is None else Path(design.source).parent / design.scenario_file
    )
    check_output_file(out, inputs=[data, Path(design.source), parent], force=force)
