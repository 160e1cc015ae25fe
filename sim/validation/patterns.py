"""The validation catalogue: patterns the model must reproduce, each with a knockout (MODEL.md 11).

Pattern-oriented modelling (Grimm et al. 2005) asks a model to reproduce several patterns seen at
different levels at once, each stated before looking. Every pattern names its source, the level
it lives at, the virtual experiment that measures it on the scenario under test, its target (a
direction with a smallest effect of interest, or a range), and a *knockout*: the parameter
setting that removes the mechanism behind it, under which the pattern must not hold
(:class:`~sim.validation.pattern.Pattern`).

Simulated patterns contrast *conditions* — parameter overrides on top of the scenario under test
(:mod:`sim.validation.conditions`) — that share their random numbers; a condition used by several
patterns is run once. Exact patterns are properties of the judgement functions, computed from the
scenario's parameters (:mod:`sim.validation.measures`).

Smallest effects of interest are the model's own assumptions unless a source is named, and each
pattern states its own: mostly 0.02 on the 0–1 scales of perceived control and responsibility,
a ratio of 1.1 or 1.05 for expected compensation, 0.01 on expected punishment and 0.03 on the
stated intention to buy again.

The catalogue is written by section (:mod:`sim.validation.catalogue`); a new pattern is one entry
in its section's ``PATTERNS``, which the commands, reports and documentation read from here.
"""

from __future__ import annotations

from sim.validation.catalogue import blame, business, compensation, loyalty, propositions
from sim.validation.pattern import VALIDATION, VERIFICATION, Pattern, check_catalogue

__all__ = ["PATTERNS", "VALIDATION", "VERIFICATION", "Pattern", "pattern", "pattern_keys"]

#: Every pattern, in the order reports list them.
PATTERNS: tuple[Pattern, ...] = (
    *propositions.PATTERNS,
    *blame.PATTERNS,
    *compensation.PATTERNS,
    *loyalty.PATTERNS,
    *business.PATTERNS,
)
check_catalogue(PATTERNS)


def pattern_keys(*, propositions_only: bool = False) -> tuple[str, ...]:
    """Every pattern's key, or only those that state the conceptual model's propositions and
    behaviours (``aggsim propositions``)."""
    return tuple(p.key for p in PATTERNS if p.proposition or not propositions_only)


def pattern(key: str) -> Pattern:
    """The pattern named ``key`` (a KeyError when the catalogue has none)."""
    for p in PATTERNS:
        if p.key == key:
            return p
    raise KeyError(f"no pattern {key!r} in the validation catalogue")
