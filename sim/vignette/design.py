"""A vignette study's design file: the scenario, the story, the factors, the measures and the
effects to test (MODEL.md 12).

A design is a TOML file::

    title = "Intermediation x cause of failure"
    scenario = "../baseline.toml"      # optional, relative to this file; default: the built-in one
    subjects = "between"               # or "within": every respondent reads every condition
    respondents_per_cell = 60          # per condition (between) or in all (within)
    seed = 2025

    [story]                            # what every vignette says (MODEL.md 12.1)
    failure.severity = 0.5

    [factors]                          # the conditions: scenario parameters or story attributes
    "aggregator.intermediation" = [0.2, 0.8]
    "failure.cause" = ["provider", "aggregator"]

    [measures.control]                 # a latent judgement measured by Likert items (MODEL.md 12.2)
    construct = "perceived_control"
    items = 3                          # columns control_1..control_3, or a list of column names
    points = 7
    reliability = 0.85                 # Cronbach's alpha in this design; or noise_sd = 0.1

    [effects.P1]                       # a contrast to test: two levels of a factor on a measure
    measure = "control"
    factor = "aggregator.intermediation"
    expect = "increase"

A factor may also name the data's column and codes, for real data (``aggsim fit``)::

    [factors."aggregator.intermediation"]
    column = "intermed"
    levels = { low = 0.2, high = 0.8 }

Every problem is a :class:`~sim.errors.UserError` of one line naming the file and the key.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from sim.errors import UserError
from sim.scenario import Scenario, parameter_index
from sim.scenario.files import load_scenario, read_toml
from sim.vignette.checks import (
    check_keys,
    first_error,
    flatten,
    is_number,
    optional,
    subtable,
    unknown,
    whole,
)
from sim.vignette.constructs import CONSTRUCTS
from sim.vignette.story import Story, story_keys

TOP_LEVEL = (
    "title",
    "scenario",
    "subjects",
    "respondents_per_cell",
    "seed",
    "story",
    "factors",
    "measures",
    "effects",
)
MEASURE_KEYS = ("construct", "items", "points", "reliability", "noise_sd", "thresholds", "label")
EFFECT_KEYS = ("measure", "factor", "levels", "expect")
DEFAULT_RESPONDENTS = 50
DEFAULT_POINTS = 7
DEFAULT_RELIABILITY = 0.85
#: Bounds that keep a design to what a study can be.
MAX_CELLS = 512
MAX_RESPONSES = 2_000_000
COLUMN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


@dataclass(frozen=True)
class Factor:
    """A manipulated attribute: a scenario parameter or a story attribute, with its levels (model
    values) and how the data code them (``codes``, in the column ``column``)."""

    key: str
    column: str
    levels: tuple[Any, ...]
    codes: tuple[str, ...]

    @property
    def in_story(self) -> bool:
        return self.key in story_keys()

    def code_of(self, level: Any) -> str:
        return self.codes[self.levels.index(level)]


@dataclass(frozen=True)
class Measure:
    """A construct measured by Likert items (MODEL.md 12.2): ``points`` categories cut at
    ``thresholds`` on the construct's [0, 1] scale, items of error ``noise_sd`` or of the
    reliability (Cronbach's alpha) ``reliability`` in this design."""

    name: str
    construct: str
    items: tuple[str, ...]
    points: int
    thresholds: tuple[float, ...]
    reliability: float | None
    noise_sd: float | None
    label: str


@dataclass(frozen=True)
class Effect:
    """A contrast to test: the measure's scale score at level ``high`` of the factor minus at
    ``low``; ``expect`` says which way the theory predicts it."""

    name: str
    measure: str
    factor: str
    low: Any
    high: Any
    expect: Literal["increase", "decrease"] | None


@dataclass(frozen=True)
class Cell:
    """One condition: a level of every factor, the scenario and the story it makes."""

    index: int
    levels: tuple[Any, ...]
    scenario: Scenario
    story: Story


@dataclass(frozen=True)
class Design:
    source: str
    title: str
    scenario: Scenario
    scenario_file: str | None
    subjects: Literal["between", "within"]
    respondents: int
    seed: int
    story: Story
    factors: tuple[Factor, ...]
    measures: tuple[Measure, ...]
    effects: tuple[Effect, ...]
    cells: tuple[Cell, ...]

    def factor(self, key: str) -> Factor:
        return next(f for f in self.factors if f.key == key)

    def measure(self, name: str) -> Measure:
        return next(m for m in self.measures if m.name == name)

    def with_respondents(self, respondents: int) -> Design:
        _check_size(self.source, len(self.cells), respondents, self.subjects)
        return Design(**{**self.__dict__, "respondents": respondents})

    def with_seed(self, seed: int) -> Design:
        return Design(**{**self.__dict__, "seed": seed})

    def to_dict(self) -> dict[str, Any]:
        """The design as plain data (for the codebook): enough to read the data back."""
        return {
            "title": self.title,
            "scenario": self.scenario_file,
            "subjects": self.subjects,
            "respondents_per_cell": self.respondents,
            "seed": self.seed,
            "story": {
                f"{part}.{name}": value
                for part, values in self.story.model_dump().items()
                for name, value in values.items()
                if f"{part}.{name}" not in {f.key for f in self.factors} and value is not None
            },
            "factors": {
                f.key: {"column": f.column, "levels": dict(zip(f.codes, f.levels, strict=True))}
                for f in self.factors
            },
            "measures": {
                m.name: {
                    "construct": m.construct,
                    "items": list(m.items),
                    "points": m.points,
                    "thresholds": list(m.thresholds),
                    **({"reliability": m.reliability} if m.reliability is not None else {}),
                    **({"noise_sd": m.noise_sd} if m.noise_sd is not None else {}),
                    "label": m.label,
                }
                for m in self.measures
            },
            "effects": {
                e.name: {
                    "measure": e.measure,
                    "factor": e.factor,
                    "levels": [e.low, e.high],
                    **({"expect": e.expect} if e.expect else {}),
                }
                for e in self.effects
            },
        }


def load_design(path: str | Path, overrides: Iterable[str] = ()) -> Design:
    """The validated design of a TOML file; ``overrides`` (``--set``) change its scenario."""
    path = Path(path)
    return design_from_data(read_toml(path), str(path), path.parent, overrides)


def design_from_data(
    data: Mapping[str, Any], source: str, folder: Path, overrides: Iterable[str] = ()
) -> Design:
    """A design from its data (a design file's TOML or a codebook's ``design``); relative paths
    are read from ``folder``."""
    if not isinstance(data, Mapping):
        raise UserError(f"{source}: expected a table (a design), got {type(data).__name__}")
    check_keys(data, TOP_LEVEL, source, "")
    scenario_file = optional(data, "scenario", str, source)
    if scenario_file is not None and not (folder / scenario_file).is_file():
        raise UserError(f"{source}: scenario: no such file {folder / scenario_file}")
    scenario = load_scenario(
        None if scenario_file is None else folder / scenario_file, list(overrides)
    )
    subjects = data.get("subjects", "between")
    if subjects not in ("between", "within"):
        raise UserError(f"{source}: subjects: expected 'between' or 'within', got {subjects!r}")
    respondents = whole(data, "respondents_per_cell", DEFAULT_RESPONDENTS, 2, source)
    seed = whole(data, "seed", 1, 0, source)
    story_data = subtable(data, "story", source)
    story = _story(flatten(story_data, source, "story"), source, "story")
    factors = _factors(subtable(data, "factors", source), source, set(flatten(story_data, source)))
    if subjects == "within":
        for f in factors:
            if f.key.startswith("customers."):
                raise UserError(
                    f"{source}: factors.{f.key}: a respondent's own traits cannot change between "
                    "the conditions of a within-subjects design; make it between subjects"
                )
    measures = _measures(subtable(data, "measures", source), source)
    effects = _effects(subtable(data, "effects", source), source, factors, measures)
    cells = _cells(scenario, story, factors, source)
    _check_size(source, len(cells), respondents, subjects)
    return Design(
        source=source,
        title=optional(data, "title", str, source) or Path(source).stem,
        scenario=scenario,
        scenario_file=scenario_file,
        subjects=subjects,
        respondents=respondents,
        seed=seed,
        story=story,
        factors=factors,
        measures=measures,
        effects=effects,
        cells=cells,
    )


# ---------------------------------------------------------------------- parts


def _factors(table: Mapping[str, Any], source: str, in_story: set[str]) -> tuple[Factor, ...]:
    if not table:
        raise UserError(
            f"{source}: factors: expected at least one factor, e.g. "
            '"aggregator.intermediation" = [0.2, 0.8]'
        )
    known = {**dict.fromkeys(parameter_index()), **dict.fromkeys(story_keys())}
    factors = []
    for key, spec in _factor_specs(table, source):
        where = f"factors.{key}"
        if key not in known:
            raise UserError(
                f"{source}: {where}: "
                + unknown(key, known, "a scenario parameter or story attribute")
            )
        if key in in_story:
            raise UserError(f"{source}: {where}: set both in [story] and in [factors]; keep one")
        column = spec.get("column", key.replace(".", "_"))
        if not isinstance(column, str) or not COLUMN.fullmatch(column):
            raise UserError(
                f"{source}: {where}.column: expected a column name (letters, digits, _), "
                f"got {column!r}"
            )
        levels = spec.get("levels")
        if isinstance(levels, Mapping):
            codes, values = tuple(str(c) for c in levels), tuple(levels.values())
        elif isinstance(levels, list):
            codes, values = tuple(_code(v) for v in levels), tuple(levels)
        else:
            raise UserError(f"{source}: {where}: expected a list of levels, got {levels!r}")
        if (
            len(values) < 2
            or len(set(codes)) != len(codes)
            or len(set(map(repr, values))) != len(values)
        ):
            raise UserError(
                f"{source}: {where}: expected at least two different levels, got {levels!r}"
            )
        for value in values:
            _check_level(key, value, source, where)
        factors.append(Factor(key, column, values, codes))
    columns = [f.column for f in factors]
    if len(set(columns)) != len(columns):
        raise UserError(f"{source}: factors: two factors use the same column")
    return tuple(factors)


def _factor_specs(
    table: Mapping[str, Any], source: str, prefix: str = ""
) -> list[tuple[str, dict[str, Any]]]:
    """``key = [levels]`` or ``[factors."key"]`` tables, quoted or dotted, as (key, spec)."""
    specs: list[tuple[str, dict[str, Any]]] = []
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, list):
            specs.append((key, {"levels": value}))
        elif isinstance(value, Mapping) and ("levels" in value or "column" in value):
            check_keys(value, ("levels", "column"), source, f"factors.{key}.")
            specs.append((key, dict(value)))
        elif isinstance(value, Mapping):
            specs.extend(_factor_specs(value, source, f"{key}."))
        else:
            raise UserError(f"{source}: factors.{key}: expected a list of levels, got {value!r}")
    return specs


