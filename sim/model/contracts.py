"""Contracts with a service level agreement: who has one, and what it makes customers expect
(MODEL.md 14.4; *B2B marketing and customer relationships*, MODEL.md 2: the formality of
contracts differs across cultures).

A customer has an SLA contract with a probability set by its segment and its culture; a failed
order under contract carries the contract's penalty (a share of the price). The contract is an
explicit service promise, and explicit promises set what customers expect (Zeithaml, Berry &
Parasuraman 1993): they expect at least the penalty, and for a severe failure the penalty on top of
what they would have expected anyway. The platform honours the contract: a contracted failure is
claimed, and at least the penalty is paid (5.8).
"""

from __future__ import annotations

import math
from typing import Any

from sim.model.attribution import logistic
from sim.scenario import ContractParameters


def contract_probability(
    params: ContractParameters,
    *,
    key_account: bool,
    uncertainty_avoidance: float,
    individualism: float,
) -> float:
    """The chance that a customer has a formal contract:
    ``logit P = logit(share) + f_UA·(UA − 0.5) + f_I·(I − 0.5)``; a share of 0 or 1 stays so.

    Cultures that avoid uncertainty want written rules, and individualist ones deal through
    explicit agreements, where collectivist ones rely on trust and informal communication
    (Hofstede 2001; *B2B marketing and customer relationships*)."""
    share = params.share_key_account if key_account else params.share_general
    if share in (0.0, 1.0):
        return share
    shift = params.formality_uncertainty_avoidance * (uncertainty_avoidance - 0.5)
    shift += params.formality_individualism * (individualism - 0.5)
    return logistic(math.log(share / (1.0 - share)) + shift)


def draws_contract(
    params: ContractParameters,
    stream: Any,
    *,
    key_account: bool,
    uncertainty_avoidance: float,
    individualism: float,
) -> bool:
    """Whether a new customer has a contract; no draw when no customer of the segment has one."""
    probability = contract_probability(
        params,
        key_account=key_account,
        uncertainty_avoidance=uncertainty_avoidance,
        individualism=individualism,
    )
    return probability > 0 and stream.uniform() < probability


def anchored_expectation(
    params: ContractParameters, expected_share: float, penalty: float, severity: float
) -> float:
    """The expected compensation share of a failed order under contract (``penalty`` > 0):

    ``E + α·max(0, P − E)`` below ``severe_from`` (at least the penalty at α = 1), and
    ``E + α·P`` from it (the penalty on top); ``E`` without a contract (``penalty`` = 0).
    """
    if penalty <= 0:
        return expected_share
    if severity >= params.severe_from:
        return expected_share + params.anchoring * penalty
    return expected_share + params.anchoring * max(0.0, penalty - expected_share)
