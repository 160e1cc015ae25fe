"""The folder of a simulated vignette study (MODEL.md 12.4): the dataset, its codebook, the
analysis and the manifest, each file written atomically and the manifest last."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.outputs.results import manifest, write_manifest, write_table, write_text
from sim.scenario.files import scenario_to_toml
from sim.vignette.analysis import anova_table, effect_table
from sim.vignette.codebook import codebook_json, codebook_table
from sim.vignette.simulate import Study

SCENARIO_FILE = "scenario.toml"


def write_study_folder(
    folder: Path, study: Study, started: datetime, extra: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the study and its analysis; return the ANOVA and the effects tables."""
    design = study.design
    anova = anova_table(study.data, design)
    effects = effect_table(study.data, design)
    write_table(folder / "respondents.csv", study.data)
    write_table(folder / "respondents.parquet", study.data)
    write_table(folder / "latent.parquet", study.latent)
    write_table(folder / "codebook.csv", codebook_table(study))
    codebook = codebook_json(study)
    codebook["design"]["scenario"] = SCENARIO_FILE  # the folder carries its scenario
    write_text(folder / "codebook.json", json.dumps(codebook, indent=2, default=str) + "\n")
    write_text(folder / SCENARIO_FILE, scenario_to_toml(design.scenario))
    write_table(folder / "anova.csv", anova)
    write_table(folder / "effects.csv", effects)
    files = [
        "respondents.csv",
        "respondents.parquet",
        "latent.parquet",
        "codebook.csv",
        "codebook.json",
        SCENARIO_FILE,
        "anova.csv",
        "effects.csv",
    ]
    write_manifest(
        folder,
        manifest(
            design.scenario.model_dump(mode="json"),
            seed=design.seed,
            replications=1,
            replication_seconds={},
            started=started,
            finished=datetime.now(UTC),
            files=files,
            extra={
                "aggsim": "vignette",
                "design": design.to_dict(),
                "item_noise": study.noise,
                "alpha": study.alpha,
                **extra,
            },
        ),
    )
    return anova, effects
