"""The building blocks of the scenario schema: a section of parameters, and a parameter with its
default, meaning, unit and bounds (MODEL.md 6)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

#: A scenario name: one path component that cannot climb out of ``results/``.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def param(default: Any, meaning: str, unit: str = "", **bounds: Any) -> Any:
    """A scenario parameter: default, meaning, unit and bounds (``ge``, ``le``, ``gt``, ``lt``)."""
    return Field(default, description=meaning, json_schema_extra={"unit": unit}, **bounds)


class Section(BaseModel):
    """A group of parameters; unknown keys are errors and values never change after validation."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """``true`` is not a count or a share, though Python would take it for 1."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and field.annotation in (int, float):
            raise ValueError("true and false are not numbers")
        return value
