"""Scenario files: TOML in, validated :class:`~sim.scenario.Scenario` out, and back to TOML.

A scenario file sets only what differs from its parent: the built-in defaults, or another file
named by ``extends = "other.toml"`` (a path relative to the file). ``--set dotted.key=value``
overrides come last; values are read as TOML values (``0.5``, ``true``, ``"tiered"``,
``[1, 2]``) and, failing that, as plain strings, then typed by the schema.

Every error a user can cause is a :class:`ScenarioError` whose message names the file (or
``--set``), the key and what is expected.
"""

from __future__ import annotations

import difflib
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import UserError
from sim.scenario import ParameterInfo, Scenario, parameter_index

EXTENDS = "extends"
SWEEP = "sweep"
SET_SOURCE = "--set"

#: Bounds on what a scenario file may be: a regular TOML file of at most this many bytes, extending
#: at most this many files in a chain.
MAX_FILE_BYTES = 1_000_000
MAX_EXTENDS_CHAIN = 32


class ScenarioError(UserError):
    """A problem with a scenario a user can fix; ``str()`` is one line for the terminal."""

    def __init__(self, source: str, key: str | None, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")


def load_scenario(path: str | Path | None = None, overrides: Iterable[str] = ()) -> Scenario:
    """The validated scenario of a file (or the built-in defaults) with ``--set`` overrides.

    Parameters
    ----------
    path
        A TOML scenario file, or None for the built-in baseline.
    overrides
        ``"dotted.key=value"`` strings, applied in order after the file.
    """
    return load_study(path, overrides)[0]


def load_study(
    path: str | Path | None = None, overrides: Iterable[str] = ()
) -> tuple[Scenario, dict[str, Any] | None]:
    """The scenario and, if the file (or one it extends) has one, its ``[sweep]`` table.

    The nearest file that declares a ``[sweep]`` table gives the whole table; its contents are
    checked by the sweep, not here.
    """
    data: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    sweep = None
    if path is not None:
        path = Path(path)
        data, provenance, sweep = _read_chain(path, seen=())
        data.setdefault("name", name_from_file(path))
    for override in overrides:
        key, value = parse_override(override)
        _merge(data, _nest(key, value), provenance, SET_SOURCE)
    return _validate(data, provenance), sweep


def parse_override(text: str) -> tuple[str, Any]:
    """``"aggregator.intermediation=0.9"`` → ``("aggregator.intermediation", 0.9)``."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(SET_SOURCE, None, f"expected KEY=VALUE, got {text!r}")
    _check_key(key, SET_SOURCE)
    raw = raw.strip()
    try:
        value = tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        value = raw
    except RecursionError:
        raise ScenarioError(SET_SOURCE, key, "the value is nested too deeply") from None
    return key, value


def name_from_file(path: Path) -> str:
    """A scenario's default name: its file's stem, made a safe folder name (``my plan.toml`` →
    ``my-plan``)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("._-")[:100]
    return name or "scenario"


def _read_chain(
    path: Path, seen: tuple[Path, ...]
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any] | None]:
    """A file merged over the files it extends, which file set each key, and the nearest
    ``[sweep]`` table (with the file it came from under ``"source"``)."""
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in (*seen, resolved))
        raise ScenarioError(str(path), EXTENDS, f"circular extends chain: {chain}")
    if len(seen) >= MAX_EXTENDS_CHAIN:
        raise ScenarioError(
            str(path), EXTENDS, f"the extends chain is longer than {MAX_EXTENDS_CHAIN} files"
        )
    raw = read_toml(path)
    sweep = raw.pop(SWEEP, None)
    if sweep is not None and not isinstance(sweep, dict):
        raise ScenarioError(str(path), SWEEP, f"expected a table [sweep], got {sweep!r}")
    for key in _dotted_keys(raw):
        if key != EXTENDS:
            _check_key(key, str(path))
    parent = raw.pop(EXTENDS, None)
    data: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    inherited = None
    if parent is not None:
        if not isinstance(parent, str) or not parent.endswith(".toml"):
            raise ScenarioError(str(path), EXTENDS, f"expected a .toml file name, got {parent!r}")
        parent_path = path.parent / parent
        if not parent_path.exists():
            raise ScenarioError(str(path), EXTENDS, f"no such file: {parent_path}")
        data, provenance, inherited = _read_chain(parent_path, (*seen, resolved))
        data.pop("name", None)  # a file is named after itself, not its parent
    _merge(data, raw, provenance, str(path))
    if sweep is not None:
        sweep = {**sweep, "source": str(path)}
    return data, provenance, sweep if sweep is not None else inherited


