"""Experimental designs: which scenario points a sweep runs.

A *factor* is one varied parameter with a SPEC:

- a list ``0.1,0.5,0.9`` (or ``none,tiered`` for a choice, ``true,false`` for a switch);
- a range ``0:1:11`` — 11 evenly spaced values from 0 to 1, both included;
- bounds ``0.2..0.8`` — a continuous interval, for sampled designs.

Designs: ``grid`` is the full factorial of lists and ranges; ``lhs`` (Latin hypercube) and
``sobol`` (scrambled Sobol') draw ``samples`` points from the unit cube with ``scipy.stats.qmc``:
a bounds factor maps its coordinate onto the interval (rounded for whole-number parameters), a
list or range factor picks one of its values. The sample depends only on the root seed.
"""

from __future__ import annotations

import itertools
import math
import tomllib
import warnings
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from sim.errors import UserError
from sim.scenario import ParameterInfo, parameter_index

DESIGNS = ("grid", "lhs", "sobol")
#: Designs of global sensitivity analysis, sampled with SALib (see ``sim.experiments.sensitivity``).
SENSITIVITY_DESIGNS = ("morris", "saltelli", "saltelli-s2", "fast")
MORRIS_LEVELS = 4
FAST_HARMONICS = 4
#: The spawn key of the design's random generator: replication streams use (replication, stream).
DESIGN_SPAWN_KEY = (2**32 - 1,)
#: Most values one factor may take (a list or a range start:stop:count).
MAX_LEVELS = 10_000
#: Most points a design may have: checked before a single point is made.
MAX_POINTS = 1_000_000


class DesignError(UserError):
    """A bad ``--vary`` spec or design option."""


@dataclass(frozen=True)
class Factor:
    """One varied parameter: either discrete ``values`` or continuous ``bounds``."""

    key: str
    values: tuple[Any, ...] | None = None
    bounds: tuple[float, float] | None = None
    integer: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "values": list(self.values) if self.values else None,
            "bounds": list(self.bounds) if self.bounds else None,
            "integer": self.integer,
        }

    def from_problem(self, x: float) -> Any:
        """The value at ``x`` in the factor's SALib problem interval (see :func:`salib_problem`)."""
        if self.bounds is not None:
            return int(round(x)) if self.integer else float(x)
        assert self.values is not None
        return self.values[min(int(x), len(self.values) - 1)]

    def pick(self, unit: float) -> Any:
        """The factor's value at coordinate ``unit`` in [0, 1) of a sampled design."""
        if self.bounds is not None:
            low, high = self.bounds
            value = low + unit * (high - low)
            return int(round(value)) if self.integer else float(value)
        assert self.values is not None
        return self.values[min(int(unit * len(self.values)), len(self.values) - 1)]


def parse_factor(text: str, source: str = "--vary") -> Factor:
    """``"aggregator.intermediation=0:1:5"`` → a :class:`Factor` (checked against the schema)."""
    key, sep, spec = text.partition("=")
    return (
        factor(key.strip(), spec.strip(), source)
        if sep
        else _fail(source, None, f"expected KEY=SPEC, got {text!r}")
    )


def parse_factors(texts: list[str], source: str = "--vary") -> list[Factor]:
    """Every ``--vary``; a parameter varied twice is an error, not a silent choice of the last."""
    factors = [parse_factor(text, source) for text in texts]
    keys = [f.key for f in factors]
    for key in keys:
        if keys.count(key) > 1:
            _fail(source, key, "varied more than once; give all its values in one --vary")
    return factors


