"""The parameters ``aggsim calibrate`` calibrates and their priors (MODEL.md 11.1).

Each calibrated parameter is identified mainly by one target of the calibration set (the
validation patterns marked *fitted*), and its prior is uniform over a range argued from what
the parameter means or, where nothing bounds it, stated as the model's assumption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.errors import UserError
from sim.scenario import Scenario


@dataclass(frozen=True)
class Prior:
    """A uniform prior on ``[low, high]`` for the parameter ``key``, identified by the
    calibration-set pattern ``identified_by``; ``basis`` says where the range comes from."""

    key: str
    low: float
    high: float
    identified_by: str
    basis: str

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ValueError(f"{self.key}: a prior needs low < high")

    @property
    def width(self) -> float:
        return self.high - self.low

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


PRIORS: tuple[Prior, ...] = (
    Prior(
        "retention.intention_conversion",
        0.0,
        1.0,
        identified_by="spend_after_late_delivery",
        basis="a share: from nobody acting on a stated intention to leave (0) to everybody "
        "doing what they say (1)",
    ),
    Prior(
        "retention.intercept",
        -3.5,
        -1.0,
        identified_by="tarp_grid",
        basis="the model's assumption: the logit of the intention to buy again at zero "
        "satisfaction, from 3% to 27% (the TARP fit's value, -2.19, about in the middle)",
    ),
    Prior(
        "fairness.rating_weight",
        0.0,
        2.0,
        identified_by="surge_odds",
        basis="the model's assumption: from no effect of the price paid on ratings (0, the "
        "pattern's knockout) to 2 on the logit per unit of unfairness (a surge of 1.5 times "
        "then more than doubles the odds of a low rating)",
    ),
)


def prior_of(key: str) -> Prior:
    for prior in PRIORS:
        if prior.key == key:
            return prior
    raise KeyError(key)


def check_priors(priors: Sequence[Prior], scenario: Scenario) -> None:
    """Refuse priors on unknown parameters, or reaching outside a parameter's valid range."""
    for prior in priors:
        try:
            scenario.with_values(**{prior.key: prior.low})
            scenario.with_values(**{prior.key: prior.high})
        except ValueError as error:
            raise UserError(f"calibrated parameter {prior.key}: {error}") from None
