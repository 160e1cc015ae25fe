"""Result tables, the manifest and the run folder (MODEL.md 7).

Every file is written atomically: to a temporary file beside it, then renamed, so an interrupted
run never leaves a half-written file. ``manifest.json`` is written last: a folder with a manifest
is complete.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.outputs.provenance import code_version
from sim.outputs.statistics import summarise

DEPENDENCIES = (
    "simpy",
    "numpy",
    "scipy",
    "pandas",
    "pydantic",
    "pyarrow",
    "matplotlib",
    "tqdm",
    "SALib",
    "statsmodels",
    "distributed",
)
MANIFEST = "manifest.json"


def replications_table(rows: Iterable[Mapping[str, float]]) -> pd.DataFrame:
    """One row per replication, in replication order."""
    return pd.DataFrame(list(rows)).sort_values("replication", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------- atomic files


def atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write(temporary_path)`` and rename the result to ``path``; on any failure or
    interruption the temporary file is removed and ``path`` is untouched."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda target: target.write_text(text, encoding="utf-8"))


def write_table(path: Path, table: pd.DataFrame) -> None:
    """A table as CSV or Parquet (by the file's suffix), atomically."""
    if path.suffix == ".csv":
        atomic_write(path, lambda target: table.to_csv(target, index=False))
    elif path.suffix == ".parquet":
        atomic_write(path, lambda target: table.to_parquet(target, index=False))
    else:
        raise ValueError(f"unknown table format: {path}")


# ---------------------------------------------------------------------- run folders


def default_run_folder(scenario_name: str, root: Path = Path("results")) -> Path:
    """``results/<scenario-name>/<UTC timestamp>/``, made unique if a run started this second."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = root / scenario_name / stamp
    suffix = 2
    while folder.exists():
        folder = root / scenario_name / f"{stamp}-{suffix}"
        suffix += 1
    return folder


def holds_results(folder: Path) -> bool:
    return (folder / MANIFEST).exists()


def versions() -> dict[str, str | None]:
    """Versions of aggsim, Python and the dependencies."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in ("aggsim", *DEPENDENCIES):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def manifest(
    scenario_data: Mapping[str, Any],
    seed: int,
    replications: int,
    replication_seconds: Mapping[int, float],
    started: datetime,
    finished: datetime,
    files: list[str],
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """What is needed to reproduce and audit a run (ENGINEERING: reproducible by construction)."""
    return {
        "aggsim": "run",
        "command": sys.argv,
        "root_seed": seed,
        "replications": replications,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "wall_seconds": round((finished - started).total_seconds(), 3),
        "replication_seconds": {
            str(k): round(v, 4) for k, v in sorted(replication_seconds.items())
        },
        "versions": versions(),
        "code": code_version(),
        "platform": platform.platform(),
        **extra,
        "files": files,
        "scenario": scenario_data,
    }


def write_manifest(folder: Path, content: Mapping[str, Any]) -> None:
    write_text(folder / MANIFEST, json.dumps(content, indent=2, ensure_ascii=False) + "\n")


def write_run_folder(
    folder: Path,
    scenario: Any,
    runs: list[Any],
    *,
    trace: bool,
    started: datetime,
    extra: Mapping[str, Any],
) -> list[str]:
    """Write every output of a run (``runs``: :class:`sim.experiments.runs.TimedReplication`, in
    replication order) and, last, its manifest. Returns the files written, relative to ``folder``.
    """
    from sim.outputs.figures import write_figures
    from sim.scenario.files import scenario_to_toml

    folder.mkdir(parents=True, exist_ok=True)
    files: list[str] = []

    def table(name: str, content: pd.DataFrame) -> None:
        write_table(folder / name, content)
        files.append(name)

    write_text(folder / "scenario.toml", scenario_to_toml(scenario))
    files.append("scenario.toml")
    kpis = replications_table(run.result.kpis for run in runs)
    table("replications.csv", kpis)
    table("replications.parquet", kpis)
    table("summary.csv", summarise(kpis))
    timeseries = pd.concat([run.result.timeseries for run in runs], ignore_index=True)
    table("timeseries.parquet", timeseries)
    if trace:
        table(
            "episodes.parquet", pd.concat([run.result.episodes for run in runs], ignore_index=True)
        )
    (folder / "figures").mkdir(exist_ok=True)
    files.extend(write_figures(timeseries, folder / "figures", scenario.name, atomic_write))
    write_manifest(
        folder,
        manifest(
            scenario.model_dump(mode="json"),
            seed=scenario.run.seed,
            replications=len(runs),
            replication_seconds={run.replication: run.seconds for run in runs},
            started=started,
            finished=datetime.now(UTC),
            files=files,
            extra={"trace": trace, **extra},
        ),
    )
    return [*files, MANIFEST]
