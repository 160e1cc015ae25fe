"""The words the stories and reports use for numbers, from thresholds stated once.

A sentence may say that one judgement exceeds another, or that a KPI rises, only when the numbers
beside it show it: "mostly the provider" needs the provider's responsibility to exceed the
platform's by :data:`CLEAR_MARGIN`, "rises" needs a change larger than the two confidence
intervals together. Everything that turns numbers into words for people goes through here, so a
test can hold every sentence to its numbers.
"""

from __future__ import annotations

#: Two judgements on the 0–1 scale closer than this are "about equal" in words.
CLEAR_MARGIN = 0.05
#: A 0–1 judgement is "high" from here, "low" below LOW_BELOW.
HIGH_FROM = 0.6
LOW_BELOW = 0.4


def rank(a: float, b: float, margin: float = CLEAR_MARGIN) -> int:
    """1 when ``a`` clearly exceeds ``b``, -1 when ``b`` clearly exceeds ``a``, else 0."""
    if a - b > margin:
        return 1
    if b - a > margin:
        return -1
    return 0


def level(value: float) -> str:
    """A 0–1 judgement in a word: high, middling or low."""
    if value >= HIGH_FROM:
        return "high"
    if value < LOW_BELOW:
        return "low"
    return "middling"


def who_is_blamed(platform: float, provider: float) -> str:
    """Whom customers hold responsible, as their two responsibility judgements say."""
    return {
        1: "the platform more than the provider",
        -1: "the provider more than the platform",
        0: "the platform and the provider about equally",
    }[rank(platform, provider)]


def movement(at_low: float, at_high: float, half_widths: float) -> str:
    """How a mean moves between two settings, given the sum of their CI half-widths: a change
    within them is not called a rise or a fall."""
    if abs(at_high - at_low) <= half_widths:
        return "does not move beyond its confidence intervals"
    return "rises" if at_high > at_low else "falls"
