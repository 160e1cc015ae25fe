"""The tiny world the calibration tests run (long enough for the 30 days after a failure that
spend is counted over)."""

from sim.scenario import Scenario

TINY = {"customers.count": 200, "providers.count": 2, "run.days": 35, "run.warmup_days": 0}


def tiny_scenario(**overrides) -> Scenario:
    return Scenario().with_values(**{**TINY, **overrides})
