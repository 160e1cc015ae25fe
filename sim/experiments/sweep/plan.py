"""A sweep's plan: the design of scenario points, the replications of each and the run
that runs one point (``[sweep]`` tables and ``--vary``; MODEL.md 8)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.experiments.designs import DESIGNS, Factor, _literal, design_points, factor, parse_factors
from sim.experiments.replication import run_replication
from sim.experiments.runs import TargetCI, parse_target
from sim.experiments.sweep.parts import (
    run_id,
)
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.experiments.posterior import Posterior


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep runs: a base scenario, its varied factors and a design."""

    base: Scenario
    factors: tuple[Factor, ...]
    design: str
    samples: int | None
    replications: int
    target: TargetCI | None = None
    #: The point every other is contrasted with (an analysis choice: not part of the definition).
    baseline: int | None = None
    #: Each replication draws its calibrated parameters from this posterior (``--posterior``).
    posterior: Posterior | None = None

    def definition(self) -> dict[str, Any]:
        """The sweep's identity: two folders with equal definitions hold the same sweep."""
        return {
            "base": self.base.model_dump(mode="json"),
            "factors": [f.to_json() for f in self.factors],
            "design": self.design,
            "samples": self.samples,
            "replications": self.replications,
            "target_ci": None if self.target is None else vars(self.target),
            **({} if self.posterior is None else {"posterior": self.posterior.digest}),
        }

    def points(self) -> list[dict[str, Any]]:
        return design_points(list(self.factors), self.design, self.samples, self.base.run.seed)


SWEEP_TABLE_KEYS = ("design", "samples", "reps", "vary", "target_ci", "max_reps", "baseline")


def most_replications(definition: dict[str, Any]) -> int:
    """The most replications a point of a sweep can reach (more than its ``replications`` only
    with a target CI)."""
    target = definition["target_ci"]
    return max(definition["replications"], target["max_replications"] if target else 0)


def plan_sweep(
    base: Scenario,
    table: dict[str, Any] | None,
    vary: list[str],
    design: str | None,
    samples: int | None,
    reps: int | None,
    target: TargetCI | None,
    baseline: str | None = None,
) -> SweepPlan:
    """A sweep plan from a scenario's ``[sweep]`` table and command-line options (which win).

    The table may hold ``design``, ``samples``, ``reps``, ``target_ci``, ``max_reps``,
    ``baseline`` (the point to contrast the others with: ``"KEY=VALUE,..."`` or a table) and a
    ``[sweep.vary]`` table of ``"dotted.key" = SPEC`` (a SPEC string or a list of values).
    """
    table = dict(table or {})
    source = f"{table.pop('source', 'scenario')}: sweep"
    for key in table:
        if key not in SWEEP_TABLE_KEYS:
            raise UserError(
                f"{source}.{key}: unknown key; expected one of {', '.join(SWEEP_TABLE_KEYS)}"
            )
    factors: dict[str, Factor] = {}
    for key, spec in _flatten(_expect(table, "vary", dict, source, {})).items():
        factors[key] = factor(key, spec, f"{source}.vary")
    for parsed in parse_factors(list(vary)):
        factors[parsed.key] = parsed  # the command line wins over the file
    design = design or _expect(table, "design", str, source, "grid")
    if design not in DESIGNS:
        raise UserError(f"{source}.design: expected one of {', '.join(DESIGNS)}, got {design!r}")
    samples = samples or _expect(table, "samples", int, source, None)
    reps = reps or _expect(table, "reps", int, source, None) or base.run.replications
    if target is None and "target_ci" in table:
        max_reps = _expect(table, "max_reps", int, source, 100)
        target = parse_target(
            _expect(table, "target_ci", str, source, None), max_reps, f"{source}.target_ci"
        )
    for name, value in (("samples", samples), ("reps", reps)):
        if value is not None and value < 1:
            raise UserError(f"{source}.{name}: expected at least 1, got {value}")
    plan = SweepPlan(base, tuple(factors.values()), design, samples, reps, target)
    points = plan.points()  # checks the design (a grid of bounds, missing samples, no factors)
    if baseline is not None:
        chosen = baseline_point(baseline, points, design, "--baseline-point")
    elif "baseline" in table:
        chosen = baseline_point(table["baseline"], points, design, f"{source}.baseline")
    else:
        return plan
    return replace(plan, baseline=chosen)


def baseline_point(spec: Any, points: list[dict[str, Any]], design: str, source: str) -> int:
    """The index of the point a ``KEY=VALUE,...`` string (or a table) names; every varied
    parameter must be given, and the point must be in the design."""
    if design != "grid":
        raise UserError(f"{source}: a baseline point needs a grid design (got {design})")
    if isinstance(spec, str):
        wanted: dict[str, Any] = {}
        for item in spec.split(","):
            key, sep, text = item.partition("=")
            if not sep:
                raise UserError(f"{source}: expected KEY=VALUE,..., got {spec!r}")
            wanted[key.strip()] = _literal(text.strip())
    elif isinstance(spec, dict):
        wanted = _flatten(spec)
    else:
        raise UserError(f"{source}: expected KEY=VALUE,... or a table, got {spec!r}")
    keys = list(points[0])
    if sorted(wanted) != sorted(keys):
        raise UserError(f"{source}: give a value for each varied parameter: {', '.join(keys)}")
    for index, point in enumerate(points):
        if all(_same(point[k], wanted[k]) for k in keys):
            return index
    offered = "; ".join(
        f"{k}: {', '.join(str(v) for v in dict.fromkeys(p[k] for p in points))}" for k in keys
    )
    raise UserError(f"{source}: no point of the design has these values (it has {offered})")


def _same(value: Any, wanted: Any) -> bool:
    numbers = (int, float)
    if isinstance(value, numbers) and isinstance(wanted, numbers) and not isinstance(wanted, bool):
        return math.isclose(value, wanted, rel_tol=1e-9, abs_tol=1e-12)
    return value == wanted


def _expect(table: dict[str, Any], key: str, kind: type, source: str, default: Any) -> Any:
    value = table.get(key, default)
    if value is default:
        return value
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        expected = {dict: "a table", str: "a string", int: "a whole number"}[kind]
        raise UserError(f"{source}.{key}: expected {expected}, got {value!r}")
    return value


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"aggregator": {"intermediation": "0..1"}}`` → ``{"aggregator.intermediation":
    "0..1"}``."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def run_point(
    scenario: Scenario,
    point: int,
    replication: int,
    model: Callable[[Scenario, int], dict[str, Any]] | None = None,
    posterior: Posterior | None = None,
) -> dict[str, Any]:
    """One replication of one point, as a row: ids, KPIs and wall seconds (runs on a worker).

    ``model(scenario, replication) -> {kpi: value}`` replaces the simulation when given: a hook
    for known-answer tests of the analysis pipeline (it must be importable by the workers).
    With a ``posterior``, the replication draws its calibrated parameters from it first (the
    same set at every point: common random numbers).
    """
    start = time.perf_counter()
    if posterior is not None:
        scenario = posterior.scenario_for(scenario, replication)
    kpis = model(scenario, replication) if model else run_replication(scenario, replication).kpis
    return {
        "point": point,
        "run_id": run_id(point, replication),
        "replication": replication,
        **kpis,
        "seconds": time.perf_counter() - start,
    }
