"""The scenario: every parameter of the model with its default, range, unit and meaning, split by
section of the scenario file (MODEL.md 6), and the reading of scenario files.

The bottom layer of aggsim: it imports nothing of the model, so that every other layer may use
it. ``from sim.scenario import Scenario`` is the usual way in.
"""

from sim.scenario.business import (
    BuyingCentreParameters,
    ContractParameters,
    CultureParameters,
    KamParameters,
)
from sim.scenario.failures import FailureParameters, SeverityOffsets
from sim.scenario.judgement import (
    AttributionParameters,
    CompensationParameters,
    ComplaintParameters,
    PunishmentParameters,
)
from sim.scenario.loyalty import RelationshipParameters, RetentionParameters, SatisfactionParameters
from sim.scenario.market import (
    AggregatorParameters,
    DemandParameters,
    FairnessParameters,
    RunParameters,
    SurgeParameters,
)
from sim.scenario.participants import (
    AcquisitionParameters,
    CustomerParameters,
    ProviderParameters,
)
from sim.scenario.policy import RecoveryParameters, SanctionParameters
from sim.scenario.schema import ParameterInfo, Scenario, parameter_index, parameter_table

__all__ = [
    "AcquisitionParameters",
    "AggregatorParameters",
    "AttributionParameters",
    "BuyingCentreParameters",
    "CompensationParameters",
    "ComplaintParameters",
    "ContractParameters",
    "CultureParameters",
    "CustomerParameters",
    "DemandParameters",
    "FailureParameters",
    "FairnessParameters",
    "KamParameters",
    "ParameterInfo",
    "ProviderParameters",
    "PunishmentParameters",
    "RecoveryParameters",
    "RelationshipParameters",
    "RetentionParameters",
    "RunParameters",
    "SanctionParameters",
    "SatisfactionParameters",
    "Scenario",
    "SeverityOffsets",
    "SurgeParameters",
    "parameter_index",
    "parameter_table",
]
