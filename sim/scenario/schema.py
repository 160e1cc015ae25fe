"""The scenario: every model parameter with its default, valid range, unit and meaning.

The schema follows MODEL.md section 6: parameters are grouped by entity or submodel
(``[aggregator]``, ``[recovery]``, ``[sanctions]``, ``[providers]``, ``[customers]``,
``[failures]``, ``[attribution]`` …) and addressed by dotted keys such as
``aggregator.intermediation``. The public keys listed in MODEL.md section 6 exist here with the
meanings given there. Each field carries its unit in ``json_schema_extra`` so that tools can list
it (see :func:`parameter_table`).

Defaults describe a plausible baseline ride-hailing or delivery platform; numbers taken from
MODEL.md are cited at the submodel that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import (
    BaseModel,
    Field,
    field_validator,
)

from sim.scenario.business import (
    BuyingCentreParameters,
    ContractParameters,
    CultureParameters,
    KamParameters,
)
from sim.scenario.failures import FailureParameters
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
from sim.scenario.participants import AcquisitionParameters, CustomerParameters, ProviderParameters
from sim.scenario.policy import RecoveryParameters, SanctionParameters
from sim.scenario.section import SAFE_NAME, Section, param


class Scenario(Section):
    """A complete, validated scenario: one value for every parameter of the model."""

    name: str = param("baseline", "scenario name, used in output folders")

    @field_validator("name")
    @classmethod
    def _name_is_one_folder(cls, name: str) -> str:
        """The name becomes a folder under ``results/``: it must not lead anywhere else."""
        if not SAFE_NAME.fullmatch(name):
            raise ValueError(
                "a single folder name: letters, digits, '.', '_' or '-', starting with a letter "
                "or digit, up to 100 characters"
            )
        return name

    description: str = param(
        "The built-in baseline: a ride-hailing or delivery platform of middling intermediation.",
        "what the scenario is for (copied into every output, so at most 10,000 characters)",
        max_length=10_000,
    )
    run: RunParameters = Field(default_factory=RunParameters)
    aggregator: AggregatorParameters = Field(default_factory=AggregatorParameters)
    surge: SurgeParameters = Field(default_factory=SurgeParameters)
    fairness: FairnessParameters = Field(default_factory=FairnessParameters)
    demand: DemandParameters = Field(default_factory=DemandParameters)
    recovery: RecoveryParameters = Field(default_factory=RecoveryParameters)
    sanctions: SanctionParameters = Field(default_factory=SanctionParameters)
    providers: ProviderParameters = Field(default_factory=ProviderParameters)
    customers: CustomerParameters = Field(default_factory=CustomerParameters)
    acquisition: AcquisitionParameters = Field(default_factory=AcquisitionParameters)
    failures: FailureParameters = Field(default_factory=FailureParameters)
    attribution: AttributionParameters = Field(default_factory=AttributionParameters)
    compensation: CompensationParameters = Field(default_factory=CompensationParameters)
    punishment: PunishmentParameters = Field(default_factory=PunishmentParameters)
    complaints: ComplaintParameters = Field(default_factory=ComplaintParameters)
    satisfaction: SatisfactionParameters = Field(default_factory=SatisfactionParameters)
    retention: RetentionParameters = Field(default_factory=RetentionParameters)
    relationship: RelationshipParameters = Field(default_factory=RelationshipParameters)
    buying_centre: BuyingCentreParameters = Field(default_factory=BuyingCentreParameters)
    kam: KamParameters = Field(default_factory=KamParameters)
    culture: CultureParameters = Field(default_factory=CultureParameters)
    contracts: ContractParameters = Field(default_factory=ContractParameters)

    def value(self, key: str) -> Any:
        """One parameter by dotted key: ``scenario.value("aggregator.intermediation")``."""
        node: Any = self
        for part in key.split("."):
            if not isinstance(node, BaseModel) or part not in type(node).model_fields:
                raise KeyError(f"unknown parameter {key!r}")
            node = getattr(node, part)
        return node

    def with_values(self, **dotted: Any) -> Scenario:
        """A copy with some parameters changed, by dotted key: ``with_values(**{"run.days": 7})``.

        The result is validated like a scenario file.
        """
        data = self.model_dump()
        for key, value in dotted.items():
            *path, leaf = key.split(".")
            node = data
            for part in path:
                if not isinstance(node.get(part), dict):
                    raise KeyError(f"unknown parameter {key!r}")
                node = node[part]
            if leaf not in node:
                raise KeyError(f"unknown parameter {key!r}")
            node[leaf] = value
        return Scenario.model_validate(data)


@dataclass(frozen=True)
class ParameterInfo:
    """One row of the parameter table: what ``aggsim params`` prints."""

    key: str
    default: Any
    minimum: float | None
    maximum: float | None
    unit: str
    meaning: str
    choices: tuple[str, ...] | None = None
    #: Whether the bound itself is outside the range (``gt``, ``lt``): ``run.days`` must be
    #: above 0, not 0.
    minimum_excluded: bool = False
    maximum_excluded: bool = False

    @property
    def label(self) -> str:
        """A name for an axis or a legend: the key in words, with its unit
        (``aggregator intermediation (share)``)."""
        words = self.key.replace(".", " ").replace("_", " ")
        shown_unit = self.unit if self.unit and self.unit not in words else ""
        return f"{words} ({shown_unit})" if shown_unit else words


def parameter_label(key: str) -> str:
    """The label of a parameter (:attr:`ParameterInfo.label`), or the key when it is none."""
    info = parameter_index().get(key)
    return info.label if info is not None else key


def parameter_table(model: type[BaseModel] = Scenario, prefix: str = "") -> list[ParameterInfo]:
    """Every parameter of the schema, in file order, with its dotted key and metadata."""
    rows: list[ParameterInfo] = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.extend(parameter_table(annotation, prefix=f"{key}."))
            continue
        minimum = maximum = None
        minimum_excluded = maximum_excluded = False
        for constraint in field.metadata:
            if getattr(constraint, "gt", None) is not None:
                minimum, minimum_excluded = constraint.gt, True
            minimum = getattr(constraint, "ge", minimum)
            if getattr(constraint, "lt", None) is not None:
                maximum, maximum_excluded = constraint.lt, True
            maximum = getattr(constraint, "le", maximum)
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        choices = getattr(annotation, "__args__", None) if "Literal" in str(annotation) else None
        rows.append(
            ParameterInfo(
                key=key,
                default=field.get_default(call_default_factory=True),
                minimum=minimum,
                maximum=maximum,
                unit=str(extra.get("unit", "")),
                meaning=field.description or "",
                choices=tuple(choices) if choices else None,
                minimum_excluded=minimum_excluded,
                maximum_excluded=maximum_excluded,
            )
        )
    return rows


@cache
def parameter_index() -> dict[str, ParameterInfo]:
    """Every parameter by dotted key (computed once; do not modify)."""
    return {row.key: row for row in parameter_table()}
