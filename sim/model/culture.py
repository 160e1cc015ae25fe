"""Hofstede's dimensions beyond individualism: power distance, uncertainty avoidance and long-term
orientation (MODEL.md 14.3; *B2B marketing and customer relationships*). Pure functions.

Each dimension is a customer's score in [0, 1]; each effect is centred on the middle (0.5), so a
customer there judges a failure exactly as without these dimensions. The directions are the
literature's; the sizes (``[culture]``) are the model's assumptions.
"""

from __future__ import annotations

from typing import Any

from sim.model.population import clip01
from sim.scenario import CultureParameters, CustomerParameters

#: A customer's scores when the customer base has no spread: the means of the scenario.
MIDDLE = 0.5


def draw_culture(c: CustomerParameters, stream: Any) -> tuple[float, float, float]:
    """A customer's power distance, uncertainty avoidance and long-term orientation: each
    ``N(mean, culture_sd)`` clipped to [0, 1], drawn in that order; the means, with no draw, when
    the spread is 0."""
    means = (c.power_distance, c.uncertainty_avoidance, c.long_term_orientation)
    if c.culture_sd == 0:
        return means
    sd, normal = c.culture_sd, stream.standard_normal
    return (
        clip01(c.power_distance + sd * normal()),
        clip01(c.uncertainty_avoidance + sd * normal()),
        clip01(c.long_term_orientation + sd * normal()),
    )


def complaint_shift(params: CultureParameters, power_distance: float) -> float:
    """The logit shift of complaining to the platform: ``−w_PD · (PD − 0.5)``. Customers of high
    power distance accept a service provider's authority and voice complaints less (Hofstede 2001;
    Liu & McClure 2001, J Consumer Marketing 18:1; Patterson, Cowley & Prasongsukarn 2006, IJRM
    23:3)."""
    return -params.power_distance_complaints * (power_distance - MIDDLE)


def felt_severity(
    params: CultureParameters, severity: float, uncertainty_avoidance: float
) -> float:
    """How severe the failure feels: ``S · (1 + w_UA · (UA − 0.5))`` in [0, 1]. Customers who
    avoid uncertainty react more strongly when a service falls short (Reimann, Lünemann & Chase
    2008, J Service Research 11:1)."""
    return clip01(
        severity * (1.0 + params.uncertainty_avoidance_severity * (uncertainty_avoidance - MIDDLE))
    )


def explanation_receptiveness(params: CultureParameters, uncertainty_avoidance: float) -> float:
    """The factor on an explanation's effect on perceived control: ``1 + w_E · (UA − 0.5)``. An
    explanation reduces the uncertainty a failure leaves, which matters more to customers who
    avoid it (Hofstede 2001; Patterson, Cowley & Prasongsukarn 2006)."""
    return 1.0 + params.uncertainty_avoidance_explanation * (uncertainty_avoidance - MIDDLE)


def forgiveness(params: CultureParameters, long_term_orientation: float) -> float:
    """The factor on the relationship's hold after a failure (retention, 5.10):
    ``1 + w_L · (LTO − 0.5)``. Long-term oriented customers invest in relationships and weigh a
    failure against the relationship's future (Hofstede 2001; *B2B marketing and customer
    relationships*: long-term relationship investment)."""
    return 1.0 + params.long_term_forgiveness * (long_term_orientation - MIDDLE)
