"""Pinned outputs of whole replications: every KPI, time-series row and episode of a few small
worlds, as fingerprints of their tables (tests/test_replication.py checks them).

A change meant to leave the model's behaviour alone (a refactoring, a faster world) must leave
every fingerprint as it is; a change of the model on purpose rewrites them, in the same commit,
with ``python -m tests.golden_outputs``. Numbers are rounded to 12 significant digits before
they are fingerprinted, so that the last bit of a floating-point sum on another processor does
not count as a change, while any change of the model does.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from sim import run_replication
from sim.scenario_files import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FILE = Path(__file__).parent / "golden" / "replications.json"

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


def main() -> None:
    FILE.write_text(
        json.dumps({case: outputs(case) for case in CASES}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"written: {FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
