"""Shared helpers: small worlds, cached runs, and effect assertions with margins."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import settings

from sim import Scenario, run_replication

# Commands run by the tests (in this process, or as a user would in a subprocess, the site's build
# among them) default to one worker (sim.cli.options.default_workers): the suite's own workers
# already use every core, and a pool inside each would only add processes competing for them.
# Tests about pools and executors name their --workers.
os.environ["AGGSIM_WORKERS"] = "1"

# Property tests draw the same examples on every run: the suite stays deterministic.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("deterministic")

#: A small world (about 2,600 orders and 280 failures per replication) that keeps tests fast.
#: Mechanism tests contrast conditions from the same start, so they need no warm-up.
SMALL = {"customers.count": 800, "providers.count": 6, "run.days": 20, "run.warmup_days": 0}
REPLICATIONS = 4


#: The files whose tests take longest, longest first (seconds of one worker in CI): they start
#: first, so that the short files that follow even out the workers' loads (``--dist loadfile``
#: with ``--no-loadscope-reorder``, pyproject.toml) instead of one worker running a long file
#: alone at the end. The rest follow in their collected order.
LONGEST_FIRST = (
    "tests/test_docs.py",  # the site's build, running every command it shows (250 s)
    "tests/model/test_judgement.py",  # 155 s
    "tests/inference/test_roundtrip.py",  # 72 s
    "tests/test_scenarios_folder.py",  # 58 s
    "tests/experiments/test_sweep_parts.py",  # 56 s
    "tests/model/test_customer_base.py",  # 42 s
    "tests/experiments/test_sensitivity.py",  # 38 s
)


def pytest_collection_modifyitems(config, items) -> None:
    def rank(item) -> int:
        file = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(file) if file in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


def small_scenario(**overrides) -> Scenario:
    return Scenario().with_values(**{**SMALL, **overrides})


@lru_cache(maxsize=64)
def _runs(items: tuple) -> tuple:
    scenario = small_scenario(**dict(items))
    return tuple(run_replication(scenario, r, trace=True) for r in range(REPLICATIONS))


def runs(**overrides):
    """Replications 0..3 of the small world with ``overrides`` (cached; same seed: CRN)."""
    return _runs(tuple(sorted(overrides.items())))


#: A larger world for vignette-like contrasts of interactions (1,000 customers, 30 days).
STUDY = {"customers.count": 1000, "providers.count": 7, "run.days": 30, "run.warmup_days": 0}
STUDY_REPLICATIONS = 6


@lru_cache(maxsize=64)
def _study(items: tuple, replications: int) -> tuple:
    scenario = Scenario().with_values(**{**STUDY, **dict(items)})
    return tuple(run_replication(scenario, r, trace=True) for r in range(replications))


def study(replications: int = STUDY_REPLICATIONS, **overrides):
    """Replications 0.. of the study world with ``overrides`` (cached; same seed: CRN)."""
    return _study(tuple(sorted(overrides.items())), replications)


#: The B2B procurement marketplace the tests of business customers run (MODEL.md 14).
B2B = Path(__file__).resolve().parents[1] / "scenarios" / "b2b_marketplace.toml"


@lru_cache(maxsize=32)
def _b2b(days: int, items: tuple) -> tuple:
    from sim.scenario.files import load_scenario

    scenario = load_scenario(B2B, [f"run.days={days}", "run.warmup_days=0"])
    scenario = scenario.with_values(**dict(items))
    return tuple(run_replication(scenario, r, trace=True) for r in range(STUDY_REPLICATIONS))


def b2b(days: int, **overrides):
    """Replications 0..5 of ``days`` of the B2B marketplace, no warm-up, with ``overrides``
    (cached; same seed: CRN)."""
    return _b2b(days, tuple(sorted(overrides.items())))


#: The baseline platform at full size over a quarter after its warm-up: what customers do is
#: a property of a whole customer base, so the tests of MODEL.md 5.15 run it as it is.
PLATFORM = {"run.days": 90.0}
PLATFORM_REPLICATIONS = 8


@lru_cache(maxsize=16)
def _platform(items: tuple, trace: bool) -> tuple:
    scenario = Scenario().with_values(**{**PLATFORM, **dict(items)})
    return tuple(run_replication(scenario, r, trace=trace) for r in range(PLATFORM_REPLICATIONS))


def platform(trace: bool = False, **overrides):
    """Replications 0..7 of the full baseline over 90 counted days, with ``overrides`` (cached;
    same seed: CRN)."""
    return _platform(tuple(sorted(overrides.items())), trace)


def per_replication(results, measure) -> np.ndarray:
    """``measure(episodes)`` for each replication."""
    return np.array([measure(r.episodes) for r in results], dtype=float)


def confidence_interval(differences: np.ndarray, level: float = 0.99) -> tuple[float, float]:
    """Student-t interval of the mean of paired differences."""
    from scipy import stats

    d = np.asarray(differences, float)
    half = stats.t.ppf(0.5 + level / 2, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size)
    return d.mean() - half, d.mean() + half


def assert_positive(differences: np.ndarray, min_effect: float) -> None:
    low, high = confidence_interval(differences)
    mean = float(np.mean(differences))
    assert low > 0 and mean >= min_effect, f"effect {mean:.4f}, 99% CI [{low:.4f}, {high:.4f}]"


def assert_not_positive(differences: np.ndarray, min_effect: float) -> None:
    """The knockout: the effect is gone (below the smallest effect of interest, or not > 0)."""
    low, _ = confidence_interval(differences)
    assert low <= 0 or float(np.mean(differences)) < min_effect


def kpi(results, name: str) -> np.ndarray:
    return np.array([r.kpis[name] for r in results])


def episodes(results) -> pd.DataFrame:
    return pd.concat([r.episodes for r in results], ignore_index=True)


def assert_increase(before: np.ndarray, after: np.ndarray, min_effect: float) -> None:
    """``after`` exceeds ``before`` by at least ``min_effect`` on average over paired
    replications, and by more than four standard errors of the paired difference."""
    diff = np.asarray(after, float) - np.asarray(before, float)
    mean = diff.mean()
    standard_error = diff.std(ddof=1) / np.sqrt(diff.size)
    assert mean >= min_effect, f"effect {mean:.4f} below {min_effect} (diffs {diff})"
    assert mean > 4 * standard_error, f"effect {mean:.4f} within 4 SE ({standard_error:.4f})"


def widest_line(printed: str) -> int:
    """The width of the widest line a command printed, but for the folder it names (a path is as
    long as the folder it names, not fitted to the terminal)."""
    return max(len(line) for line in printed.splitlines() if not line.startswith("results: "))


def python_output(program: str) -> str:
    """The standard output of ``program`` run by a fresh Python with this project importable."""
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        check=True,
    )
    return done.stdout


def assert_user_error(args: list[str], expected: str, cwd: Path) -> None:
    """``aggsim ARGS`` run from ``cwd`` as a user would, in this process (the slow tests run the
    real program): exit code 2 and one line naming the problem, with no traceback."""
    from sim.cli import main

    stderr = io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(args)
            except SystemExit as stop:  # a usage error, from argparse
                code = stop.code
    finally:
        os.chdir(previous)
    assert code == 2, stderr.getvalue()
    lines = stderr.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aggsim") and expected in lines[0], lines
    assert "Traceback" not in stderr.getvalue()