def _code(value: Any) -> str:
    """How a level is written in the data when the design does not say: ``0.2``, ``provider``,
    ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_level(key: str, value: Any, source: str, where: str) -> None:
    try:
        if key in story_keys():
            part, name = key.split(".")
            Story.model_validate({part: {name: value}})
        else:
            Scenario().with_values(**{key: value})
    except ValidationError as error:
        raise UserError(f"{source}: {where}: level {value!r}: {first_error(error)}") from None


def _story(flat: Mapping[str, Any], source: str, where: str) -> Story:
    nested: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        if key not in story_keys():
            raise UserError(
                f"{source}: {where}.{key}: {unknown(key, story_keys(), 'a story attribute')}"
            )
        part, name = key.split(".")
        nested.setdefault(part, {})[name] = value
    try:
        return Story.model_validate(nested)
    except ValidationError as error:
        loc = ".".join(str(p) for p in error.errors()[0]["loc"])
        raise UserError(f"{source}: {where}.{loc}: {first_error(error)}") from None


def _measures(table: Mapping[str, Any], source: str) -> tuple[Measure, ...]:
    if not table:
        raise UserError(
            f"{source}: measures: expected at least one measure, e.g. "
            '[measures.control] construct = "perceived_control"'
        )
    measures = []
    for name, spec in table.items():
        where = f"measures.{name}"
        if not isinstance(spec, Mapping):
            raise UserError(f"{source}: {where}: expected a table, got {spec!r}")
        if not COLUMN.fullmatch(name):
            raise UserError(f"{source}: {where}: a measure's name is letters, digits and _")
        check_keys(spec, MEASURE_KEYS, source, f"{where}.")
        construct = spec.get("construct")
        if construct not in CONSTRUCTS:
            raise UserError(
                f"{source}: {where}.construct: expected one of {', '.join(CONSTRUCTS)}, "
                f"got {construct!r}"
            )
        points = whole(spec, "points", DEFAULT_POINTS, 2, f"{source}: {where}", maximum=101)
        reliability, noise = _measurement_error(spec, f"{source}: {where}")
        label = spec.get("label", CONSTRUCTS[construct].meaning)
        if not isinstance(label, str):
            raise UserError(f"{source}: {where}.label: expected a string, got {label!r}")
        columns = _item_columns(spec, name, f"{source}: {where}")
        cuts = _thresholds(spec, points, f"{source}: {where}")
        measures.append(Measure(name, construct, columns, points, cuts, reliability, noise, label))
    every_item = [c for m in measures for c in m.items]
    if len(set(every_item)) != len(every_item):
        raise UserError(f"{source}: measures: two measures use the same item column")
    return tuple(measures)


def _item_columns(spec: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    """A measure's item columns: ``items`` of them named ``NAME_1`` … or the names given."""
    items = spec.get("items", 3)
    if isinstance(items, int) and not isinstance(items, bool) and 1 <= items <= 30:
        return tuple(f"{name}_{j}" for j in range(1, items + 1))
    if (
        isinstance(items, list)
        and items
        and all(isinstance(c, str) and COLUMN.fullmatch(c) for c in items)
        and len(set(items)) == len(items)
    ):
        return tuple(items)
    raise UserError(
        f"{where}.items: expected a number of items from 1 to 30 or a list "
        f"of column names, got {items!r}"
    )


