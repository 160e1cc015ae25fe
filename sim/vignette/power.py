"""Power of a vignette study by simulation (MODEL.md 12.5).

The study is repeated ``studies`` times at each sample size; power is the share of the repeats in
which the effect's test (:mod:`sim.vignette.analysis`, two-sided) rejects at ``alpha``, with its
95% Wilson score interval (Wilson 1927; honest at a power of 0 or 1 and for few repeats, where
the normal approximation's interval shrinks to nothing). The model
knows the effect, so no effect size is guessed: it comes from the mechanisms of the scenario, the
population of respondents and the measurement model.

Each condition's latent judgements are drawn once for a pool of :data:`POOL` respondents
(``draw_latent``); every repeat draws its respondents from the pool with replacement and measures
them afresh (the items' errors are new in every repeat). For comparison the table also gives the
analytic power of the same t-test for the effect size of the pool (statsmodels), which is what
G*Power would report had it been told that effect size, where it applies: an effect that compares
two conditions. The two agree there (``tests/vignette/test_power.py``). When other factors are
crossed with the effect's, the t-test pools their conditions and the analytic formula no longer
describes it: a balanced factorial makes the pooled test conservative at small samples and more
powerful than the formula at large ones, and only the simulation tells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.power import TTestIndPower, TTestPower
from statsmodels.stats.proportion import proportion_confint

from sim.errors import UserError
from sim.vignette.analysis import paired, two_sample
from sim.vignette.design import Design, Effect
from sim.vignette.measurement import answers
from sim.vignette.simulate import Latent, draw_latent, item_noise, stream

#: Respondents per condition (between) or in all (within) whose latent judgements the repeats
#: draw from.
POOL = 4000
DEFAULT_SIZES = (10, 20, 30, 40, 60, 80, 100, 150, 200)


@dataclass(frozen=True)
class Power:
    table: pd.DataFrame  # one row per effect and sample size
    reaching: pd.DataFrame  # per effect: the smallest sample size whose power reaches the target


def power_curves(
    design: Design,
    effects: Sequence[Effect],
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    studies: int = 1000,
    alpha: float = 0.05,
    target: float = 0.8,
    pool_size: int = POOL,
    on_studies: Callable[[int], object] | None = None,
) -> Power:
    """The power of each effect's test at each number of respondents per condition;
    ``on_studies(k)`` hears of every ``k`` simulated studies done (a progress bar)."""
    noise = item_noise(design)
    pool = draw_latent(design, pool_size, stream(design.seed, "latent"))
    rng = stream(design.seed, "answers")
    rows = []
    for effect in effects:
        measure = design.measure(effect.measure)
        levels = _levels_of_cells(design, effect)
        analytic_d = _pool_effect_size(design, pool, effect, noise[measure.name], rng)
        for n in sizes:
            p_values, differences = _repeated_tests(
                design, pool, effect, noise[measure.name], n, studies, pool_size, rng, on_studies
            )
            if design.subjects == "between":
                analytic = TTestIndPower().power(analytic_d, nobs1=n, alpha=alpha, ratio=1.0)
            else:
                analytic = TTestPower().power(analytic_d, nobs=n, alpha=alpha)
            if len(levels) != 2:  # the other factors' conditions make it another test
                analytic = np.nan
            elif np.isnan(analytic):  # statsmodels' 1 − power underflows when power is ~1
                analytic = 1.0
            rejected = p_values < alpha
            power = float(rejected.mean())
            low, high = proportion_confint(int(rejected.sum()), studies, method="wilson")
            rows.append(
                {
                    "effect": effect.name,
                    "measure": effect.measure,
                    "factor": effect.factor,
                    "low": effect.low,
                    "high": effect.high,
                    "test": "Student t (independent)"
                    if design.subjects == "between"
                    else "paired t",
                    "n_per_cell": n,
                    "respondents": n * (len(design.cells) if design.subjects == "between" else 1),
                    "power": power,
                    "ci_low": float(low),
                    "ci_high": float(high),
                    "in_expected_direction": float(
                        (rejected & ((differences > 0) == (effect.expect != "decrease"))).mean()
                    ),
                    "effect_size_d": analytic_d,
                    "analytic_power": float(analytic),
                    "studies": studies,
                    "alpha": alpha,
                }
            )
    table = pd.DataFrame(rows)
    return Power(table, _reaching(table, target))


def _levels_of_cells(design: Design, effect: Effect) -> dict[int, str]:
    """The conditions at the effect's low and high level (others are left out)."""
    j = [f.key for f in design.factors].index(effect.factor)
    chosen = {}
    for cell in design.cells:
        if cell.levels[j] == effect.low:
            chosen[cell.index] = "low"
        elif cell.levels[j] == effect.high:
            chosen[cell.index] = "high"
    return chosen


