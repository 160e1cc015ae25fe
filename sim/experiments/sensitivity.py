"""Global sensitivity analysis: which parameters drive which KPI (SALib).

The sample is a sweep design (``morris``, ``saltelli``, ``saltelli-s2``, ``fast``: see
``sim.experiments.designs.salib_sample``), so the runs use the sweep's executors, streaming and
resume. The analysis then:

1. averages the replications of each sample point (a stochastic model's noise inflates the
   indices, so it is measured too: the *noise share* of a KPI is the variance of the point means
   that replication noise alone would give, ``mean(within-point variance) / reps``, over the
   variance of the point means);
2. computes the indices with SALib: Morris μ, μ* and σ (Morris 1991; Campolongo et al. 2007),
   Sobol' S1, ST and optionally S2 (Saltelli 2002; Saltelli et al. 2010), or FAST S1 and ST
   (Cukier et al. 1973; Saltelli et al. 1999), each with a bootstrap confidence interval (σ's by
   resampling whole Morris trajectories);
3. gives guidance: a Sobol' base sample that is not a power of two, intervals wide against the
   indices, indices below zero beyond their interval, KPIs dominated by replication noise;
4. with ``convergence``, recomputes the indices on the nested leading subsamples (N/8, N/4, N/2,
   N: exactly what a fresh run of that size would sample, for Morris and Saltelli's scheme).

Parameters given as a list (choices, switches) occupy equal parts of an index interval and
whole-number parameters are rounded; the analysis works on the problem values that SALib drew.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.experiments.designs import (
    FAST_HARMONICS,
    MORRIS_LEVELS,
    Factor,
    salib_problem,
    salib_sample,
)

METHOD_DESIGNS = {"morris": "morris", "sobol": "saltelli", "fast": "fast"}
DEFAULT_SAMPLES = {"morris": 20, "sobol": 64, "fast": 129}
CONFIDENCE = 0.95
RESAMPLES = 1000
NOISE_WARNING = 0.2
WIDE_INTERVAL = 0.5


@dataclass(frozen=True)
class Analysis:
    """The indices (one row per KPI and parameter), second-order indices, noise, warnings."""

    indices: pd.DataFrame
    second_order: pd.DataFrame | None
    noise: pd.DataFrame
    warnings: list[str]


def design_for(method: str, *, second_order: bool) -> str:
    if method not in METHOD_DESIGNS:
        raise UserError(f"--method: expected morris, sobol or fast, got {method!r}")
    if second_order and method != "sobol":
        raise UserError("--second-order: only the sobol method has second-order indices")
    return "saltelli-s2" if second_order else METHOD_DESIGNS[method]


def point_means(runs: pd.DataFrame, kpis: list[str], points: int) -> pd.DataFrame:
    """The mean of each KPI over the replications of each sample point, in point order."""
    means = runs.groupby("point")[kpis].mean().reindex(range(points))
    missing = means.index[means.isna().all(axis=1)]
    if len(missing):
        raise UserError(
            f"sensitivity: {len(missing)} of {points} sample points have no finished "
            "run (see errors.csv); every point is needed for the indices"
        )
    return means


def replication_noise(runs: pd.DataFrame, kpis: list[str]) -> pd.DataFrame:
    """Per KPI: the variance of the point means, the part replication noise explains, its share."""
    rows = []
    for kpi in kpis:
        grouped = runs.groupby("point")[kpi]
        reps = grouped.count().mean()
        between = grouped.mean().var(ddof=1)
        within = grouped.var(ddof=1).mean() / reps if reps > 1 else np.nan
        share = within / between if between and between > 0 else np.nan
        rows.append((kpi, reps, between, within, share))
    return pd.DataFrame(
        rows,
        columns=[
            "kpi",
            "replications",
            "variance_of_point_means",
            "noise_variance_of_means",
            "noise_share",
        ],
    )


def indices_for(
    method: str,
    problem: dict[str, Any],
    matrix: np.ndarray,
    y: np.ndarray,
    *,
    second_order: bool,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """SALib's indices of one output, as a table with CI columns (and S2 when asked)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "morris":
            from SALib.analyze import morris

            result = morris.analyze(
                problem,
                matrix,
                y,
                num_resamples=RESAMPLES,
                conf_level=CONFIDENCE,
                num_levels=MORRIS_LEVELS,
                seed=seed,
            )
            sigma_low, sigma_high = _morris_sigma_interval(problem, matrix, y, seed)
            table = pd.DataFrame(
                {
                    "parameter": problem["names"],
                    "mu": result["mu"],
                    "mu_star": result["mu_star"],
                    "mu_star_ci_low": result["mu_star"] - result["mu_star_conf"],
                    "mu_star_ci_high": result["mu_star"] + result["mu_star_conf"],
                    "sigma": result["sigma"],
                    "sigma_ci_low": sigma_low,
                    "sigma_ci_high": sigma_high,
                }
            )
            return table, None
        if method == "sobol":
            from SALib.analyze import sobol

            result = sobol.analyze(
                problem,
                y,
                calc_second_order=second_order,
                num_resamples=RESAMPLES,
                conf_level=CONFIDENCE,
                seed=seed,
            )
        else:
            from SALib.analyze import fast

            result = fast.analyze(
                problem,
                y,
                M=FAST_HARMONICS,
                num_resamples=RESAMPLES,
                conf_level=CONFIDENCE,
                seed=seed,
            )
    table = pd.DataFrame({"parameter": problem["names"]})
    for name in ("S1", "ST"):
        table[name] = result[name]
        table[f"{name}_ci_low"] = np.asarray(result[name]) - np.asarray(result[f"{name}_conf"])
        table[f"{name}_ci_high"] = np.asarray(result[name]) + np.asarray(result[f"{name}_conf"])
    pairs = None
    if method == "sobol" and second_order:
        names = problem["names"]
        rows = [
            (names[i], names[j], result["S2"][i, j], result["S2_conf"][i, j])
            for i in range(len(names))
            for j in range(i + 1, len(names))
        ]
        pairs = pd.DataFrame(rows, columns=["parameter", "other", "S2", "S2_conf"])
        pairs["S2_ci_low"] = pairs.S2 - pairs.S2_conf
        pairs["S2_ci_high"] = pairs.S2 + pairs.S2_conf
        pairs = pairs.drop(columns="S2_conf")
    return table, pairs


