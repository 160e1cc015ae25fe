"""Virtual experiments for the propositions P1–P4 and the behaviours of MODEL.md section 8.

Each experiment contrasts scenarios that share their random numbers (same root seed and
replications), as a vignette study contrasts conditions: the effect is the mean paired difference
over replications, with a Student-t 95% confidence interval, and a proposition *holds* when the
interval lies entirely on the predicted side of zero. Two behaviours are shapes of the judgement
functions themselves (MODEL.md 5.9) and are checked exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from sim.experiment import run_replications
from sim.results import half_width
from sim.scenario import Scenario

LOW_I, HIGH_I = 0.1, 0.9
MILD, SEVERE = 0.25, 0.7
NO_MONITORING, FULL_MONITORING = 0.0, 1.0


@dataclass(frozen=True)
class Finding:
    """One tested statement: its contrast, effect, 95% CI and verdict."""

    key: str
    statement: str
    contrast: str
    effect: float
    ci_low: float
    ci_high: float
    n: int
    holds: bool


def paired(key: str, statement: str, contrast: str, differences: list[float]) -> Finding:
    """A finding from paired differences predicted to be positive."""
    values = np.asarray(differences, dtype=float)
    mean = float(values.mean())
    half = half_width(values)
    return Finding(
        key, statement, contrast, mean, mean - half, mean + half, values.size, bool(mean - half > 0)
    )


def conditions(base: Scenario) -> dict[str, Scenario]:
    """The scenarios the experiments contrast."""

    def variant(**values) -> Scenario:
        return base.with_values(**values)

    found = {
        "base": base,
        "unmonitored": variant(**{"aggregator.monitoring": NO_MONITORING}),
        "monitored": variant(**{"aggregator.monitoring": FULL_MONITORING}),
        "generous": variant(
            **{
                "recovery.policy": "match_expectation",
                "recovery.proactive": True,
                "recovery.delay_mean_hours": 2.0,
            }
        ),
    }
    for i_name, i in (("low_I", LOW_I), ("high_I", HIGH_I)):
        found[i_name] = variant(**{"aggregator.intermediation": i})
        for s_name, s in (("mild", MILD), ("severe", SEVERE)):
            found[f"{i_name}_{s_name}"] = variant(
                **{"aggregator.intermediation": i, "failures.severity_mean": s}
            )
    return found


def run_conditions(
    base: Scenario, replications: int, executor: Executor, on_done: Callable | None = None
) -> dict[str, list]:
    """Every condition's replications, with failure episodes (same seeds throughout)."""
    return {
        name: [
            r.result
            for r in run_replications(
                scenario, range(replications), executor, trace=True, on_done=on_done
            )
        ]
        for name, scenario in conditions(base).items()
    }


def findings(results: dict[str, list], floor: float) -> list[Finding]:
    """The propositions and behaviours, from the runs of :func:`run_conditions`."""

    def kpi(name: str, key: str) -> np.ndarray:
        return np.array([r.kpis[key] for r in results[name]], dtype=float)

    def per_rep(name: str, measure: Callable[[pd.DataFrame], float]) -> np.ndarray:
        return np.array([measure(r.episodes) for r in results[name]], dtype=float)

    def provider_blame(episodes: pd.DataFrame) -> float:
        return episodes.loc[episodes.cause == "provider", "aggregator_responsibility"].mean()

    out = [
        paired(
            "P1",
            "The platform is held responsible when it could have controlled the failure",
            f"platform monitoring {FULL_MONITORING} vs {NO_MONITORING} (intermediation and brand "
            "fixed): mean aggregator responsibility for provider-caused failures",
            per_rep("monitored", provider_blame) - per_rep("unmonitored", provider_blame),
        ),
        paired(
            "P2",
            "High intermediation makes customers see the platform in control",
            f"intermediation {HIGH_I} vs {LOW_I}: mean perceived control",
            kpi("high_I", "mean_perceived_control") - kpi("low_I", "mean_perceived_control"),
        ),
        paired(
            "P2",
            "... and hold it responsible",
            f"intermediation {HIGH_I} vs {LOW_I}: mean aggregator responsibility",
            kpi("high_I", "mean_aggregator_responsibility")
            - kpi("low_I", "mean_aggregator_responsibility"),
        ),
    ]

    def provider_fault_compensation(episodes: pd.DataFrame) -> float:
        return episodes.loc[episodes.cause == "provider", "expected_compensation_share"].mean()

    for label, severity in (("mild", MILD), ("severe", SEVERE)):
        out.append(
            paired(
                "P3",
                f"When the platform is held responsible, compensation is expected ({label} "
                "failures)",
                f"a provider fault, intermediation {HIGH_I} vs {LOW_I}, severity {severity}: "
                "mean expected compensation (share of price)",
                per_rep(f"high_I_{label}", provider_fault_compensation)
                - per_rep(f"low_I_{label}", provider_fault_compensation),
            )
        )
    out += [
        paired(
            "P4",
            "When the platform's responsibility falls, the punishment expected for the "
            "provider rises",
            f"intermediation {LOW_I} vs {HIGH_I}: mean expected punishment",
            kpi("low_I", "mean_expected_punishment") - kpi("high_I", "mean_expected_punishment"),
        ),
        paired(
            "B1",
            "Blame is shared: the platform keeps more than the floor for provider faults",
            f"provider-caused failures: mean aggregator responsibility minus the floor ({floor})",
            per_rep("base", provider_blame) - floor,
        ),
        paired(
            "B2",
            "... and is blamed more as failures get more severe",
            f"severity {SEVERE} vs {MILD} (intermediation {HIGH_I}): aggregator responsibility "
            "for provider-caused failures",
            per_rep(f"high_I_{'severe'}", provider_blame)
            - per_rep(f"high_I_{'mild'}", provider_blame),
        ),
        paired(
            "B3",
            "... and more for encounter failures than for core ones",
            "provider-caused failures, encounter vs core: aggregator responsibility",
            per_rep(
                "base",
                lambda e: (
                    e[
                        (e.cause == "provider") & (e.kind == "encounter")
                    ].aggregator_responsibility.mean()
                    - e[
                        (e.cause == "provider") & (e.kind == "core")
                    ].aggregator_responsibility.mean()
                ),
            ),
        ),
        paired(
            "B7",
            "Failures handled quickly and fully keep far more customers",
            "generous recovery: share retained, complained and fully compensated within "
            "a day vs did not complain",
            per_rep(
                "generous",
                lambda e: (
                    e.query(
                        "complained and compensation_paid >= expected_compensation "
                        "and recovery_delay <= 24"
                    ).retained.mean()
                    - e.query("not complained").retained.mean()
                ),
            ),
        ),
    ]
    paradox = per_rep("generous", lambda e: (e.satisfaction_after > e.satisfaction_before).mean())
    mean, half = float(paradox.mean()), half_width(paradox)
    out.append(
        Finding(
            "B6",
            "The recovery paradox is rare",
            "generous recovery: share of episodes ending more satisfied than they began "
            "(holds below 5%)",
            mean,
            mean - half,
            mean + half,
            paradox.size,
            bool(mean + half < 0.05),
        )
    )
    return out + shape_findings()


