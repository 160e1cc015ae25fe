"""Fitting the judgement model to a vignette dataset by the method of simulated moments
(MODEL.md 12.6).

The data give, in every condition ``c`` and for every measure ``m``, two moments: the mean answer
(the mean over respondents of their mean item) and the mean spread of a respondent's answers to
the measure's items (their sample variance). The model gives the same two moments exactly for any
latent value (:mod:`sim.vignette.measurement`), so for a pool of simulated respondents — drawn
once and kept, so that the moments are smooth in the parameters (common random numbers) — the
model's moments are averages over the pool of ``E[answer | L]`` and ``Var[answer | L]`` with
``L`` from the judgement model at parameters ``θ``. The estimate minimises

    Σ ((observed − simulated(θ)) / SE(observed))²

over ``θ`` (the judgement coefficients the design identifies, :func:`identified_parameters`) and
each measure's item error ``σ_m`` (so the attenuation by the measurement is estimated, not
assumed). Standard errors are the sandwich of the method of moments with the moments' sampling
covariance estimated from the respondents, inflated by ``1 + n_c/M`` for the pool's own
simulation error (McFadden 1989; Gourieroux & Monfort 1996). Parameters stay in the ranges the
scenario schema allows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError
from scipy import optimize, stats
from scipy.linalg import block_diag

from sim.errors import UserError
from sim.scenario import parameter_index
from sim.vignette.constructs import judge
from sim.vignette.design import Design
from sim.vignette.measurement import answer_variance, expected_answer
from sim.vignette.simulate import constructs_of, draw_responses, stream
from sim.vignette.story import episode

#: Simulated respondents per condition (between) or in all (within) behind the model's moments.
POOL = 400

#: Factors that move perceived control, and so everything downstream of it (MODEL.md 5.3).
MOVES_CONTROL = (
    "aggregator.intermediation",
    "aggregator.brand_salience",
    "aggregator.vetting",
    "aggregator.monitoring",
    "failure.cause",
    "failure.encounter",
    "failure.explanation",
    "failure.preventable",
)

#: The coefficients a design can identify: (parameter, the construct whose measure shows it,
#: the factors any one of which identifies it; empty: the measure alone does, as a level).
IDENTIFIED_BY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("attribution.intercept", "perceived_control", ()),
    ("attribution.intermediation_weight", "perceived_control", ("aggregator.intermediation",)),
    ("attribution.brand_weight", "perceived_control", ("aggregator.brand_salience",)),
    (
        "attribution.control_weight",
        "perceived_control",
        ("failure.cause", "failure.preventable", "aggregator.vetting", "aggregator.monitoring"),
    ),
    ("attribution.encounter_weight", "perceived_control", ("failure.encounter",)),
    ("attribution.explanation_weight", "perceived_control", ("failure.explanation",)),
    ("attribution.blame_base", "aggregator_responsibility", ()),
    ("attribution.share_slope", "aggregator_responsibility", MOVES_CONTROL),
    ("attribution.share_severity", "aggregator_responsibility", ("failure.severity",)),
    ("compensation.accepted_factor", "expected_compensation", ()),
    ("compensation.responsibility_elasticity", "expected_compensation", MOVES_CONTROL),
    ("compensation.severity_weight", "expected_compensation", ("failure.severity",)),
    ("compensation.rejected_factor", "expected_compensation", ("failure.rejected",)),
    ("punishment.intercept", "expected_punishment", ()),
    ("punishment.aggregator_responsibility_weight", "expected_punishment", MOVES_CONTROL),
    ("punishment.provider_responsibility_weight", "expected_punishment", ("failure.cause",)),
    ("punishment.severity_weight", "expected_punishment", ("failure.severity",)),
)


#: Sections whose coefficients a vignette study can inform: the customer's judgements.
JUDGEMENT_SECTIONS = ("attribution", "compensation", "punishment", "complaints", "satisfaction")


def check_parameters(keys: Sequence[str], design: Design) -> None:
    """``--params``: numeric coefficients of the judgement model, not factors of the design."""
    info = parameter_index()
    factors = {f.key for f in design.factors}
    for key in keys:
        if key not in info or key.split(".")[0] not in JUDGEMENT_SECTIONS:
            raise UserError(
                f"--params: {key!r} is not a coefficient of the judgement model (a parameter of "
                f"{', '.join(JUDGEMENT_SECTIONS)}; `aggsim params` lists them)"
            )
        if isinstance(info[key].default, bool) or not isinstance(info[key].default, int | float):
            raise UserError(f"--params: {key!r} is not a number")
        if key in factors:
            raise UserError(f"--params: {key!r} is a factor of the design, set by its conditions")


def identified_parameters(design: Design) -> list[str]:
    """The coefficients the design's measures and factors identify (MODEL.md 12.6)."""
    measured = set(constructs_of(design))
    factors = {f.key for f in design.factors}
    return [
        key
        for key, construct, by in IDENTIFIED_BY
        if construct in measured and (not by or factors & set(by)) and key not in factors
    ]