#: Answers simulated at once at most (memory: 8 bytes each).
BATCH_ANSWERS = 4_000_000
#: Simulated answers a core draws and tests per second, for the size estimate: about a third of
#: the 12 million measured on ``intermediation_by_cause`` (an estimate that is not optimistic).
ANSWERS_PER_SECOND = 4e6


def simulated_answers(
    design: Design, effects: Sequence[Effect], sizes: Sequence[int], studies: int
) -> int:
    """The answers :func:`power_curves` simulates: every repeat of every size, for each effect."""
    return sum(
        studies * n * len(design.measure(e.measure).items) * len(_levels_of_cells(design, e))
        for e in effects
        for n in sizes
    )


def check_power_size(
    design: Design, effects: Sequence[Effect], sizes: Sequence[int], studies: int, *, force: bool
) -> None:
    """Refuse, before any work, a power analysis of more than the CPU limit of every command
    (:data:`sim.experiments.budget.MAX_CPU_HOURS`) unless ``force``; its memory is bounded by
    :data:`BATCH_ANSWERS`."""
    from sim.experiments.budget import MAX_CPU_HOURS, duration_text

    answers_count = simulated_answers(design, effects, sizes, studies)
    hours = answers_count / ANSWERS_PER_SECOND / 3600
    if hours > MAX_CPU_HOURS and not force:
        raise UserError(
            f"this would simulate {answers_count:,} answers, about {duration_text(hours)} of CPU: "
            f"more than {MAX_CPU_HOURS:.0f} hours; fewer --studies or sizes (--n), or --force"
        )