def _morris_sigma_interval(
    problem: dict[str, Any], matrix: np.ndarray, y: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval of Morris σ: resample whole trajectories and reanalyse with SALib."""
    from SALib.analyze import morris

    size = problem["num_vars"] + 1
    trajectories = len(y) // size
    rng = np.random.default_rng(seed)
    sigmas = []
    for _ in range(200):
        chosen = rng.integers(0, trajectories, trajectories)
        rows = (chosen[:, None] * size + np.arange(size)).ravel()
        result = morris.analyze(
            problem, matrix[rows], y[rows], num_resamples=2, num_levels=MORRIS_LEVELS, seed=seed
        )
        sigmas.append(result["sigma"])
    low, high = np.nanpercentile(np.asarray(sigmas, dtype=float), [2.5, 97.5], axis=0)
    return low, high


def guidance(
    method: str, design: str, samples: int, indices: pd.DataFrame, noise: pd.DataFrame
) -> list[str]:
    """Warnings a careful analyst would want before trusting the indices."""
    found = []
    if design.startswith("saltelli") and samples & (samples - 1):
        lower = 1 << (samples.bit_length() - 1)
        found.append(
            f"Sobol' indices converge best with a power-of-two base sample (got "
            f"{samples}; try {lower} or {2 * lower})"
        )
    main = "mu_star" if method == "morris" else "ST"
    for kpi, table in indices.groupby("kpi", sort=False):
        width = (table[f"{main}_ci_high"] - table[f"{main}_ci_low"]) / 2
        top = table[main].abs().max()
        wide = table[(width > WIDE_INTERVAL * table[main].abs()) & (table[main].abs() >= 0.1 * top)]
        if len(wide):
            found.append(
                f"{kpi}: the {CONFIDENCE:.0%} intervals of {main} are wide for "
                f"{', '.join(wide.parameter)}; raise --samples (or --reps)"
            )
        if method != "morris":
            for name in ("S1", "ST"):
                negative = table[table[f"{name}_ci_high"] < 0]
                if len(negative):
                    found.append(
                        f"{kpi}: {name} is negative beyond its interval for "
                        f"{', '.join(negative.parameter)}: the sample is too small"
                    )
                above = table[table[name] > 1]
                if len(above):
                    shown = ", ".join(
                        f"{row.parameter} ({getattr(row, name):.2f})" for row in above.itertuples()
                    )
                    found.append(
                        f"{kpi}: {name} is above 1 for {shown}, impossible for a share of the "
                        "variance: the sample is too small; raise --samples"
                    )
    for row in noise.itertuples():
        if row.noise_share > NOISE_WARNING:
            found.append(
                f"{row.kpi}: replication noise makes up {row.noise_share:.0%} of the "
                "variance of the point means and inflates the indices; raise --reps"
            )
    return found


def analyse(
    factors: list[Factor],
    method: str,
    design: str,
    samples: int,
    root_seed: int,
    runs: pd.DataFrame,
    kpis: list[str],
) -> Analysis:
    """The indices of every KPI from the runs of a sensitivity sweep."""
    problem = salib_problem(factors)
    matrix = salib_sample(factors, design, samples, root_seed)
    unknown = [k for k in kpis if k not in runs.columns]
    if unknown:
        raise UserError(f"--kpi: {unknown[0]}: not an output of the runs")
    means = point_means(runs, kpis, len(matrix))
    tables, pairs_tables, found = [], [], []
    for kpi in kpis:
        y = means[kpi].to_numpy(dtype=float)
        if np.isnan(y).any():
            found.append(
                f"{kpi}: undefined at {int(np.isnan(y).sum())} sample points "
                "(e.g. no failure with a provider); left out"
            )
            continue
        table, pairs = indices_for(
            method, problem, matrix, y, second_order=design == "saltelli-s2", seed=root_seed
        )
        tables.append(table.assign(kpi=kpi))
        if pairs is not None:
            pairs_tables.append(pairs.assign(kpi=kpi))
    if not tables:
        raise UserError("sensitivity: no KPI could be analysed")
    indices = pd.concat(tables, ignore_index=True)
    indices = indices[["kpi", *[c for c in indices.columns if c != "kpi"]]]
    second = None
    if pairs_tables:
        second = pd.concat(pairs_tables, ignore_index=True)
        second = second[["kpi", *[c for c in second.columns if c != "kpi"]]]
    noise = replication_noise(runs, kpis)
    return Analysis(
        indices, second, noise, found + guidance(method, design, samples, indices, noise)
    )


def convergence(
    factors: list[Factor],
    method: str,
    design: str,
    samples: int,
    root_seed: int,
    runs: pd.DataFrame,
    kpis: list[str],
) -> pd.DataFrame:
    """The main index of every KPI and parameter on nested subsamples N/8, N/4, N/2 and N."""
    if method == "fast":
        raise UserError("--convergence: FAST samples are not nested; use morris or sobol")
    problem = salib_problem(factors)
    matrix = salib_sample(factors, design, samples, root_seed)
    means = point_means(runs, kpis, len(matrix))
    per_sample = len(matrix) // samples
    main = "mu_star" if method == "morris" else "ST"
    rows = []
    for size in sorted({max(2, samples // d) for d in (8, 4, 2, 1)}):
        count = size * per_sample
        for kpi in kpis:
            y = means[kpi].to_numpy(dtype=float)[:count]
            if np.isnan(y).any():
                continue
            table, _ = indices_for(
                method, problem, matrix[:count], y, second_order=False, seed=root_seed
            )
            for row in table.itertuples():
                rows.append(
                    (
                        kpi,
                        row.parameter,
                        size,
                        main,
                        getattr(row, main),
                        getattr(row, f"{main}_ci_low"),
                        getattr(row, f"{main}_ci_high"),
                    )
                )
    return pd.DataFrame(
        rows, columns=["kpi", "parameter", "samples", "index", "value", "ci_low", "ci_high"]
    )


def write_analysis(
    folder: Path, analysis: Analysis, conv: pd.DataFrame | None, method: str, save
) -> list[str]:
    """indices.csv, indices_s2.csv, noise.csv, warnings.txt, convergence.csv and the figures."""
    from sim.outputs.figures import write_convergence_figures, write_sensitivity_figures
    from sim.outputs.results import write_table, write_text

    files = ["indices.csv", "noise.csv", "warnings.txt"]
    write_table(folder / "indices.csv", analysis.indices)
    write_table(folder / "noise.csv", analysis.noise)
    write_text(folder / "warnings.txt", "".join(f"{w}\n" for w in analysis.warnings))
    if analysis.second_order is not None:
        write_table(folder / "indices_s2.csv", analysis.second_order)
        files.append("indices_s2.csv")
    (folder / "figures").mkdir(exist_ok=True)
    files += write_sensitivity_figures(analysis.indices, method, folder / "figures", save)
    if conv is not None:
        write_table(folder / "convergence.csv", conv)
        files.append("convergence.csv")
        files += write_convergence_figures(conv, folder / "figures", save)
    return files


def run_sensitivity(
    base: Any,
    factors: list[Factor],
    method: str,
    samples: int,
    reps: int,
    kpis: list[str],
    folder: Path,
    executor: Any,
    window: int,
    *,
    second_order: bool = False,
    with_convergence: bool = False,
    resume: bool = False,
    progress: Any = None,
    model: Any = None,
    notify: Any = None,
) -> tuple[Any, Analysis]:
    """Run (or resume) the sample of a sensitivity analysis as a sweep, then analyse it.

    Returns the sweep outcome and the analysis; the folder then also holds indices.csv,
    noise.csv, warnings.txt (and indices_s2.csv, convergence.csv) with their figures, and a
    manifest that lists them.
    """
    import json

    from sim.experiments.sweep import SweepPlan, run_sweep
    from sim.outputs.results import atomic_write, write_manifest

    for f in factors:
        if f.values is not None and f.bounds is None and not isinstance(f.values[0], bool | str):
            raise UserError(
                f"--vary: {f.key}: a sensitivity analysis needs bounds LOW..HIGH for "
                "a numeric parameter"
            )
    design = design_for(method, second_order=second_order)
    plan = SweepPlan(base, tuple(factors), design, samples, reps)
    outcome = run_sweep(
        plan,
        folder,
        executor,
        window,
        resume=resume,
        progress=progress,
        model=model,
        notify=notify,
    )
    runs = pd.read_parquet(folder / "runs.parquet")
    analysis = analyse(factors, method, design, samples, base.run.seed, runs, kpis)
    conv = (
        convergence(factors, method, design, samples, base.run.seed, runs, kpis)
        if with_convergence
        else None
    )
    files = write_analysis(folder, analysis, conv, method, atomic_write)
    content = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    content["aggsim"] = "sensitivity"
    content["sensitivity"] = {
        "method": method,
        "samples": samples,
        "replications": reps,
        "kpis": kpis,
        "second_order": second_order,
        "convergence": with_convergence,
        "warnings": analysis.warnings,
    }
    content["files"] = [*content["files"], *files]
    write_manifest(folder, content)
    return outcome, analysis