@dataclass(frozen=True)
class Moments:
    """The observed moments, their standard errors and sampling covariance, and the respondents
    per condition (``n``)."""

    names: list[str]
    values: np.ndarray
    covariance: np.ndarray
    n: np.ndarray  # respondents behind each moment


def observed_moments(data: pd.DataFrame, design: Design) -> Moments:
    """Per condition and measure: the mean answer and the mean within-respondent variance of the
    items (the latter for measures of two items or more)."""
    if design.subjects == "within":  # each respondent's rows, in the same order in every condition
        complete = data.groupby("respondent")["respondent"].transform("size") == len(design.cells)
        data = data[complete].sort_values("respondent", kind="stable")
    conditions = _condition_of_rows(data, design)
    per_row: dict[str, np.ndarray] = {}
    for m in design.measures:
        items = data[list(m.items)].to_numpy(dtype=float)
        per_row[f"{m.name}:mean"] = items.mean(axis=1)
        if len(m.items) > 1:
            per_row[f"{m.name}:spread"] = items.var(axis=1, ddof=1)
    names, values, n = [], [], []
    blocks = []
    for cell in design.cells:
        rows = conditions == cell.index
        for key, column in per_row.items():
            names.append(f"{cell.index}:{key}")
            values.append(np.nanmean(column[rows]))
            n.append(int(np.sum(rows & ~np.isnan(column))))
        blocks.append(np.column_stack([column[rows] for column in per_row.values()]))
    if design.subjects == "between":  # conditions are independent samples
        covariance = block_diag(*(_covariance_of_mean(b) for b in blocks))
    else:  # one respondent answers in every condition
        covariance = _covariance_of_mean(np.column_stack(blocks))
    return Moments(names, np.array(values), covariance, np.array(n))


def _covariance_of_mean(rows: np.ndarray) -> np.ndarray:
    """The covariance of the column means of ``rows`` (respondents × moments), missing values
    left out pairwise."""
    spread = np.ma.cov(np.ma.masked_invalid(rows), rowvar=False).filled(0.0)
    return np.atleast_2d(spread) / max(len(rows), 1)


def _condition_of_rows(data: pd.DataFrame, design: Design) -> np.ndarray:
    """The condition (cell index) of every row, from the factors' coded columns."""
    index = {
        tuple(
            f.code_of(level) for f, level in zip(design.factors, cell.levels, strict=True)
        ): cell.index
        for cell in design.cells
    }
    codes = zip(*(data[f.column].astype(str) for f in design.factors), strict=True)
    return np.array([index[tuple(row)] for row in codes], dtype=np.int64)