def shape_findings() -> list[Finding]:
    """B4 and B5: exact properties of the satisfaction submodel (MODEL.md 5.9)."""
    from sim.model.satisfaction import distributive_justice, satisfaction_after_episode
    from sim.scenario import SatisfactionParameters

    params = SatisfactionParameters()
    ratios = np.linspace(0.0, 1.5, 31)
    rejected = np.array([distributive_justice(params, x, 1.0, 10.0, True) for x in ratios])
    accepted = np.array([distributive_justice(params, x, 1.0, 10.0, False) for x in ratios])
    curvature = np.diff(rejected, 2)
    s_shaped = bool(
        curvature[:10].min() > 0 and curvature[-10:].max() < 0 and np.all(np.diff(rejected) > 0)
    )
    concave = bool(np.all(np.diff(accepted, 2) < 0) and np.all(np.diff(accepted) > 0))

    def gain(dj: float, ij: float, pj: float) -> float:
        return satisfaction_after_episode(
            params, 1.0, 0.3, 0.5, dj, ij, pj, 0.5, False
        ) - satisfaction_after_episode(params, 1.0, 0.3, 0.5, 0, 0, 0, 0.5, False)

    d, i, p = gain(1, 0, 0), gain(0, 1, 0), gain(0, 0, 1)
    return [
        Finding(
            "B4",
            "Compensation to satisfaction is S-shaped when the service was rejected",
            "distributive justice against compensation/expectation: convex below 0.9, "
            "concave above (exact)",
            float(curvature[:10].min()),
            float(curvature[:10].min()),
            float(curvature[:10].min()),
            1,
            s_shaped,
        ),
        Finding(
            "B4",
            "... and concave when it was accepted",
            "largest second difference of the accepted curve (negative: concave; exact)",
            float(np.diff(accepted, 2).max()),
            float(np.diff(accepted, 2).max()),
            float(np.diff(accepted, 2).max()),
            1,
            concave,
        ),
        Finding(
            "B5",
            "Distributive justice moves satisfaction more than interactional, which "
            "moves it more than procedural",
            f"satisfaction gained from full justice of each kind: {d:.3f} > {i:.3f} > "
            f"{p:.3f} (exact; effect: distributive minus procedural)",
            d - p,
            d - p,
            d - p,
            1,
            bool(d > i > p > 0),
        ),
    ]


def findings_table(found: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame([asdict(f) for f in found])


def markdown(found: list[Finding], scenario_name: str, replications: int) -> str:
    """The report as Markdown: a table of findings and a one-line verdict."""
    held = sum(f.holds for f in found)
    lines = [
        f"# Propositions and behaviours: {scenario_name}",
        "",
        f"{replications} paired replications per condition, common random numbers; effect = "
        "mean paired difference with its 95% Student-t interval. Exact checks are properties "
        "of the judgement functions.",
        "",
        "| | statement | contrast | effect | 95% CI | holds |",
        "|---|---|---|---|---|---|",
    ]
    for f in found:
        interval = "exact" if f.n == 1 else f"[{f.ci_low:.4f}, {f.ci_high:.4f}]"
        lines.append(
            f"| {f.key} | {f.statement} | {f.contrast} | {f.effect:.4f} | {interval} | "
            f"{'yes' if f.holds else 'NO'} |"
        )
    lines += ["", f"{held} of {len(found)} hold."]
    return "\n".join(lines) + "\n"