def factor(key: str, spec: Any, source: str = "--vary") -> Factor:
    """A factor from a key and a SPEC string (or a list of values, as in a ``[sweep]`` table)."""
    info = _parameter(key, source)
    kind = _kind(info)
    if kind is None:
        _fail(source, key, "this parameter cannot be varied")
    if isinstance(spec, list):
        return _list_factor(key, info, kind, spec, source)
    if not isinstance(spec, str) or not spec:
        _fail(source, key, f"expected a SPEC such as 0.1,0.5 or 0:1:11 or 0.2..0.8, got {spec!r}")
    if ".." in spec:
        if kind not in ("float", "int"):
            _fail(source, key, "bounds (low..high) need a numeric parameter; list its values")
        low, high = (_number(part, key, source) for part in spec.split("..", 1))
        if not low < high:
            _fail(source, key, f"expected low..high with low < high, got {spec!r}")
        _check_range(info, key, source, low, high)
        return Factor(key, bounds=(low, high), integer=kind == "int")
    if spec.count(":") == 2:
        if kind not in ("float", "int"):
            _fail(source, key, "a range (start:stop:count) needs a numeric parameter")
        start, stop, count = spec.split(":")
        start_value, stop_value = _number(start, key, source), _number(stop, key, source)
        try:
            n = int(count)
        except ValueError:
            n = 0
        if not 1 <= n <= MAX_LEVELS:
            _fail(
                source,
                key,
                f"expected a whole count from 1 to {MAX_LEVELS:,} in start:stop:count, "
                f"got {count!r}",
            )
        values = np.linspace(start_value, stop_value, n).tolist()
        if kind == "int":
            values = list(dict.fromkeys(int(round(v)) for v in values))
        return _list_factor(key, info, kind, values, source)
    items = [_literal(item.strip()) for item in spec.split(",") if item.strip()]
    return _list_factor(key, info, kind, items, source)


def _list_factor(key: str, info: ParameterInfo, kind: str, values: list, source: str) -> Factor:
    if not values:
        _fail(source, key, "expected at least one value")
    if len(values) > MAX_LEVELS:
        _fail(source, key, f"expected at most {MAX_LEVELS:,} values, got {len(values):,}")
    checked = []
    for value in values:
        if kind == "bool":
            if not isinstance(value, bool):
                _fail(source, key, f"expected true or false, got {value!r}")
        elif kind == "choice":
            if value not in (info.choices or ()):
                _fail(
                    source,
                    key,
                    f"expected one of {', '.join(map(repr, info.choices or ()))}, got {value!r}",
                )
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                _fail(source, key, f"expected numbers, got {value!r}")
            if not math.isfinite(value):
                _fail(source, key, f"expected finite numbers, got {value!r}")
            if kind == "int":
                if not float(value).is_integer():
                    _fail(source, key, f"expected whole numbers, got {value!r}")
                value = int(value)
            else:
                value = float(value)
            _check_range(info, key, source, value, value)
        checked.append(value)
    return Factor(key, values=tuple(dict.fromkeys(checked)), integer=kind == "int")


def design_points(
    factors: list[Factor], design: str, samples: int | None, root_seed: int
) -> list[dict[str, Any]]:
    """The points of a design, in a fixed order: one ``{key: value}`` dict per point."""
    if not factors:
        raise DesignError("--vary: a sweep needs at least one varied parameter")
    keys = [f.key for f in factors]
    if len(set(keys)) != len(keys):
        raise DesignError("--vary: each parameter may be varied once")
    count = design_size(factors, design, samples)
    if count > MAX_POINTS:
        option, remedy = (
            ("--vary", "vary fewer values")
            if design == "grid"
            else (
                "--samples",
                "take fewer samples",
            )
        )
        raise DesignError(
            f"{option}: the {design} design would have {count:,} points, more than "
            f"{MAX_POINTS:,}; {remedy} or split the study"
        )
    if design == "grid":
        return [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(f.values or () for f in factors))
        ]
    assert samples is not None  # design_size has checked it
    if design in SENSITIVITY_DESIGNS:
        matrix = salib_sample(factors, design, samples, root_seed)
        return [
            {f.key: f.from_problem(x) for f, x in zip(factors, row, strict=True)} for row in matrix
        ]
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=DESIGN_SPAWN_KEY))
    if design == "lhs":
        unit = qmc.LatinHypercube(d=len(factors), rng=rng).random(samples)
    else:
        sampler = qmc.Sobol(d=len(factors), scramble=True, rng=rng)
        with warnings.catch_warnings():  # design_warnings() says it in one line
            warnings.simplefilter("ignore", UserWarning)
            unit = sampler.random(samples)
    return [{f.key: f.pick(u) for f, u in zip(factors, row, strict=True)} for row in unit]


