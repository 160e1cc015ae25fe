"""Named random streams (MODEL.md section 7.4).

Every replication and every named stream gets its own generator, seeded from
``numpy.random.SeedSequence(root_seed, spawn_key=(replication, stream_index))``. A replication's
random numbers therefore depend only on the root seed, the replication index and the stream, never
on the number of workers, the machine or the order in which replications run. Two scenarios run
with the same seed draw the same numbers stream by stream (common random numbers).

Draws are taken from numpy in blocks and handed out one at a time, so the per-order hot path never
pays for a numpy call per draw.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

#: The stream names, in a fixed order: a stream's index is part of its seed, so this tuple may only
#: ever grow at the end.
STREAM_NAMES: tuple[str, ...] = (
    "population",  # initial customers and providers
    "arrivals",  # inter-order times
    "prices",  # order prices
    "matching",  # customer patience
    "service",  # service times
    "failures",  # which failure fires
    "episodes",  # a failure's kind, outcome and controllability
    "severity",  # failure severity
    "explanation",  # whether and how the platform explains
    "attribution",  # perception noise
    "complaints",  # complaint decisions
    "recovery",  # recovery delays and the platform's estimate of expectations
    "ratings",  # star ratings
    "retention",  # stay or leave, background churn
    "providers",  # exits, onboarding and vetting
    "acquisition",  # new customers
    "disruptions",  # external disruption periods
    "trials",  # which reached failures a randomised recovery compensates
    "buying_centre",  # business customers' buying centres and the reports told in them
    "culture",  # customers' power distance, uncertainty avoidance and long-term orientation
    "contracts",  # which customers have a contract with a service level agreement
    "ordering",  # customers' own order rates
    "posterior",  # the parameter set a replication draws from a posterior (--posterior)
)

BLOCK_SIZE = 512


def _one_at_a_time(draw: Callable[[int], np.ndarray], block_size: int) -> Callable[[], float]:
    """A function of no arguments that hands out ``draw(block_size)``'s values one at a time,
    each block last value first, drawing the next block when one runs out.

    The function returned is the ``__next__`` of an iterator built from :mod:`itertools`, so a
    draw is one call into C with no Python frame: a replication takes about ten draws per order.
    """
    blocks = iter(lambda: reversed(draw(block_size).tolist()), None)
    return itertools.chain.from_iterable(blocks).__next__


class Stream:
    """One named stream: a numpy generator with buffered scalar draws.

    ``uniform``, ``standard_normal`` and ``standard_exponential`` are functions of no arguments,
    each handing out draws of its own block (the inner loop calls them directly); ``normal`` and
    ``exponential`` scale them.

    Parameters
    ----------
    generator
        The numpy generator this stream draws from.
    block_size
        How many values to draw from numpy at a time for each distribution.
    """

    __slots__ = (
        "generator",
        "_block_size",
        "uniform",
        "standard_normal",
        "standard_exponential",
        "_betas",
        "_gammas",
    )

    def __init__(self, generator: np.random.Generator, block_size: int = BLOCK_SIZE) -> None:
        self.generator = generator
        self._block_size = block_size
        #: A draw from U[0, 1).
        self.uniform = _one_at_a_time(generator.random, block_size)
        #: A draw from N(0, 1).
        self.standard_normal = _one_at_a_time(generator.standard_normal, block_size)
        #: A draw from the exponential distribution of mean 1.
        self.standard_exponential = _one_at_a_time(generator.standard_exponential, block_size)
        self._betas: dict[tuple[float, float], list[float]] = {}
        self._gammas: dict[float, list[float]] = {}

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        """A draw from N(mean, sd²)."""
        return mean + sd * self.standard_normal()

    def exponential(self, mean: float = 1.0) -> float:
        """A draw from the exponential distribution with the given mean."""
        return mean * self.standard_exponential()

    def beta(self, a: float, b: float) -> float:
        """A draw from Beta(a, b); each parameter pair keeps its own buffer."""
        key = (a, b)
        buffer = self._betas.get(key)
        if not buffer:
            buffer = self.generator.beta(a, b, self._block_size).tolist()
            self._betas[key] = buffer
        return buffer.pop()

    def gamma(self, shape: float) -> float:
        """A draw from Gamma(shape, scale 1); each shape keeps its own buffer."""
        buffer = self._gammas.get(shape)
        if not buffer:
            buffer = self.generator.standard_gamma(shape, self._block_size).tolist()
            self._gammas[shape] = buffer
        return buffer.pop()

    def bernoulli(self, probability: float) -> bool:
        """True with the given probability."""
        return self.uniform() < probability


class Streams:
    """All named streams of one replication, as attributes (``streams.failures.uniform()``).

    Parameters
    ----------
    root_seed
        The run's root seed (``run.seed``).
    replication
        The replication index, 0-based.
    """

    # Slots, not a __getattr__ for unknown names: a class with __getattr__ makes every attribute
    # read slower, and streams are read on every order.
    __slots__ = ("root_seed", "replication", *STREAM_NAMES)

    def __init__(self, root_seed: int, replication: int) -> None:
        self.root_seed = root_seed
        self.replication = replication
        for index, name in enumerate(STREAM_NAMES):
            setattr(self, name, Stream(generator_for(root_seed, replication, index)))

    if TYPE_CHECKING:  # for the type checker only: every stream name is a Stream

        def __getattr__(self, name: str) -> Stream: ...


def generator_for(root_seed: int, replication: int, stream_index: int) -> np.random.Generator:
    """The generator of one stream of one replication (MODEL.md 7.4)."""
    sequence = np.random.SeedSequence(root_seed, spawn_key=(replication, stream_index))
    return np.random.Generator(np.random.PCG64(sequence))


def lognormal_parameters(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal distribution with this mean and coefficient of variation."""
    sigma2 = math.log1p(cv * cv)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


def beta_parameters(mean: float, concentration: float) -> tuple[float, float]:
    """Beta(a, b) parameters for a mean and a concentration a + b."""
    return mean * concentration, (1.0 - mean) * concentration