def _thresholds(spec: Mapping[str, Any], points: int, where: str) -> tuple[float, ...]:
    """A measure's cut points on the latent 0–1 scale: equal steps unless given."""
    thresholds = spec.get("thresholds")
    if thresholds is None:
        return tuple(t / points for t in range(1, points))
    if (
        isinstance(thresholds, list)
        and len(thresholds) == points - 1
        and all(is_number(t) and 0 < t < 1 for t in thresholds)
        and all(a < b for a, b in itertools.pairwise(thresholds))
    ):
        return tuple(float(t) for t in thresholds)
    raise UserError(
        f"{where}.thresholds: expected {points - 1} increasing numbers "
        f"between 0 and 1, got {thresholds!r}"
    )


def _measurement_error(spec: Mapping[str, Any], where: str) -> tuple[float | None, float | None]:
    """A measure's reliability (Cronbach's alpha) or its noise SD, one of them (the default
    reliability when neither is given)."""
    reliability = spec.get("reliability")
    noise = spec.get("noise_sd")
    if reliability is not None and noise is not None:
        raise UserError(f"{where}: give reliability or noise_sd, not both")
    if noise is not None and not (is_number(noise) and 0 < noise <= 10):
        raise UserError(
            f"{where}.noise_sd: expected a number above 0 and at most 10, got {noise!r}"
        )
    if noise is None:
        reliability = DEFAULT_RELIABILITY if reliability is None else reliability
        if not (is_number(reliability) and 0 < reliability < 1):
            raise UserError(
                f"{where}.reliability: expected a number between 0 and 1 "
                f"(Cronbach's alpha), got {reliability!r}"
            )
    return (
        None if reliability is None else float(reliability),
        None if noise is None else float(noise),
    )


