"""Reading a design file's TOML tables (MODEL.md 12): each check either returns the value or
raises a :class:`~sim.errors.UserError` of one line naming the file and the key."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from sim.errors import UserError


def check_keys(table: Mapping[str, Any], allowed: Iterable[str], source: str, prefix: str) -> None:
    """Every key of ``table`` is one of ``allowed``; else the error names the closest."""
    for key in table:
        if key not in allowed:
            raise UserError(
                f"{source}: {prefix}{key}: {unknown(key, allowed, 'a key of this table')}"
            )


def unknown(key: str, known: Iterable[str], what: str) -> str:
    """``not WHAT``, with the closest of ``known`` when one is close."""
    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"not {what}" + (f"; did you mean {match[0]!r}?" if match else "")


def flatten(
    table: Mapping[str, Any], source: str, where: str = "story", prefix: str = ""
) -> dict[str, Any]:
    """A nested table as dotted keys: ``{"failure": {"severity": 0.5}}`` → ``failure.severity``."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, source, where, f"{key}."))
        else:
            flat[key] = value
    return flat


def subtable(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    """The table ``[key]`` of ``data`` (empty when absent)."""
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise UserError(f"{source}: {key}: expected a table [{key}], got {value!r}")
    return value


def optional(data: Mapping[str, Any], key: str, kind: type, source: str) -> Any:
    """``data[key]`` when it is a ``kind``, None when absent."""
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        raise UserError(f"{source}: {key}: expected a {kind.__name__}, got {value!r}")
    return value


def whole(
    data: Mapping[str, Any], key: str, default: int, minimum: int, source: str, maximum: int = 10**9
) -> int:
    """``data[key]`` (or ``default``) as a whole number in ``[minimum, maximum]``."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise UserError(
            f"{source}: {key}: expected a whole number from {minimum} to {maximum:,}, got {value!r}"
        )
    return value


def is_number(value: Any) -> bool:
    """An int or a float, not a boolean (TOML's ``true`` is not 1)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def first_error(error: ValidationError) -> str:
    """The first problem pydantic found, as the middle of a one-line error."""
    message = error.errors()[0]["msg"].removeprefix("Value error, ")
    return message[0].lower() + message[1:]
