"""The scenario as plain records, for the simulation's inner loop (MODEL.md 10).

A scenario is validated once, as pydantic models (:mod:`sim.scenario`). Reading an attribute of a
pydantic model costs several times as much as reading a slot of a plain object — pydantic's
models define ``__getattr__``, which takes every attribute read off the interpreter's fast path —
and a replication reads a parameter about a hundred times per order. The world therefore runs on
:func:`plain_copy` of its scenario: every section becomes an instance of a plain slotted class
with the same attribute names and the same values. Nothing about the numbers changes; the
functions of :mod:`sim.model` read either form alike.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar, cast

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class Record:
    """Values read by attribute, fixed once made (like the validated model they copy)."""

    __slots__ = ()

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is a copy of a validated scenario: read only")

    def __repr__(self) -> str:
        fields: tuple[str, ...] = type(self).__slots__
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields)
        return f"{type(self).__name__}({values})"


@cache
def record_class(model: type[BaseModel]) -> type[Record]:
    """A plain slotted class with the fields of ``model`` as its attributes."""
    return type(
        model.__name__,
        (Record,),
        {
            "__slots__": tuple(model.model_fields),
            "__doc__": f"Plain record of {model.__module__}.{model.__qualname__}.",
            "__module__": __name__,
        },
    )


def plain_copy(model: M) -> M:
    """``model`` with every section, nested ones included, as a plain :class:`Record`.

    Typed as the model it copies: the copy has every field the model has, by the same name, and
    the simulation only reads fields (the models' methods are not copied).
    """
    values = {
        name: plain_copy(value) if isinstance(value, BaseModel) else value for name, value in model
    }
    return cast(M, record_class(type(model))(**values))