def _effects(
    table: Mapping[str, Any],
    source: str,
    factors: tuple[Factor, ...],
    measures: tuple[Measure, ...],
) -> tuple[Effect, ...]:
    effects = []
    for name, spec in table.items():
        where = f"effects.{name}"
        if not isinstance(spec, Mapping):
            raise UserError(f"{source}: {where}: expected a table, got {spec!r}")
        check_keys(spec, EFFECT_KEYS, source, f"{where}.")
        measure = spec.get("measure")
        if measure not in {m.name for m in measures}:
            raise UserError(
                f"{source}: {where}.measure: expected one of the measures "
                f"({', '.join(m.name for m in measures)}), got {measure!r}"
            )
        factor = next((f for f in factors if f.key == spec.get("factor")), None)
        if factor is None:
            raise UserError(
                f"{source}: {where}.factor: expected one of the factors "
                f"({', '.join(f.key for f in factors)}), got {spec.get('factor')!r}"
            )
        levels = spec.get("levels", [factor.levels[0], factor.levels[-1]])
        if not (
            isinstance(levels, list)
            and len(levels) == 2
            and all(level in factor.levels for level in levels)
            and levels[0] != levels[1]
        ):
            raise UserError(
                f"{source}: {where}.levels: expected two different levels of {factor.key} "
                f"({', '.join(map(repr, factor.levels))}), got {levels!r}"
            )
        expect = spec.get("expect")
        if expect not in (None, "increase", "decrease"):
            raise UserError(
                f"{source}: {where}.expect: expected 'increase' or 'decrease', got {expect!r}"
            )
        effects.append(Effect(name, measure, factor.key, levels[0], levels[1], expect))
    return tuple(effects)