def design_size(factors: list[Factor], design: str, samples: int | None) -> int:
    """How many points a design has, known without making them (and the design checked)."""
    if design == "grid":
        continuous = [f.key for f in factors if f.bounds is not None]
        if continuous:
            raise DesignError(
                f"--vary: {continuous[0]}: bounds need a sampled design "
                "(--design lhs or sobol); for a grid give a list or a range a:b:n"
            )
        return math.prod(len(f.values or ()) for f in factors)
    if design not in DESIGNS + SENSITIVITY_DESIGNS:
        raise DesignError(f"--design: expected one of {', '.join(DESIGNS)}, got {design!r}")
    if samples is None or samples < 1:
        raise DesignError(f"--samples: a {design} design needs a number of samples of at least 1")
    d = len(factors)
    per_sample = {"morris": d + 1, "saltelli": d + 2, "saltelli-s2": 2 * d + 2, "fast": d}
    return samples * per_sample.get(design, 1)


def salib_problem(factors: list[Factor]) -> dict[str, Any]:
    """The SALib problem of the factors: bounds as given; a list of k values becomes the index
    interval [0, k), each value owning an equal part of it."""
    return {
        "num_vars": len(factors),
        "names": [f.key for f in factors],
        "bounds": [
            list(f.bounds) if f.bounds else [0.0, float(len(f.values or ()))] for f in factors
        ],
    }


def salib_sample(factors: list[Factor], design: str, samples: int, root_seed: int) -> np.ndarray:
    """The SALib sample matrix of a sensitivity design, in problem units (one row per point).

    ``samples`` is the number of Morris trajectories (``samples × (d + 1)`` points), the base
    sample of Saltelli's scheme (``samples × (d + 2)`` points, or ``samples × (2d + 2)`` with
    second-order indices) or the points per parameter of FAST (``samples × d``; above 64).
    """
    seed = int(np.random.SeedSequence(root_seed, spawn_key=DESIGN_SPAWN_KEY).generate_state(1)[0])
    problem = salib_problem(factors)
    with warnings.catch_warnings():  # design_warnings() gives SALib's advice in one line
        warnings.simplefilter("ignore")
        if design == "morris":
            from SALib.sample import morris

            return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
        if design in ("saltelli", "saltelli-s2"):
            from SALib.sample import sobol

            return sobol.sample(
                problem, samples, calc_second_order=design == "saltelli-s2", seed=seed
            )
        if samples <= 4 * FAST_HARMONICS**2:
            raise DesignError(
                f"--samples: FAST needs more than {4 * FAST_HARMONICS**2} samples, got {samples}"
            )
        from SALib.sample import fast_sampler

        return fast_sampler.sample(problem, samples, M=FAST_HARMONICS, seed=seed)


def design_warnings(design: str, samples: int | None) -> list[str]:
    """Advice on a design that will run but not as well as it could."""
    if design in ("sobol", "saltelli", "saltelli-s2") and samples and samples & (samples - 1):
        lower = 1 << (samples.bit_length() - 1)
        return [
            f"a Sobol' design is balanced only for a power-of-two number of samples "
            f"(got {samples}; try {lower} or {2 * lower})"
        ]
    return []


# ---------------------------------------------------------------------- helpers


def _parameter(key: str, source: str) -> ParameterInfo:
    rows = parameter_index()
    if key not in rows:
        import difflib

        match = difflib.get_close_matches(key, list(rows), n=1, cutoff=0.6)
        hint = f"; did you mean {match[0]!r}?" if match else "; `aggsim params` lists them"
        _fail(source, key, f"unknown parameter{hint}")
    return rows[key]


def _kind(info: ParameterInfo) -> str | None:
    default = info.default
    if info.choices:
        return "choice"
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    return None


def _literal(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _number(text: str, key: str, source: str) -> float:
    value = _literal(text.strip())
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(source, key, f"expected a finite number, got {text.strip()!r}")
    return float(value)


def _check_range(info: ParameterInfo, key: str, source: str, low: float, high: float) -> None:
    from sim.scenario.files import describe

    if (info.minimum is not None and low < info.minimum) or (
        info.maximum is not None and high > info.maximum
    ):
        _fail(
            source,
            key,
            f"expected {describe(info)}, got {low:g}"
            if low == high
            else f"expected {describe(info)}, got {low:g}..{high:g}",
        )


def _fail(source: str, key: str | None, problem: str) -> NoReturn:
    where = f"{source}: {key}" if key else source
    raise DesignError(f"{where}: {problem}")
