"""What a pattern of the validation catalogue is (MODEL.md 11): its statement, source, virtual
experiment, target and knockout, and — for a *validation* pattern — the outside evidence it is
compared with; :func:`check_catalogue` refuses a validation pattern without a source or a
two-sided target."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.experiments.replication import ReplicationResult
from sim.scenario import Scenario
from sim.validation.targets import Target

Runs = Mapping[str, Sequence[ReplicationResult]]


VERIFICATION, VALIDATION = "verification", "validation"


@dataclass(frozen=True)
class Evidence:
    """The outside, quantitative finding a *validation* pattern compares the model with.

    ``population`` is who the source measured, ``measure`` the quantity as the source defined it,
    and ``estimate`` the source's estimate with its uncertainty (or the spread across studies),
    from which the pattern's two-sided target comes. ``said`` tells what people say (surveys,
    vignettes, intentions) from what they do (orders, spend, churn). ``fitted`` marks a finding
    a default was fitted to (the calibration set); the others are held out, never used to set a
    parameter, so the model predicts them.
    """

    population: str
    measure: str
    estimate: str
    said: bool
    fitted: bool

    @property
    def label(self) -> str:
        """``says`` or ``does``, and ``fitted`` or ``held out``."""
        return f"{'says' if self.said else 'does'}, {'fitted' if self.fitted else 'held out'}"


@dataclass(frozen=True)
class Pattern:
    """One pattern of the catalogue.

    ``conditions`` maps a role to its overrides of the scenario under test; ``measure(runs,
    scenario)`` returns per-replication values (one column per component) from the runs of those
    roles. An exact pattern has no conditions and ``measure(None, scenario)`` returns its
    components' values. ``replication_factor`` multiplies the replications of its conditions, for
    patterns measured on sparse cells. ``evidence`` makes it a validation pattern (see
    :attr:`kind`).
    """

    key: str
    statement: str
    source: str
    level: str
    experiment: str
    target: Target
    target_basis: str
    knockout: Mapping[str, Any]
    knockout_meaning: str
    measure: Callable[[Any, Scenario], Any]  # (Runs, or None for an exact pattern, scenario)
    conditions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    components: tuple[str, ...] = ()
    proposition: bool = False
    replication_factor: int = 1
    evidence: Evidence | None = None

    @property
    def exact(self) -> bool:
        return not self.conditions

    @property
    def kind(self) -> str:
        """*validation* when the pattern compares the model with an outside, quantitative finding
        (:class:`Evidence`); *verification* when it checks that the code does what MODEL.md says
        (a direction or a property of the equations, with its knockout)."""
        return VALIDATION if self.evidence is not None else VERIFICATION


def check_catalogue(patterns: Sequence[Pattern]) -> None:
    """Refuse a catalogue whose validation patterns lack a source or a two-sided target: a
    validation compares the model with an outside finding, above and below."""
    for p in patterns:
        if p.kind != VALIDATION:
            continue
        if not p.source or p.evidence is None:
            raise ValueError(f"validation pattern {p.key}: no source")
        if p.target.above is not None:
            raise ValueError(f"validation pattern {p.key}: needs a two-sided target (a range)")
