"""The model as an EMA Workbench model (optional extra ``aggsim[ema]``).

EMA Workbench (Kwakkel 2017) explores a model over uncertainties with its samplers, evaluators
and scenario-discovery tools (PRIM, CART). :func:`ema_model` wraps one replication of a scenario
as an EMA ``ReplicatorModel`` that

- passes the replication index itself: each of EMA's replications is a different aggsim
  replication (``replication`` 0, 1, 2, ...), with its own random numbers — EMA's plain
  ``replications = 3`` would call the function three times with the same inputs, which for
  aggsim means replication 0 three times, identical copies;
- maps aggsim's dotted parameter names to names EMA can pass as keyword arguments
  (``aggregator.intermediation`` ↔ ``aggregator__intermediation``);
- averages each outcome over the replications (``ScalarOutcome`` with ``numpy.mean``).

Replication r of every experiment shares its random numbers (common random numbers), as in a
sweep.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.errors import UserError
from sim.experiments.replication import run_replication
from sim.outputs.reference import check_kpi
from sim.scenario.files import load_scenario


def ema_name(key: str) -> str:
    """``aggregator.intermediation`` → ``aggregator__intermediation``."""
    return key.replace(".", "__")


def aggsim_key(name: str) -> str:
    """``aggregator__intermediation`` → ``aggregator.intermediation``."""
    return name.replace("__", ".")


class AggsimReplication:
    """One aggsim replication as EMA calls it: uncertainties as keyword arguments (EMA names),
    the replication index from EMA's replication entry, the chosen KPIs as outcomes. Picklable,
    so EMA's multiprocessing evaluator can send it to its workers."""

    def __init__(
        self, scenario_file: str | None, overrides: Sequence[str], outcomes: Sequence[str]
    ):
        self.scenario_file, self.overrides, self.outcomes = (
            scenario_file,
            tuple(overrides),
            tuple(outcomes),
        )

    def __call__(self, replication: int = 0, **values: Any) -> dict[str, float]:
        base = load_scenario(self.scenario_file, self.overrides)
        scenario = base.with_values(**{aggsim_key(name): value for name, value in values.items()})
        kpis = run_replication(scenario, int(replication)).kpis
        return {ema_name(kpi): float(kpis[kpi]) for kpi in self.outcomes}


def ema_model(
    uncertainties: Mapping[str, tuple[float, float] | Sequence[Any]],
    outcomes: Sequence[str],
    replications: int = 3,
    scenario_file: str | None = None,
    overrides: Sequence[str] = (),
    name: str = "aggsim",
):
    """An EMA ``ReplicatorModel`` of aggsim.

    Parameters
    ----------
    uncertainties
        ``{"aggregator.intermediation": (0.0, 1.0), "recovery.policy": ["none", "tiered"]}``:
        a (low, high) pair of numbers is a ``RealParameter`` (an ``IntegerParameter`` for
        whole-number bounds), a list a ``CategoricalParameter``.
    outcomes
        KPI names (``aggsim`` KPIs, e.g. ``customer_churn_rate``), averaged over replications.
    replications
        Replications 0 .. replications − 1 of every experiment.
    """
    try:
        from ema_workbench import (
            CategoricalParameter,
            IntegerParameter,
            RealParameter,
            ReplicatorModel,
            ScalarOutcome,
        )
    except ImportError:
        raise UserError(
            "the EMA Workbench adapter needs ema-workbench: pip install '.[ema]'"
        ) from None
    for kpi in outcomes:
        check_kpi(kpi, "outcomes")
    base = load_scenario(scenario_file, overrides)
    parameters = []
    for key, spec in uncertainties.items():
        base.with_values(**{key: spec[0]})  # the key exists and takes the value
        if (
            isinstance(spec, tuple)
            and len(spec) == 2
            and all(isinstance(v, int | float) for v in spec)
        ):
            low, high = spec
            kind = IntegerParameter if all(isinstance(v, int) for v in spec) else RealParameter
            parameters.append(kind(ema_name(key), low, high))
        else:
            parameters.append(CategoricalParameter(ema_name(key), list(spec)))
    model = ReplicatorModel(name, function=AggsimReplication(scenario_file, overrides, outcomes))
    model.uncertainties = parameters
    model.outcomes = [ScalarOutcome(ema_name(kpi), function=np.mean) for kpi in outcomes]
    model.replications = [{"replication": r} for r in range(replications)]
    return model
