"""The model's closed vocabularies (MODEL.md 3, 5.1, 5.8): true causes of failures, failure
classes, customer segments and recovery policies.

Each is a ``Literal`` type, so that code branching on one matches every member (``match`` with
``assert_never``, checked by mypy) and a new member cannot be left unhandled; the tuples list the
members in their documented order.
"""

from __future__ import annotations

from typing import Literal, get_args

Cause = Literal["aggregator", "provider", "external"]
FailureClass = Literal["glitch", "no_supply", "provider_fault", "external"]
Segment = Literal["general", "key_account"]
RecoveryPolicy = Literal["none", "fixed_share", "match_expectation", "tiered"]

CAUSES: tuple[Cause, ...] = get_args(Cause)
FAILURE_CLASSES: tuple[FailureClass, ...] = get_args(FailureClass)
SEGMENTS: tuple[Segment, ...] = get_args(Segment)
RECOVERY_POLICIES: tuple[RecoveryPolicy, ...] = get_args(RecoveryPolicy)
