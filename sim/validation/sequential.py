"""Validation that stops when it knows: replications added only where a verdict is unsettled
(MODEL.md 11).

A pattern is first measured on ``first`` paired replications per condition. A pattern whose
verdict, or its knockout's, is still inconclusive gets twice as many, then twice as many again,
up to ``most``; every other pattern stops at the look that settled it, and so does every condition
only settled patterns use. The looks are ``first, 2·first, 4·first, …, most``. A pattern whose
interval, at its spread, would need more than ``most`` replications to settle stops at once
(futility): it stays inconclusive, and the report says how many would settle it.

Looking again until an interval clears a threshold would make a false verdict likelier at each
look. Every interval is therefore computed at the level ``1 − α/K`` for the ``K`` looks the
schedule allows (Bonferroni): the chance that any of a verdict's intervals misses its true value
— and so the chance of a false *holds* or *does not hold*, whenever the rule stops — is at most
α = 5%, as for a single 95% interval (Jennison & Turnbull 2000, ch. 2, on repeated confidence
intervals; the Bonferroni bound is conservative). With ``most`` equal to ``first`` there is one
look at 95%, as a fixed number of replications gives.
"""

from __future__ import annotations

from sim.validation.targets import LEVEL


def looks(first: int, most: int) -> tuple[int, ...]:
    """The replications of each look: ``first``, doubling, and ``most`` last."""
    schedule = [first]
    while schedule[-1] < most:
        schedule.append(min(2 * schedule[-1], most))
    return tuple(schedule)


def interval_level(first: int, most: int, level: float = LEVEL) -> float:
    """The level of every interval when up to ``len(looks(first, most))`` looks are taken, so
    that all of a verdict's intervals hold together with probability ``level``."""
    return 1.0 - (1.0 - level) / len(looks(first, most))


def rule_text(first: int, most: int, level: float = LEVEL) -> str:
    """The rule as a sentence (without its full stop), for the reports."""
    schedule = looks(first, most)
    if len(schedule) == 1:
        return (
            f"{first} paired replications per condition; every interval is a "
            f"{level:.0%} Student-t interval"
        )
    shown = ", ".join(str(n) for n in schedule[:-1]) + f" and {schedule[-1]}"
    level_used = interval_level(first, most, level)
    return (
        f"From {first} to {most} paired replications per condition: a pattern whose verdict or "
        f"its knockout's was still inconclusive, and that {most} would settle at its spread, was "
        f"measured again on twice as many (looks at {shown}), and every interval is a "
        f"{level_used:.1%} Student-t interval, so that all of a verdict's intervals hold together "
        f"with {level:.0%} probability whenever it stopped (Bonferroni over the looks)"
    )
