"""A vignette dataset's codebook: what every column holds (MODEL.md 12.4).

Written as ``codebook.csv`` (one row per column, for people and for R) and ``codebook.json`` (the
design the data follow, with each measure's item error, for ``aggsim fit``). A real study's
codebook is its design file: the same keys, with the factors' ``column`` and coded ``levels`` and
the measures' ``items`` named as in the data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import UserError
from sim.vignette.constructs import CONSTRUCTS
from sim.vignette.design import Design, design_from_data, load_design
from sim.vignette.simulate import Study

CODEBOOK_COLUMNS = ("column", "role", "measure", "construct", "values", "meaning")


def codebook_table(study: Study) -> pd.DataFrame:
    design = study.design
    rows: list[tuple[str, ...]] = [("respondent", "id", "", "", "1, 2, ...", "respondent number")]
    if design.subjects == "within":
        rows.append(
            (
                "vignette",
                "order",
                "",
                "",
                f"1 to {len(design.cells)}",
                "position at which the respondent read this condition",
            )
        )
    rows.append(
        ("segment", "respondent", "", "", "general, key_account", "the respondent's segment")
    )
    rows.append(
        (
            "individualism",
            "respondent",
            "",
            "",
            "0 to 1",
            "the respondent's individualism (Hofstede), from a culture scale",
        )
    )
    for f in design.factors:
        levels = ", ".join(
            f"{code} = {value!r}" for code, value in zip(f.codes, f.levels, strict=True)
        )
        rows.append((f.column, "condition", "", "", levels, f"the vignette's {f.key}"))
    for m in design.measures:
        for j, column in enumerate(m.items, start=1):
            rows.append(
                (
                    column,
                    "item",
                    m.name,
                    m.construct,
                    f"1 to {m.points}",
                    f"{m.label} (item {j} of {len(m.items)}; {CONSTRUCTS[m.construct].meaning})",
                )
            )
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS))


def codebook_json(study: Study) -> dict[str, Any]:
    design = study.design.to_dict()
    for name, noise in study.noise.items():
        design["measures"][name]["noise_sd"] = noise
        design["measures"][name].pop("reliability", None)
    return {
        "aggsim": "codebook",
        "design": design,
        "alpha": study.alpha,
        "columns": codebook_table(study).to_dict(orient="records"),
    }


def read_codebook(path: Path) -> Design:
    """The design a dataset follows: a ``codebook.json`` written by ``aggsim vignette``, or a
    design file (TOML) that names the data's columns."""
    if path.suffix == ".toml":
        return load_design(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: --codebook: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"{path}: --codebook: cannot read a codebook ({error})") from None
    if not isinstance(content, dict) or not isinstance(content.get("design"), dict):
        raise UserError(
            f"{path}: --codebook: expected the codebook.json of aggsim vignette or a design file"
        )
    return design_from_data(content["design"], str(path), path.parent)