def _cells(
    scenario: Scenario, story: Story, factors: tuple[Factor, ...], source: str
) -> tuple[Cell, ...]:
    combinations = list(
        itertools.islice(itertools.product(*(f.levels for f in factors)), MAX_CELLS + 1)
    )
    if len(combinations) > MAX_CELLS:
        raise UserError(f"{source}: factors: more than {MAX_CELLS} conditions")
    base_story = story.model_dump()
    cells = []
    for index, levels in enumerate(combinations):
        chosen = dict(zip((f.key for f in factors), levels, strict=True))
        on_story = {k: v for k, v in chosen.items() if k in story_keys()}
        on_scenario = {k: v for k, v in chosen.items() if k not in on_story}
        nested = {part: dict(values) for part, values in base_story.items()}
        for key, value in on_story.items():
            part, name = key.split(".")
            nested[part][name] = value
        try:
            cell_scenario = scenario.with_values(**on_scenario) if on_scenario else scenario
        except ValidationError as error:
            described = ", ".join(f"{k} = {v!r}" for k, v in chosen.items())
            raise UserError(
                f"{source}: factors: the condition {described}: {first_error(error)}"
            ) from None
        cells.append(Cell(index, levels, cell_scenario, Story.model_validate(nested)))
    return tuple(cells)


# ---------------------------------------------------------------------- checks


def _check_size(source: str, cells: int, respondents: int, subjects: str) -> None:
    responses = cells * respondents
    if responses > MAX_RESPONSES:
        raise UserError(
            f"{source}: respondents_per_cell: {respondents} respondents x {cells} conditions "
            f"is more than {MAX_RESPONSES:,} responses"
        )
