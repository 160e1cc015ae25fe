"""Pinned outputs of whole replications (every KPI, time-series row and episode of a few small
worlds) and of the commands built on them (a run, a sweep, a comparison and a validation of two
patterns), as fingerprints of their tables (tests/experiments/test_replication.py checks them).

A change meant to leave the model's behaviour alone (a refactoring, a faster world) must leave
every fingerprint as it is; a change of the model on purpose rewrites them, in the same commit,
with ``python -m tests.golden_outputs``. Numbers are rounded to 12 significant digits before
they are fingerprinted, so that the last bit of a floating-point sum on another processor does
not count as a change, while any change of the model does.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pandas as pd

from sim import run_replication
from sim.scenario.files import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FILE = Path(__file__).parent / "golden" / "replications.json"
COMMANDS_FILE = Path(__file__).parent / "golden" / "commands.json"

#: Small worlds that between them take every path of an order and an episode: the baseline,
#: surge pricing, and a business marketplace (buying centres, key accounts, contracts).
SMALL = ["customers.count=300", "providers.count=4", "run.days=20", "run.warmup_days=5"]
CASES: dict[str, tuple[str, list[str]]] = {
    "baseline": ("scenarios/baseline.toml", SMALL),
    "surge": ("scenarios/surge_pricing.toml", SMALL),
    "b2b": ("scenarios/b2b/procurement.toml", [*SMALL[:1], "providers.count=6", *SMALL[2:]]),
}
REPLICATIONS = (0, 1)


def fingerprint(table: pd.DataFrame) -> str:
    """SHA-256 of the table as CSV, its floats rounded to 12 significant digits."""
    text = table.to_csv(index=False, float_format="%.12g", lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def outputs(case: str) -> dict[str, object]:
    """The fingerprints of one case's replications, and its KPIs for a readable difference."""
    path, overrides = CASES[case]
    scenario = load_scenario(ROOT / path, overrides)
    found: dict[str, object] = {}
    for replication in REPLICATIONS:
        result = run_replication(scenario, replication, trace=True)
        assert result.episodes is not None
        found[str(replication)] = {
            "kpis": {k: float(f"{float(v):.12g}") for k, v in result.kpis.items()},
            "timeseries": fingerprint(result.timeseries),
            "episodes": fingerprint(result.episodes),
        }
    return found


#: Commands on a tiny world, each writing a results folder whose tables are pinned.
TINY = [
    *("--set", "run.days=3", "--set", "customers.count=300", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0", "--executor", "inprocess", "--quiet", "--reps", "2"),
]
COMMANDS: dict[str, list[str]] = {
    "run": ["run", "scenarios/baseline.toml", "--trace"],
    "sweep": [
        *("sweep", "scenarios/baseline.toml", "--vary", "aggregator.intermediation=0:1:3"),
        *("--vary", "recovery.policy=none,tiered"),
    ],
    "compare": ["compare", "scenarios/baseline.toml", "scenarios/generous_recovery.toml"],
    "validate": [
        *("validate", "scenarios/baseline.toml", "--pattern", "P1"),
        *("--pattern", "surge_odds", "--pattern", "justice_order"),
    ],
}
#: Columns that are allowed to differ between two runs of the same command: wall times.
CLOCKS = ("seconds",)


def read_table(path: Path) -> pd.DataFrame:
    """A results folder's table, without its wall-clock columns."""
    table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    return table.drop(columns=[c for c in CLOCKS if c in table.columns])


def command_outputs(name: str) -> dict[str, str]:
    """The fingerprint of every table (CSV or Parquet) the command writes into its folder."""
    from sim.cli import main as aggsim

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / name
        argv = COMMANDS[name]
        argv = [a if not a.startswith("scenarios/") else str(ROOT / a) for a in argv]
        code = aggsim([*argv, *TINY, "--out", str(folder)])
        assert code == 0, f"aggsim {name} exited {code}"
        return {
            str(path.relative_to(folder)): fingerprint(read_table(path))
            for path in sorted(folder.rglob("*"))
            if path.suffix in (".csv", ".parquet")
        }


def main() -> None:
    FILE.write_text(
        json.dumps({case: outputs(case) for case in CASES}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    COMMANDS_FILE.write_text(
        json.dumps({name: command_outputs(name) for name in COMMANDS}, indent=1, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )
    print(f"written: {FILE.relative_to(ROOT)}, {COMMANDS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