def read_toml(path: Path) -> dict[str, Any]:
    """A scenario file's TOML: only a regular file of bounded size is opened (a device or a FIFO
    would never end), and nesting too deep for the parser is an input error."""
    try:
        mode = path.stat()
    except FileNotFoundError:
        raise ScenarioError(str(path), None, "no such file") from None
    except OSError as error:
        raise ScenarioError(str(path), None, f"cannot read: {error.strerror}") from None
    if stat.S_ISDIR(mode.st_mode):
        raise ScenarioError(str(path), None, "is a folder, expected a TOML file")
    if not stat.S_ISREG(mode.st_mode):
        raise ScenarioError(str(path), None, "is not a regular file, expected a TOML file")
    if mode.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            str(path), None, f"is {mode.st_size:,} bytes; a scenario file is at most 1 MB"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(str(path), None, f"cannot read: {error}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(str(path), None, f"TOML syntax error: {error}") from None
    except RecursionError:
        raise ScenarioError(str(path), None, "nested too deeply to read") from None


# ---------------------------------------------------------------------- keys


def _known_keys() -> dict[str, ParameterInfo]:
    return parameter_index()


@cache
def _sections() -> frozenset[str]:
    """The dotted names of the schema's tables (``failures``, ``failures.severity_offset`` …)."""
    sections: set[str] = set()
    for key in parameter_index():
        parts = key.split(".")
        sections.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(sections)


def _check_key(key: str, source: str) -> None:
    """Raise unless ``key`` is a parameter (or a whole section, for file tables)."""
    known = _known_keys()
    if key in known or key in _sections():
        return
    suggestion = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {suggestion[0]!r}?" if suggestion else "; `aggsim params` lists them"
    raise ScenarioError(source, key, f"unknown parameter{hint}")


def _dotted_keys(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            if key not in _sections():
                keys.append(key)  # a table where a value belongs: reported as unknown
            else:
                keys.extend(_dotted_keys(value, f"{key}."))
        else:
            keys.append(key)
    return keys


def _nest(key: str, value: Any) -> dict[str, Any]:
    *path, leaf = key.split(".")
    nested: dict[str, Any] = {leaf: value}
    for part in reversed(path):
        nested = {part: nested}
    return nested


def _merge(
    base: dict[str, Any],
    update: Mapping[str, Any],
    provenance: dict[str, str],
    source: str,
    prefix: str = "",
) -> None:
    """Merge ``update`` into ``base`` in place, recording the source of every value set."""
    for name, value in update.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and key in _sections():
            node = base.get(name)
            if not isinstance(node, dict):
                node = base[name] = {}
            _merge(node, value, provenance, source, f"{key}.")
        else:
            base[name] = value
            provenance[key] = source


# ---------------------------------------------------------------------- validation


def _validate(data: dict[str, Any], provenance: Mapping[str, str]) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise validation_problem(error, provenance) from None


def validation_problem(error: ValidationError, provenance: Mapping[str, str]) -> ScenarioError:
    """The first problem of a validation error, as a one-line :class:`ScenarioError` naming the
    source that set the offending value."""
    detail = error.errors(include_url=False)[0]
    location = [str(part) for part in detail["loc"] if not isinstance(part, int)]
    key = ".".join(location)
    info = _known_keys().get(key)
    source = provenance.get(key) or _section_source(key, provenance)
    if info is None and detail["type"] in ("model_type", "dict_type"):
        return ScenarioError(source, key, f"expected a table [{key}], got {detail['input']!r}")
    if info is None:  # a check across several parameters of a section
        message = detail["msg"].removeprefix("Value error, ")
        return ScenarioError(source, key or None, message)
    return ScenarioError(
        source, key, f"expected {describe(info)}, got {detail['input']!r}" + _reason(detail)
    )


def _section_source(key: str, provenance: Mapping[str, str]) -> str:
    sources = [s for k, s in provenance.items() if k.startswith(f"{key}.")]
    return sources[-1] if sources else "scenario"


def _reason(detail: Mapping[str, Any]) -> str:
    if detail["type"].startswith(("greater", "less", "literal", "finite")):
        return ""
    message = detail["msg"].removeprefix("Value error, ")
    return f" ({message[0].lower()}{message[1:]})"


def describe(info: ParameterInfo) -> str:
    """What a parameter accepts, in words: ``a number from 0 to 1``."""
    default = info.default
    if info.choices:
        return "one of " + ", ".join(repr(choice) for choice in info.choices)
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, str):
        return "a string"
    if isinstance(default, tuple):
        return f"a list of {len(default)} numbers"
    whole = isinstance(default, int)
    kind = "a whole number" if whole else "a number"
    low, low_out = info.minimum, info.minimum_excluded
    high, high_out = info.maximum, info.maximum_excluded
    if whole:  # a whole number below 2^63 is at most 2^63 - 1
        low, low_out = (low + 1, False) if low is not None and low_out else (low, low_out)
        high, high_out = (high - 1, False) if high is not None and high_out else (high, high_out)
    if low is not None and high is not None and not low_out and not high_out:
        return f"{kind} from {_number(low)} to {_number(high)}"
    parts = []
    if low is not None:
        parts.append(f"above {_number(low)}" if low_out else f"at least {_number(low)}")
    if high is not None:
        parts.append(f"below {_number(high)}" if high_out else f"at most {_number(high)}")
    return f"{kind} {' and '.join(parts)}" if parts else kind


def _number(bound: float | None) -> str | None:
    if bound is None:
        return None
    return f"{int(bound):,}" if float(bound).is_integer() else f"{bound:g}"


# ---------------------------------------------------------------------- writing


def scenario_to_toml(scenario: Scenario) -> str:
    """The fully resolved scenario as a TOML file that loads back to the same scenario; every
    parameter carries its meaning and unit as a comment."""
    rows = _known_keys()
    lines = [
        "# A fully resolved aggsim scenario: every parameter, re-runnable as it is.",
        f"# Run it again with: aggsim run scenario.toml --reps {scenario.run.replications}",
        "",
    ]

    def emit(model: BaseModel, prefix: str) -> None:
        tables = []
        for name in type(model).model_fields:
            value = getattr(model, name)
            key = f"{prefix}{name}"
            if isinstance(value, BaseModel):
                tables.append((key, value))
                continue
            info = rows[key]
            unit = f" [{info.unit}]" if info.unit else ""
            lines.append(f"# {info.meaning}{unit}")
            lines.append(f"{name} = {toml_value(value)}")
        for key, table in tables:
            lines.extend(["", f"[{key}]"])
            emit(table, f"{key}.")

    emit(scenario, "")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")
