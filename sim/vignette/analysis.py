"""The analysis a paper would run on a vignette dataset (MODEL.md 12.3): scale scores, an ANOVA of
each measure on the conditions with partial eta squared, and each named effect as a t-test with
Cohen's d and its 95% CI.

- Between subjects: a factorial ANOVA of the scale score on all factors and their interactions
  (ordinary least squares, type II sums of squares; statsmodels), and a Student two-sample t-test
  of the effect's two levels (pooling any other factors), d = difference / pooled SD, its CI from
  the large-sample standard error of Hedges & Olkin (1985).
- Within subjects: a repeated-measures ANOVA (statsmodels ``AnovaRM``), and a paired t-test of
  each respondent's mean score at the two levels, with d_z = mean difference / SD of differences.

The t-tests work on arrays of many studies at once, so :mod:`sim.vignette.power` repeats a study
thousands of times with the same test a single study reports.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.vignette.design import Design, Effect

Z95 = float(stats.norm.ppf(0.975))


def scale_scores(data: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Each measure's scale score: the mean of its items (NaN if one is missing)."""
    return pd.DataFrame(
        {
            m.name: data[list(m.items)].astype(float).mean(axis=1, skipna=False)
            for m in design.measures
        },
        index=data.index,
    )


@dataclass(frozen=True)
class TTest:
    """Arrays of t-tests (one per study): the difference high − low, t, df, two-sided p, d and
    its CI."""

    difference: np.ndarray
    t: np.ndarray
    df: np.ndarray
    p: np.ndarray
    d: np.ndarray
    d_low: np.ndarray
    d_high: np.ndarray


def two_sample(low: np.ndarray, high: np.ndarray) -> TTest:
    """Student's t-test of independent samples along the last axis."""
    n1, n2 = low.shape[-1], high.shape[-1]
    difference = high.mean(axis=-1) - low.mean(axis=-1)
    pooled = np.sqrt(
        ((n1 - 1) * low.var(axis=-1, ddof=1) + (n2 - 1) * high.var(axis=-1, ddof=1)) / (n1 + n2 - 2)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        d = difference / pooled
        t = d / np.sqrt(1 / n1 + 1 / n2)
    df = np.full_like(difference, n1 + n2 - 2, dtype=float)
    se = np.sqrt((n1 + n2) / (n1 * n2) + d**2 / (2 * (n1 + n2)))
    return TTest(difference, t, df, 2 * stats.t.sf(np.abs(t), df), d, d - Z95 * se, d + Z95 * se)


def paired(low: np.ndarray, high: np.ndarray) -> TTest:
    """The paired t-test of ``high − low`` along the last axis, with d_z."""
    change = high - low
    n = change.shape[-1]
    difference = change.mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = difference / change.std(axis=-1, ddof=1)
    t = d * np.sqrt(n)
    df = np.full_like(difference, n - 1, dtype=float)
    se = np.sqrt(1 / n + d**2 / (2 * n))
    return TTest(difference, t, df, 2 * stats.t.sf(np.abs(t), df), d, d - Z95 * se, d + Z95 * se)


def effect_samples(
    scores: pd.Series, data: pd.DataFrame, design: Design, effect: Effect
) -> tuple[np.ndarray, np.ndarray]:
    """The scores at the effect's two levels: of the respondents in those conditions (between),
    or each respondent's mean over the conditions at each level (within, aligned by respondent)."""
    factor = design.factor(effect.factor)
    level = data[factor.column].astype(str)
    low_code, high_code = factor.code_of(effect.low), factor.code_of(effect.high)
    if design.subjects == "between":
        return (
            scores[level == low_code].dropna().to_numpy(),
            scores[level == high_code].dropna().to_numpy(),
        )
    means = scores.groupby([data["respondent"], level]).mean().unstack()
    both = means[[low_code, high_code]].dropna()
    return both[low_code].to_numpy(), both[high_code].to_numpy()


def effect_table(data: pd.DataFrame, design: Design) -> pd.DataFrame:
    """One row per named effect: the levels, the two means, the difference, the test, d with its
    95% CI, and whether the data show the direction the design expects (significant at 0.05 in
    that direction)."""
    scores = scale_scores(data, design)
    rows = []
    for e in design.effects:
        low, high = effect_samples(scores[e.measure], data, design, e)
        if min(low.size, high.size) < 2:
            continue  # no answers to compare (e.g. no provider to judge)
        test = (two_sample if design.subjects == "between" else paired)(low, high)
        p = float(test.p)
        shown = (
            ""
            if e.expect is None
            else "yes"
            if p < 0.05 and (float(test.difference) > 0) == (e.expect == "increase")
            else "no"
        )
        rows.append(
            {
                "effect": e.name,
                "measure": e.measure,
                "factor": e.factor,
                "low": e.low,
                "high": e.high,
                "n_low": low.size,
                "n_high": high.size,
                "mean_low": low.mean(),
                "mean_high": high.mean(),
                "difference": float(test.difference),
                "test": "Student t (independent)" if design.subjects == "between" else "paired t",
                "t": float(test.t),
                "df": float(test.df),
                "p": p,
                "d": float(test.d),
                "d_ci_low": float(test.d_low),
                "d_ci_high": float(test.d_high),
                "expected": e.expect or "",
                "supported": shown,
            }
        )
    return pd.DataFrame(rows)


def anova_table(data: pd.DataFrame, design: Design) -> pd.DataFrame:
    """Per measure and term: F, degrees of freedom, p and partial eta squared."""
    from statsmodels.formula.api import ols
    from statsmodels.stats.anova import AnovaRM, anova_lm

    scores = scale_scores(data, design)
    conditions = data[[f.column for f in design.factors]].astype(str)
    rows = []
    for m in design.measures:
        frame = conditions.assign(score=scores[m.name], respondent=data["respondent"]).dropna()
        answered = frame.groupby([f.column for f in design.factors]).size()
        if len(answered) < len(design.cells) or answered.min() < 2:
            continue  # a condition without two answers (e.g. no provider to judge)
        if design.subjects == "between":
            terms = " * ".join(f"C({f.column})" for f in design.factors)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                table = anova_lm(ols(f"score ~ {terms}", data=frame).fit(), typ=2)
            residual = table.loc["Residual"]
            for term, row in table.drop(index="Residual").iterrows():
                rows.append(
                    (
                        m.name,
                        _term(str(term)),
                        row["F"],
                        row["df"],
                        residual["df"],
                        row["PR(>F)"],
                        row["sum_sq"] / (row["sum_sq"] + residual["sum_sq"]),
                    )
                )
        else:
            complete = frame.groupby("respondent").filter(lambda g: len(g) == len(design.cells))
            fitted = AnovaRM(
                complete, "score", "respondent", within=[f.column for f in design.factors]
            ).fit()
            for term, row in fitted.anova_table.iterrows():
                f_value, df1, df2 = row["F Value"], row["Num DF"], row["Den DF"]
                rows.append(
                    (
                        m.name,
                        str(term),
                        f_value,
                        df1,
                        df2,
                        row["Pr > F"],
                        f_value * df1 / (f_value * df1 + df2),
                    )
                )
    return pd.DataFrame(
        rows, columns=["measure", "term", "F", "df", "df_error", "p", "partial_eta_squared"]
    )


def _term(term: str) -> str:
    """``C(a):C(b)`` (statsmodels' name of a term) → ``a:b``."""
    return ":".join(part.removeprefix("C(").removesuffix(")") for part in term.split(":"))
