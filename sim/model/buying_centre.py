"""A business customer's buying centre: who in the firm judges a failure, and who decides
(MODEL.md 14.1).

A business customer is a firm whose buying centre has members with roles — user, decider, buyer,
influencer, gatekeeper (Webster & Wind 1972). The user meets the failure first-hand and judges it
as a consumer does (:func:`sim.model.judgement.appraise`); the others hear of it from the user's
report, which can amplify or soften its severity, and see who could have prevented it less
clearly than the user who was there. Each member forms every judgement of the model with the same
code. The firm then acts through the roles that act in practice: the buyer, who handles supplier
claims, complains; the user rates the service; and the decider decides whether the firm stays,
weighing the members' views by their influence.

A consumer is a buying centre of one — the user, who also complains and decides — and never draws
from the buying-centre stream, so consumer runs are unchanged by this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, TypeVar

from sim.model.judgement import (
    Appraisal,
    CustomerState,
    Failure,
    Recovery,
    Verdict,
    appraise,
    evaluate,
)
from sim.scenario import BuyingCentreParameters, Scenario

Role = Literal["user", "decider", "buyer", "influencer", "gatekeeper"]

#: The roles of a centre's first three members, in order: every firm has someone who uses the
#: service; a second member is the one who decides; a third buys (and, until there is one, the
#: decider handles the supplier's claims).
FIRST_ROLES: tuple[Role, ...] = ("user", "decider", "buyer")

R = TypeVar("R", Appraisal, Verdict)


@dataclass(frozen=True, slots=True)
class BuyingCentre:
    """The members of a firm's buying centre: their roles, their dispositions (``u`` of MODEL.md
    5.3; the user's is the customer's own) and their influence on the decision to stay."""

    roles: tuple[Role, ...]
    dispositions: tuple[float, ...]
    influence: tuple[float, ...]

    @property
    def decider(self) -> int:
        """Index of the member who decides whether the firm stays."""
        return self.roles.index("decider") if "decider" in self.roles else 0

    @property
    def complainant(self) -> int:
        """Index of the member who takes a complaint to the platform: the buyer, else the
        decider, else the user."""
        return self.roles.index("buyer") if "buyer" in self.roles else self.decider


def influence_of(params: BuyingCentreParameters, role: Role) -> float:
    """A role's weight in the decider's weighing of the members' views."""
    return float(getattr(params, f"influence_{role}"))


def centre_size(params: BuyingCentreParameters, stream: Any, *, key_account: bool) -> int:
    """Members of a new firm's buying centre: ``1 + Poisson(mean − 1)``; no draw for a mean of one
    (a consumer), so that consumers keep the random numbers of a world without buying centres."""
    mean = params.size_key_account if key_account else params.size_general
    if mean <= 1.0:
        return 1
    return 1 + int(stream.generator.poisson(mean - 1.0))


def draw_buying_centre(
    params: BuyingCentreParameters,
    stream: Any,
    size: int,
    user_disposition: float,
    disposition_sd: float,
) -> BuyingCentre:
    """A firm's buying centre of ``size`` members (MODEL.md 14.1): the first three are user,
    decider and buyer; each further member is an influencer, a gatekeeper or another user with the
    scenario's shares; each member but the user draws a disposition ~ N(0, disposition_sd)."""
    roles: list[Role] = list(FIRST_ROLES[:size])
    for _ in range(size - len(roles)):
        draw = stream.uniform()
        if draw < params.influencer_share:
            roles.append("influencer")
        elif draw < params.influencer_share + params.gatekeeper_share:
            roles.append("gatekeeper")
        else:
            roles.append("user")
    dispositions = (user_disposition,) + tuple(
        stream.normal(0.0, disposition_sd) for _ in roles[1:]
    )
    return BuyingCentre(
        roles=tuple(roles),
        dispositions=dispositions,
        influence=tuple(influence_of(params, role) for role in roles),
    )


def reported_severity(params: BuyingCentreParameters, severity: float, draw: float) -> float:
    """The severity a member who was not there hears: the user's report scales it by
    ``exp(amplification + report_noise · z)``, kept inside (0, 1)."""
    told = severity * math.exp(params.report_amplification + params.report_noise * draw)
    return min(told, 0.999)


@dataclass(frozen=True, slots=True)
class MemberView:
    """One member's view of a failure: the customer and the failure as that member knows them,
    and the member's appraisal."""

    state: CustomerState
    failure: Failure
    appraisal: Appraisal


def appraise_members(
    scenario: Scenario,
    centre: BuyingCentre,
    state: CustomerState,
    failure: Failure,
    user: Appraisal,
    stream: Any,
) -> tuple[MemberView, ...]:
    """Every member's appraisal of a failure (MODEL.md 14.1): the user's as given, then each
    other member's, from the reported severity, their own disposition, and perception errors
    ``hearsay_noise`` times the user's."""
    params = scenario.buying_centre
    views = [MemberView(state, failure, user)]
    for disposition in centre.dispositions[1:]:
        heard = replace(
            failure, severity=reported_severity(params, failure.severity, stream.normal())
        )
        told = replace(state, disposition=disposition)
        appraisal = appraise(
            scenario,
            told,
            heard,
            params.hearsay_noise * stream.normal(),
            params.hearsay_noise * stream.normal(),
        )
        views.append(MemberView(told, heard, appraisal))
    return tuple(views)


def evaluate_members(
    scenario: Scenario, members: Sequence[MemberView], recovery: Recovery
) -> tuple[Verdict, ...]:
    """Every member's judgement of the platform's answer, from what that member knows."""
    return tuple(evaluate(scenario, m.state, m.failure, m.appraisal, recovery) for m in members)


def weighted(values: Sequence[float], weights: Sequence[float]) -> float:
    """The influence-weighted mean of the members' values (NaN when they have none: no provider
    to punish). A centre of one keeps its member's value exactly."""
    if len(values) == 1:
        return values[0]
    return sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)


def mean_and_spread(values: Sequence[float]) -> tuple[float, float]:
    """The members' mean and standard deviation (0 for a centre of one)."""
    n = len(values)
    mean = sum(values) / n
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / n)


def _weighing(records: Sequence[R], weights: Sequence[float], own: R, keep: tuple[str, ...]) -> R:
    """``own`` with every number but those in ``keep`` replaced by the members' weighted mean."""
    numbers = {
        field.name: weighted([getattr(r, field.name) for r in records], weights)
        for field in fields(own)
        if type(getattr(own, field.name)) is float and field.name not in keep
    }
    return replace(own, **numbers)  # type: ignore[arg-type]


def firm_view(centre: BuyingCentre, members: Sequence[MemberView]) -> Appraisal:
    """The firm's judgements of a failure (MODEL.md 14.1): each the influence-weighted mean of the
    members', except the chance of a complaint and the expectation of an apology, which are the
    complainant's (the member who takes the complaint to the platform)."""
    appraisals = [m.appraisal for m in members]
    own = appraisals[centre.complainant]
    return _weighing(appraisals, centre.influence, own, ("complaint_probability",))


def decide(centre: BuyingCentre, verdicts: Sequence[Verdict]) -> Verdict:
    """The decider's verdict (MODEL.md 14.1): every member's justice, satisfaction and
    inclination to stay, weighed by influence."""
    return _weighing(verdicts, centre.influence, verdicts[centre.decider], ())
