"""Key-account management: the platform's key-account managers and the relationships they grow
(MODEL.md 14.2).

The platform reviews its customers every ``kam.review_days`` and gives a key-account manager (KAM)
to the top ``kam.share`` of them by spend in the last review period (at the first review, by the
spend their segment leads it to expect): the 80/20 of the CRM lesson (seed ``000``). A KAM
relationship grows through the stages of the KAM relational development model — after pre-KAM
(the account identified), early, mid, partnership and synergistic KAM (Millman & Wilson 1995;
McDonald, Millman & Rogers 1997) — one stage per ``kam.stage_days``, and each stage gives the KAM
more of its full strength. At strength ``k`` the KAM, for its account's failures:

- learns of every one and answers it (the platform reaches the account, 5.8);
- explains it (5.2);
- shortens the recovery: ``delay · (1 − k · (1 − kam.delay_factor))``;
- handles it in person: interactional justice ``IJ + k · kam.attention · (1 − IJ)`` (5.9,
  :func:`sim.model.satisfaction.interactional_justice`);
- escalates a provider's fault: the provider is warned at once (5.12), with ``kam.escalate``.

Too many failures within the recent window (``kam.uncoupling_failures``) uncouple the relationship
(uncoupling KAM): the account loses its KAM until a later review chooses it again. Every managed
account costs the platform ``kam.cost_per_account_per_day`` (5.14).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sim.scenario import KamParameters

#: The stages a KAM relationship grows through once a manager is assigned (after pre-KAM).
KAM_STAGES: tuple[str, ...] = ("early", "mid", "partnership", "synergistic")

HOURS_PER_DAY = 24.0


@dataclass(slots=True)
class KeyAccount:
    """A managed account: when its KAM relationship began (hours)."""

    since: float


def account_stage_index(params: KamParameters, account: KeyAccount, now: float) -> int:
    """The account's stage in :data:`KAM_STAGES`: one more per ``stage_days`` under management."""
    days = (now - account.since) / HOURS_PER_DAY
    return min(len(KAM_STAGES) - 1, int(days // params.stage_days))


def strength(params: KamParameters, account: KeyAccount | None, now: float) -> float:
    """How much of its full effect the KAM has at the account's stage (0: no KAM)."""
    if account is None:
        return 0.0
    stage = KAM_STAGES[account_stage_index(params, account, now)]
    return float(getattr(params, f"strength_{stage}"))


def recovery_delay(params: KamParameters, delay_hours: float, k: float) -> float:
    """The recovery delay of an account whose KAM has strength ``k``."""
    return delay_hours * (1.0 - k * (1.0 - params.delay_factor))


def accounts_to_manage(
    params: KamParameters, spend: Iterable[tuple[int, float]], active: int
) -> set[int]:
    """The ids of the top ``share`` of the ``active`` customers by spend (ties: lower id first);
    ``spend`` holds ``(customer id, spend)`` for the customers who may be chosen."""
    wanted = math.floor(params.share * active + 0.5)
    ranked = sorted(spend, key=lambda item: (-item[1], item[0]))
    return {customer for customer, _ in ranked[:wanted]}
