import pytest

from sim.errors import UserError
from sim.inference.priors import PRIORS, Prior, check_priors
from sim.inference.statistics import calibration_set
from sim.scenario import Scenario


def test_every_prior_holds_the_default_and_lies_within_the_parameters_range():
    scenario = Scenario()
    check_priors(PRIORS, scenario)
    for prior in PRIORS:
        assert prior.contains(float(scenario.value(prior.key))), prior.key
        assert prior.basis


def test_every_calibrated_parameter_is_identified_by_a_pattern_of_the_calibration_set():
    fitted = {p.key for p in calibration_set()}
    assert {prior.identified_by for prior in PRIORS} <= fitted


def test_a_prior_beyond_the_parameters_range_is_refused():
    beyond = Prior("retention.intention_conversion", 0.0, 1.5, "spend_after_late_delivery", "")
    with pytest.raises(UserError, match="retention.intention_conversion"):
        check_priors([beyond], Scenario())
    with pytest.raises(ValueError, match="low < high"):
        Prior("retention.intercept", 1.0, 0.0, "tarp_grid", "")