class SimulatedMoments:
    """The model's moments for coefficients ``θ`` and item errors ``σ``, over a fixed pool of
    respondents (common random numbers)."""

    def __init__(self, design: Design, parameters: list[str], pool: int, seed: int) -> None:
        self.design = design
        self.parameters = parameters
        self.constructs = constructs_of(design)
        # each response with its episode as the respondent reads it: the episode does not
        # depend on the coefficients fitted
        self.pool = [
            (r.cell, episode(r.cell.scenario, r.cell.story, r.traits), r.errors)
            for r in draw_responses(design, pool, stream(seed, "pilot", 1))
        ]
        self.latent = lru_cache(maxsize=64)(self._latent)

    def _latent(self, theta: tuple[float, ...]) -> dict[int, np.ndarray]:
        """Each condition's latent judgements (rows: pool respondents, columns: constructs)."""
        values = dict(zip(self.parameters, theta, strict=True))
        scenarios = {}
        for cell in self.design.cells:
            try:
                scenarios[cell.index] = cell.scenario.with_values(**values)
            except ValidationError as error:
                raise UserError(
                    f"the fit left the scenario's ranges: {error.errors()[0]['msg']}"
                ) from None
        rows: dict[int, list[list[float]]] = {cell.index: [] for cell in self.design.cells}
        for cell, seen, errors in self.pool:
            rows[cell.index].append(
                judge(scenarios[cell.index], seen, *errors, constructs=self.constructs)
            )
        return {c: np.array(r, dtype=float) for c, r in rows.items()}

    def __call__(self, theta: Sequence[float] | np.ndarray, noise: dict[str, float]) -> np.ndarray:
        latent = self.latent(tuple(float(t) for t in theta))
        out = []
        for cell in self.design.cells:
            for m in self.design.measures:
                values = latent[cell.index][:, self.constructs.index(m.construct)]
                values = values[~np.isnan(values)]
                out.append(expected_answer(values, m.thresholds, noise[m.name]).mean())
                if len(m.items) > 1:
                    out.append(answer_variance(values, m.thresholds, noise[m.name]).mean())
        return np.array(out)


@dataclass(frozen=True)
class Fit:
    table: pd.DataFrame  # parameter, default, estimate, se, ci_low, ci_high
    residuals: np.ndarray  # standardised, per moment
    moments: Moments


#: For the size estimate of a fit (measured on ``intermediation_by_cause``, 4 conditions: 3.6 s
#: and 200 MB at a pool of 400, 22 s and 240 MB at 4,000; a 200 MB dataset took 74 s and 1.8 GB):
#: CPU seconds per pool respondent and condition, and per byte of the dataset; bytes of memory
#: per byte of the dataset (read as text, then as numbers), beside the process's own.
SECONDS_PER_POOL_CELL = 1.5e-3
SECONDS_PER_DATA_BYTE = 0.4e-6
MEMORY_PER_DATA_BYTE = 10.0
PROCESS_BYTES = 250e6


def check_fit_size(data_bytes: int, design: Design, pool: int, *, force: bool) -> None:
    """Refuse, before reading the data, a fit beyond the limits of every command (CPU time and
    memory, :mod:`sim.experiments.budget`) unless ``force``."""
    from sim.experiments.budget import duration_text, limits_exceeded

    hours = (
        SECONDS_PER_POOL_CELL * pool * len(design.cells) + SECONDS_PER_DATA_BYTE * data_bytes
    ) / 3600
    memory = PROCESS_BYTES + MEMORY_PER_DATA_BYTE * data_bytes
    exceeded = limits_exceeded(hours, memory)
    if exceeded and not force:
        raise UserError(
            f"this fit would take about {duration_text(hours)} of CPU and {memory / 1e9:,.1f} GB "
            f"of memory: {' and '.join(exceeded)}; a smaller --pool or dataset, or --force"
        )


def fit_judgements(
    data: pd.DataFrame,
    design: Design,
    parameters: Sequence[str] | None = None,
    *,
    pool: int = POOL,
    seed: int = 1,
    on_evaluation: Callable[[], object] | None = None,
) -> Fit:
    """Estimate the judgement coefficients (and each measure's item error) from a dataset;
    ``on_evaluation()`` hears of every simulation of the moments (a progress count)."""
    keys = list(identified_parameters(design) if parameters is None else parameters)
    if not keys:
        raise UserError(
            f"{design.source}: the design identifies no coefficient: measure a construct "
            "(e.g. perceived_control) under a factor that moves it"
        )
    moments = observed_moments(data, design)
    se = np.sqrt(np.diag(moments.covariance))
    if np.any(~np.isfinite(moments.values)) or np.any(se <= 0) or np.any(moments.n < 2):
        raise UserError(
            f"{design.source}: every condition needs at least two respondents whose answers vary"
        )
    simulate = SimulatedMoments(design, keys, pool, seed)
    scale = 1.0 + moments.n / pool  # the pool's simulation error, per moment
    weight = 1.0 / (se * np.sqrt(scale))
    measures = [m.name for m in design.measures if len(m.items) > 1]  # item error estimated
    fixed = {m.name: _stated_noise(design, m.name) for m in design.measures if len(m.items) == 1}
    info = parameter_index()
    start = [float(design.scenario.value(key)) for key in keys] + [math.log(0.15)] * len(measures)
    low = [_bound(info[k].minimum, -30.0) for k in keys] + [math.log(1e-3)] * len(measures)
    high = [_bound(info[k].maximum, 30.0) for k in keys] + [math.log(10.0)] * len(measures)

    def residuals(x: np.ndarray) -> np.ndarray:
        noise = {**fixed, **dict(zip(measures, np.exp(x[len(keys) :]), strict=True))}
        if on_evaluation is not None:
            on_evaluation()
        return (moments.values - simulate(x[: len(keys)], noise)) * weight

    solution = optimize.least_squares(
        residuals,
        np.clip(start, low, high),
        bounds=(low, high),
        x_scale="jac",
        diff_step=1e-3,
        ftol=1e-6,
        xtol=1e-6,
    )
    gradient = -solution.jac / weight[:, None]  # d simulated / d x
    covariance = _sandwich(
        gradient, weight**2, moments.covariance * np.sqrt(np.outer(scale, scale))
    )
    _check_identified(
        gradient * weight[:, None], [*keys, *(f"item error of {m}" for m in measures)], design
    )
    rows = _estimates(solution.x, covariance, keys, measures, design, (low, high))
    return Fit(pd.DataFrame(rows), solution.fun, moments)


