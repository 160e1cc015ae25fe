"""A posterior over the calibrated parameters: weighted particles (MODEL.md 11.1).

``aggsim calibrate`` writes it as ``posterior.parquet``: one column per parameter (dotted key)
and ``weight`` (summing to 1). It is read back by ``--posterior`` and by ``aggsim validate``,
summarised with weighted means and equal-tailed credible intervals, and drawn from with a
generator of the caller's (:meth:`Posterior.draw`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
from pydantic import ValidationError

from sim.errors import UserError
from sim.scenario import Scenario
from sim.scenario.files import validation_problem

FILE = "posterior.parquet"
WEIGHT = "weight"
LEVEL = 0.90


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of weighted values (the inverse of the weighted empirical distribution
    function, interpolated between the midpoints of the weights' steps). Our own rather than
    pyabc's, so that reading and drawing from a posterior (``--posterior``) needs no pyabc."""
    order = np.argsort(values)
    values, weights = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cumulative = (np.cumsum(weights) - weights / 2) / weights.sum()
    return float(np.interp(q, cumulative, values))


class PriorRange(Protocol):
    """What the summary reads of a prior (a :class:`sim.inference.priors.Prior`): its range."""

    @property
    def low(self) -> float: ...

    @property
    def high(self) -> float: ...

    @property
    def width(self) -> float: ...


@dataclass(frozen=True, eq=False)
class Posterior:
    """Weighted parameter sets: ``particles`` has a column per parameter and ``weight``;
    ``source`` is the file it was read from, if any."""

    particles: pd.DataFrame
    source: Path | None = None

    @property
    def digest(self) -> str:
        """A fingerprint of the particles (part of a sweep's identity: ``--resume`` refuses a
        sweep begun with another posterior)."""
        import hashlib

        hashed = pd.util.hash_pandas_object(self.particles, index=False).to_numpy()
        return hashlib.sha256(
            hashed.tobytes() + ",".join(self.particles.columns).encode()
        ).hexdigest()

    @property
    def parameters(self) -> list[str]:
        return [c for c in self.particles.columns if c != WEIGHT]

    @property
    def weights(self) -> np.ndarray:
        w = self.particles[WEIGHT].to_numpy(float)
        return w / w.sum()

    def summary(
        self, priors: Mapping[str, PriorRange] | None = None, scenario: Scenario | None = None
    ) -> pd.DataFrame:
        """Per parameter: weighted mean and standard deviation, median and the equal-tailed
        :data:`LEVEL` credible interval; with ``priors``, the prior's range and how much of it
        the interval spans; with ``scenario``, the scenario's value."""
        rows = []
        w = self.weights
        for key in self.parameters:
            x = self.particles[key].to_numpy(float)
            mean = float(np.sum(w * x))
            low = weighted_quantile(x, w, (1 - LEVEL) / 2)
            high = weighted_quantile(x, w, (1 + LEVEL) / 2)
            row: dict[str, object] = {
                "parameter": key,
                "mean": mean,
                "sd": float(np.sqrt(np.sum(w * (x - mean) ** 2))),
                "median": weighted_quantile(x, w, 0.5),
                "ci_low": low,
                "ci_high": high,
            }
            if priors and key in priors:
                prior = priors[key]
                row |= {
                    "prior_low": prior.low,
                    "prior_high": prior.high,
                    "share_of_prior": (high - low) / prior.width,
                }
            if scenario is not None:
                row["scenario_value"] = float(scenario.value(key))
            rows.append(row)
        return pd.DataFrame(rows)

    def draw(self, rng: np.random.Generator) -> dict[str, float]:
        """One parameter set, drawn with the particles' weights."""
        index = int(rng.choice(len(self.particles), p=self.weights))
        row = self.particles.iloc[index]
        return {key: float(row[key]) for key in self.parameters}

    def scenario_for(self, scenario: Scenario, replication: int) -> Scenario:
        """The scenario with the parameter set replication ``replication`` draws, on the
        replication's own ``posterior`` stream (MODEL.md 7.4): every condition run with the same
        seed draws the same set, so common random numbers still pair them."""
        from sim.model.streams import STREAM_NAMES, generator_for

        stream = STREAM_NAMES.index("posterior")
        values = self.draw(generator_for(scenario.run.seed, replication, stream))
        return scenario.with_values(**values)

    def describe(
        self, scenario: Scenario | None = None, replications: int = 0
    ) -> dict[str, object]:
        """What a manifest records of the posterior a command drew from, with the parameter
        set each of the first ``replications`` replications of ``scenario`` drew."""
        drawn = []
        if scenario is not None:
            for r in range(replications):
                drawn_scenario = self.scenario_for(scenario, r)
                values = {k: drawn_scenario.value(k) for k in self.parameters}
                drawn.append({"replication": r, **values})
        return {
            "file": None if self.source is None else str(self.source),
            "digest": self.digest,
            "parameters": self.parameters,
            "particles": len(self.particles),
            "draws": drawn,
        }

    def write(self, folder: Path) -> str:
        from sim.outputs.results import write_table

        write_table(folder / FILE, self.particles)
        return FILE

    @classmethod
    def read(cls, path: Path, option: str = "--posterior") -> Posterior:
        """The posterior in ``path`` (a ``posterior.parquet`` file, or the folder of a
        calibration); a missing or malformed file is the user's error, named with ``option``."""
        file = path / FILE if path.is_dir() else path
        if not file.is_file():
            raise UserError(
                f"{path}: {option}: expected {FILE} or a folder written by aggsim calibrate"
            )
        try:
            particles = pd.read_parquet(file)
        except Exception:  # any unreadable file: pyarrow raises several kinds
            raise UserError(f"{file}: {option}: not a Parquet file") from None
        if WEIGHT not in particles.columns or len(particles.columns) < 2 or particles.empty:
            raise UserError(
                f"{file}: {option}: expected a column '{WEIGHT}' and one column per parameter, "
                "with at least one row"
            )
        weights = particles[WEIGHT]
        if not (
            pd.api.types.is_numeric_dtype(weights) and (weights >= 0).all() and weights.sum() > 0
        ):
            raise UserError(f"{file}: {option}: '{WEIGHT}': expected weights ≥ 0, not all 0")
        posterior = cls(particles.reset_index(drop=True), file)
        posterior.check(Scenario(), file, option)
        return posterior

    def check(self, scenario: Scenario, file: Path | None, option: str) -> None:
        """Refuse parameters the scenario does not have, or values outside their ranges."""
        for key in self.parameters:
            column = self.particles[key]
            if not pd.api.types.is_numeric_dtype(column):
                raise UserError(f"{file}: {option}: column '{key}': expected numbers")
            try:
                scenario.value(key)
                for value in (column.min(), column.max()):
                    scenario.with_values(**{key: float(value)})
            except (AttributeError, KeyError):
                raise UserError(
                    f"{file}: {option}: column '{key}': not a parameter of the scenario"
                ) from None
            except ValidationError as error:
                raise validation_problem(error, {key: f"{file}: {option}: column"}) from None
