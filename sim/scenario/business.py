"""Business buyers and their context: ``[buying_centre]``, ``[kam]``, ``[culture]`` and
``[contracts]`` (MODEL.md 6)."""

from __future__ import annotations

from pydantic import model_validator

from sim.scenario.section import Section, param


class BuyingCentreParameters(Section):
    """MODEL.md 14.1: a business customer's buying centre (Webster & Wind 1972). A mean size of
    one is a consumer: one person who meets the failure, complains and decides."""

    size_general: float = param(
        1.0,
        "mean members of a general customer's buying centre (1: a consumer)",
        "members",
        ge=1,
        le=50,
    )
    size_key_account: float = param(
        1.0,
        "mean members of a key account's buying centre (1: one person)",
        "members",
        ge=1,
        le=50,
    )
    influencer_share: float = param(
        0.6,
        "share of influencers among members beyond user, decider and buyer",
        "share",
        ge=0,
        le=1,
    )
    gatekeeper_share: float = param(
        0.2, "share of gatekeepers among them (the rest are further users)", "share", ge=0, le=1
    )
    influence_user: float = param(1.0, "weight of a user's view in the decision to stay", "", ge=0)
    influence_decider: float = param(3.0, "weight of the decider's view", "", ge=0)
    influence_buyer: float = param(1.5, "weight of the buyer's view", "", ge=0)
    influence_influencer: float = param(1.0, "weight of an influencer's view", "", ge=0)
    influence_gatekeeper: float = param(0.5, "weight of a gatekeeper's view", "", ge=0)
    report_amplification: float = param(
        0.0,
        "mean log factor by which the user's report scales a failure's severity for the members "
        "who were not there (> 0 amplifies, < 0 softens)",
        "log",
        ge=-2,
        le=2,
    )
    report_noise: float = param(
        0.3, "spread of that factor from one member told to the next", "log", ge=0, le=3
    )
    hearsay_noise: float = param(
        1.5,
        "perception noise of a member who was not there, as a multiple of the user's",
        "x",
        ge=0,
        le=10,
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> BuyingCentreParameters:
        if self.influencer_share + self.gatekeeper_share > 1.0:
            raise ValueError("expected influencer_share + gatekeeper_share ≤ 1")
        if self.influence_user + self.influence_decider == 0.0:
            raise ValueError("expected influence_user or influence_decider above 0")
        return self


class KamParameters(Section):
    """MODEL.md 14.2: key-account managers for the platform's most valuable customers
    (Millman & Wilson 1995; McDonald, Millman & Rogers 1997). A share of 0: no KAM."""

    share: float = param(
        0.0,
        "share of active customers, the top by spend, given a key-account manager",
        "share",
        ge=0,
        le=1,
    )
    review_days: float = param(
        30.0, "days between reviews of which accounts are managed", "days", gt=0, le=3650
    )
    stage_days: float = param(
        45.0, "days a KAM relationship spends in a stage before the next", "days", gt=0, le=3650
    )
    strength_early: float = param(
        0.4, "share of a KAM's full effect in the early stage", "share", ge=0, le=1
    )
    strength_mid: float = param(
        0.7, "share of its full effect in the mid stage", "share", ge=0, le=1
    )
    strength_partnership: float = param(
        0.9, "share of its full effect in the partnership stage", "share", ge=0, le=1
    )
    strength_synergistic: float = param(
        1.0, "share of its full effect in the synergistic stage", "share", ge=0, le=1
    )
    delay_factor: float = param(
        0.25,
        "recovery delay of a fully effective KAM as a share of the usual",
        "share",
        ge=0,
        le=1,
    )
    attention: float = param(
        0.5,
        "share of the gap to full interactional justice a fully effective KAM closes",
        "share",
        ge=0,
        le=1,
    )
    escalate: bool = param(True, "a KAM has a provider that failed its account warned at once")
    uncoupling_failures: int = param(
        3, "failures of the account within the recent window that end the KAM", "", ge=1
    )
    cost_per_account_per_day: float = param(
        15.0, "what a managed account costs the platform", "currency per day", ge=0
    )


class CultureParameters(Section):
    """MODEL.md 14.3: Hofstede's dimensions beyond individualism. Each effect is centred on the
    middle of its dimension (0.5), so a customer base at the middle behaves as without them."""

    power_distance_complaints: float = param(
        2.0,
        "how much lower the logit of complaining to the platform is per unit of power distance "
        "above 0.5",
        "logit",
        ge=0,
    )
    uncertainty_avoidance_severity: float = param(
        0.6,
        "how much more severe a failure feels per unit of uncertainty avoidance above 0.5",
        "x",
        ge=0,
        le=2,
    )
    uncertainty_avoidance_explanation: float = param(
        1.0,
        "how much more an explanation moves perceived control per unit of uncertainty avoidance "
        "above 0.5",
        "x",
        ge=0,
        le=2,
    )
    long_term_forgiveness: float = param(
        1.0,
        "how much more a relationship keeps the customer after a failure per unit of long-term "
        "orientation above 0.5",
        "x",
        ge=0,
        le=2,
    )


class ContractParameters(Section):
    """MODEL.md 14.4: contracts with a service level agreement (SLA) and its penalty. A share of
    0 in both segments: no contracts."""

    share_general: float = param(
        0.0,
        "share of general customers with an SLA contract (at the middle of uncertainty avoidance "
        "and individualism)",
        "share",
        ge=0,
        le=1,
    )
    share_key_account: float = param(
        0.0, "share of key accounts with an SLA contract (likewise)", "share", ge=0, le=1
    )
    penalty: float = param(
        0.25, "the SLA penalty for a failed order, as a share of its price", "share", gt=0, le=2
    )
    severe_from: float = param(
        0.7,
        "severity from which a failure is expected to be compensated on top of the penalty",
        "share",
        ge=0,
        le=1,
    )
    anchoring: float = param(
        1.0,
        "how far a contract moves what is expected: towards the penalty, or the penalty on top "
        "for severe failures (0: customers ignore it)",
        "share",
        ge=0,
        le=1,
    )
    formality_uncertainty_avoidance: float = param(
        2.0,
        "rise in the logit of having a formal contract per unit of uncertainty avoidance above 0.5",
        "logit",
    )
    formality_individualism: float = param(
        2.0,
        "rise in the logit of having a formal contract per unit of individualism above 0.5",
        "logit",
    )