def _estimates(
    x: np.ndarray,
    covariance: np.ndarray,
    keys: Sequence[str],
    measures: Sequence[str],
    design: Design,
    bounds: tuple[Sequence[float], Sequence[float]],
) -> list[dict[str, Any]]:
    """The rows of the fit's table: each coefficient, then each measure's item error (fitted
    as log σ, its CI by the delta method), with its 95% CI and whether it sits at a bound."""
    z = float(stats.norm.ppf(0.975))
    low, high = bounds
    rows = []
    for j, key in enumerate([*keys, *measures]):
        is_noise = j >= len(keys)
        estimate = float(np.exp(x[j]) if is_noise else x[j])
        spread = float(np.sqrt(max(covariance[j, j], 0.0)))
        if is_noise:  # delta method from log σ
            low_ci, high_ci = math.exp(x[j] - z * spread), math.exp(x[j] + z * spread)
            spread *= estimate
        else:
            low_ci, high_ci = estimate - z * spread, estimate + z * spread
        rows.append(
            {
                "parameter": f"item error of {key}" if is_noise else key,
                "default": math.nan if is_noise else float(design.scenario.value(key)),
                "estimate": estimate,
                "se": spread,
                "ci_low": low_ci,
                "ci_high": high_ci,
                "at_bound": bool(np.isclose(x[j], low[j]) or np.isclose(x[j], high[j])),
            }
        )
    return rows


#: Below this, the smallest singular value of the Jacobian (columns scaled to length 1) says two
#: coefficients move the moments alike: finite differences leave about 1e-4 of an exact tie.
IDENTIFIED_FROM = 1e-3


def _check_identified(jacobian: np.ndarray, names: list[str], design: Design) -> None:
    """Refuse a fit whose coefficients the moments cannot tell apart, naming the coefficient
    that weighs most in the direction the moments do not see."""
    lengths = np.linalg.norm(jacobian, axis=0)
    if np.any(lengths == 0):
        blind = names[int(np.argmin(lengths))]
    else:
        _, singular, directions = np.linalg.svd(jacobian / lengths)
        if singular[-1] >= IDENTIFIED_FROM * singular[0]:
            return
        blind = names[int(np.argmax(np.abs(directions[-1])))]
    raise UserError(
        f"{design.source}: the data do not identify {blind} (its effect on the answers cannot be "
        "told from the others'); leave it out of --params or add a factor that moves it"
    )


def _sandwich(gradient: np.ndarray, weight: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    """(G'WG)⁻¹ G'W Σ W G (G'WG)⁻¹ for a diagonal weight."""
    gw = gradient.T * weight
    bread = np.linalg.pinv(gw @ gradient)
    return bread @ gw @ covariance @ gw.T @ bread


def _stated_noise(design: Design, measure: str) -> float:
    """A one-item measure's item error, which its answers alone cannot tell from its level."""
    noise = design.measure(measure).noise_sd
    if noise is None:
        raise UserError(
            f"{design.source}: measures.{measure}: one item cannot show its own error; give "
            "its noise_sd or measure it with two items or more"
        )
    return noise


def _bound(value: float | None, default: float) -> float:
    return default if value is None else float(value)