def _repeated_tests(
    design: Design,
    pool: Latent,
    effect: Effect,
    noise: float,
    n: int,
    studies: int,
    pool_size: int,
    rng: np.random.Generator,
    on_studies: Callable[[int], object] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The two-sided p-value and the difference high − low of the effect's test in every repeat,
    simulated in batches of at most :data:`BATCH_ANSWERS` answers."""
    levels = _levels_of_cells(design, effect)
    items = len(design.measure(effect.measure).items)
    batch = max(1, BATCH_ANSWERS // (n * items * len(levels)))
    p_values, differences = [], []
    for start in range(0, studies, batch):
        size = min(batch, studies - start)
        scores = _repeated_scores(design, pool, effect, noise, n, size, pool_size, rng)
        low = [scores[c] for c, level in levels.items() if level == "low"]
        high = [scores[c] for c, level in levels.items() if level == "high"]
        if design.subjects == "between":
            test = two_sample(np.concatenate(low, axis=-1), np.concatenate(high, axis=-1))
        else:  # each respondent's mean over the conditions at each level
            test = paired(np.mean(low, axis=0), np.mean(high, axis=0))
        p_values.append(test.p)
        differences.append(test.difference)
        if on_studies is not None:
            on_studies(size)
    return np.concatenate(p_values), np.concatenate(differences)


def _repeated_scores(
    design: Design,
    pool: Latent,
    effect: Effect,
    noise: float,
    n: int,
    studies: int,
    pool_size: int,
    rng: np.random.Generator,
) -> dict[int, np.ndarray]:
    """Each condition's scale scores in every repeat, shape (studies, n); within subjects the
    same respondents (same columns) in every condition."""
    measure = design.measure(effect.measure)
    values = pool.values[measure.construct]
    scores = {}
    people = rng.integers(0, pool_size, size=(studies, n))
    for cell in _levels_of_cells(design, effect):
        in_cell = np.flatnonzero(pool.cell == cell)
        chosen = people if design.subjects == "within" else rng.integers(0, pool_size, (studies, n))
        latent = values[in_cell][chosen]
        given = answers(np.nan_to_num(latent), len(measure.items), measure.thresholds, noise, rng)
        scores[cell] = given.mean(axis=-1)
    return scores


def _pool_effect_size(
    design: Design, pool: Latent, effect: Effect, noise: float, rng: np.random.Generator
) -> float:
    """The effect size of the test among all the pool's respondents, each measured once (d, or
    d_z within subjects): the population value the analytic power is computed for."""
    measure = design.measure(effect.measure)
    values = pool.values[measure.construct]
    sides: dict[str, list[np.ndarray]] = {"low": [], "high": []}
    for cell, level in _levels_of_cells(design, effect).items():
        latent = values[pool.cell == cell]
        given = answers(np.nan_to_num(latent), len(measure.items), measure.thresholds, noise, rng)
        sides[level].append(given.mean(axis=-1))
    if design.subjects == "between":
        return float(two_sample(np.concatenate(sides["low"]), np.concatenate(sides["high"])).d)
    return float(paired(np.mean(sides["low"], axis=0), np.mean(sides["high"], axis=0)).d)


def _reaching(table: pd.DataFrame, target: float) -> pd.DataFrame:
    rows = []
    for effect, curve in table.groupby("effect", sort=False):
        enough = curve[curve.power >= target]
        rows.append(
            {
                "effect": effect,
                "target": target,
                "n_per_cell": int(enough.n_per_cell.iloc[0]) if len(enough) else None,
                "respondents": int(enough.respondents.iloc[0]) if len(enough) else None,
            }
        )
    return pd.DataFrame(rows)


def write_power_folder(
    folder: Path, design: Design, result: Power, started: datetime, extra: dict[str, Any]
) -> None:
    """``power.csv``, ``reaching.csv``, ``figures/power.png`` and, last, the manifest."""
    from sim.outputs.figures import pyplot, save_figure
    from sim.outputs.results import atomic_write, manifest, write_manifest, write_table

    write_table(folder / "power.csv", result.table)
    write_table(folder / "reaching.csv", result.reaching)
    (folder / "figures").mkdir(exist_ok=True)
    figure = save_figure(
        atomic_write, draw_power(result, pyplot()), folder / "figures" / "power.png", pyplot()
    )
    write_manifest(
        folder,
        manifest(
            design.scenario.model_dump(mode="json"),
            seed=design.seed,
            replications=int(result.table.studies.iloc[0]),
            replication_seconds={},
            started=started,
            finished=datetime.now(UTC),
            files=["power.csv", "reaching.csv", figure],
            extra={"aggsim": "power", "design": design.to_dict(), "pool": POOL, **extra},
        ),
    )


def draw_power(result: Power, plt: Any) -> Any:
    """Power against respondents per condition, one line per effect with its 95% band; the
    target and the analytic power (dashed) where it applies."""
    figure, axes = plt.subplots(figsize=(7, 4.2), layout="constrained")
    target = float(result.reaching.target.iloc[0])
    for effect, curve in result.table.groupby("effect", sort=False):
        line = axes.plot(curve.n_per_cell, curve.power, marker="o", label=str(effect))[0]
        axes.fill_between(
            curve.n_per_cell, curve.ci_low, curve.ci_high, alpha=0.2, color=line.get_color()
        )
        if curve.analytic_power.notna().all():
            axes.plot(
                curve.n_per_cell,
                curve.analytic_power,
                linestyle="--",
                color=line.get_color(),
                linewidth=1,
            )
    axes.axhline(target, color="grey", linewidth=1, linestyle=":")
    axes.set_xlabel("respondents per condition")
    axes.set_ylabel("power (share of studies that reject)")
    axes.set_ylim(0, 1.02)
    axes.set_title("Power by simulation (dashed: analytic t-test power)", fontsize=10)
    axes.legend(title="effect", fontsize=8, loc="lower right")
    return figure
