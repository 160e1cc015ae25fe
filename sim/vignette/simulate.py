"""A simulated vignette study: respondents drawn from the scenario's customers, each reading the
vignette of their condition(s), judging it with the model and answering Likert items
(MODEL.md 12).

Random numbers come from three streams of the design's seed, so the latent judgements of a study
do not change when only its measures change, and the same seed gives the same dataset:

- ``latent``: the respondents' traits (:func:`sim.model.population.draw_customer_traits`) and
  their errors in seeing who could have prevented the failure (two standard normals per vignette);
- ``answers``: the items' errors, and the order in which a within-subjects respondent reads the
  vignettes;
- ``pilot``: a large pilot sample that fixes each item's error from the reliability the design
  states (:func:`item_noise`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.model.population import CustomerTraits, draw_customer_traits
from sim.vignette.constructs import judgements
from sim.vignette.design import Cell, Design, Measure
from sim.vignette.measurement import answers, cronbach_alpha, noise_for_reliability

STREAMS = {"latent": 0, "answers": 1, "pilot": 2}
#: Respondents per condition of the pilot that fixes item errors from a stated reliability.
PILOT_RESPONDENTS = 2000


def stream(seed: int, name: str, *more: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAMS[name], *more)))


@dataclass(frozen=True)
class Latent:
    """Every response of a study before measurement: who (``respondent``), in which condition
    (``cell``), and the latent value of each construct measured (NaN where the story leaves no
    provider to judge)."""

    respondent: np.ndarray
    cell: np.ndarray
    values: dict[str, np.ndarray]
    key_account: np.ndarray  # the respondent's segment
    individualism: np.ndarray  # and culture, as a study would measure them


def constructs_of(design: Design) -> list[str]:
    return list(dict.fromkeys(m.construct for m in design.measures))


@dataclass(frozen=True, slots=True)
class Response:
    """One respondent reading one vignette: who (``person``), the condition, their traits and
    their two errors in seeing who could have prevented the failure (MODEL.md 5.3)."""

    person: int
    cell: Cell
    traits: CustomerTraits
    errors: tuple[float, float]


def draw_responses(design: Design, respondents: int, rng: np.random.Generator) -> list[Response]:
    """``respondents`` per condition (between subjects), or in all, each reading every condition
    (within subjects: one person, so one draw of traits, and new errors for every vignette)."""
    responses: list[Response] = []

    def errors() -> tuple[float, float]:
        first, second = rng.standard_normal(2)
        return float(first), float(second)

    if design.subjects == "between":
        for cell in design.cells:
            for _ in range(respondents):
                traits = draw_customer_traits(cell.scenario.customers, rng, established=True)
                responses.append(Response(len(responses), cell, traits, errors()))
    else:
        for person in range(respondents):
            traits = draw_customer_traits(design.scenario.customers, rng, established=True)
            responses.extend(Response(person, cell, traits, errors()) for cell in design.cells)
    return responses


def draw_latent(design: Design, respondents: int, rng: np.random.Generator) -> Latent:
    """The latent judgements of :func:`draw_responses`."""
    constructs = constructs_of(design)
    responses = draw_responses(design, respondents, rng)
    rows = [
        judgements(r.cell.scenario, r.cell.story, r.traits, *r.errors, constructs=constructs)
        for r in responses
    ]
    table = np.array(rows, dtype=float).reshape(len(rows), len(constructs))
    return Latent(
        np.array([r.person for r in responses], dtype=np.int64),
        np.array([r.cell.index for r in responses], dtype=np.int64),
        {name: table[:, j] for j, name in enumerate(constructs)},
        np.array([r.traits.key_account for r in responses], dtype=bool),
        np.array([r.traits.individualism for r in responses]),
    )


def item_noise(design: Design) -> dict[str, float]:
    """Each measure's item error σ: as stated, or solved from the stated reliability among a
    pilot of :data:`PILOT_RESPONDENTS` per condition (MODEL.md 12.2)."""
    noise = {m.name: m.noise_sd for m in design.measures if m.noise_sd is not None}
    wanted = [m for m in design.measures if m.noise_sd is None]
    if not wanted:
        return noise
    pilot = draw_latent(design, PILOT_RESPONDENTS, stream(design.seed, "pilot"))
    for m in wanted:
        assert m.reliability is not None
        variance = float(np.nanvar(pilot.values[m.construct]))
        if not variance > 1e-10:
            raise UserError(
                f"{design.source}: measures.{m.name}.reliability: {m.construct} does not vary "
                "among the respondents of this design, so no error gives that reliability; give "
                "noise_sd instead"
            )
        noise[m.name] = noise_for_reliability(m.reliability, len(m.items), variance)
    return noise


def measure(
    latent: Latent, measures: tuple[Measure, ...], noise: dict[str, float], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Every item's answers (float, NaN where the construct is missing), by item column."""
    columns: dict[str, np.ndarray] = {}
    for m in measures:
        values = latent.values[m.construct]
        given = answers(np.nan_to_num(values), len(m.items), m.thresholds, noise[m.name], rng)
        given = np.where(np.isnan(values)[:, None], np.nan, given.astype(float))
        for j, column in enumerate(m.items):
            columns[column] = given[:, j]
    return columns


@dataclass(frozen=True)
class Study:
    """A simulated study: the dataset as a survey tool exports it, the latent judgements behind
    it, and each measure's item error and the alpha of its answers."""

    design: Design
    data: pd.DataFrame
    latent: pd.DataFrame
    noise: dict[str, float]
    alpha: dict[str, float]


def simulate_study(design: Design) -> Study:
    """The study of the design: ``design.respondents`` per condition (between) or in all
    (within), with the design's seed."""
    noise = item_noise(design)
    latent = draw_latent(design, design.respondents, stream(design.seed, "latent"))
    rng = stream(design.seed, "answers")
    items = measure(latent, design.measures, noise, rng)
    data = pd.DataFrame({"respondent": latent.respondent + 1})
    if design.subjects == "within":
        order = np.concatenate(
            [rng.permutation(len(design.cells)) + 1 for _ in range(design.respondents)]
        )
        data["vignette"] = order
    data["segment"] = pd.Series(
        np.where(latent.key_account, "key_account", "general"), dtype="string"
    )
    data["individualism"] = latent.individualism.round(2)
    for j, factor in enumerate(design.factors):
        codes = [factor.code_of(design.cells[c].levels[j]) for c in latent.cell]
        data[factor.column] = pd.Series(codes, dtype="string")
    for name, values in items.items():
        data[name] = pd.array(np.where(np.isnan(values), 0, values).astype(int), dtype="Int64")
        data.loc[np.isnan(values), name] = pd.NA
    latent_table = pd.DataFrame(
        {"respondent": latent.respondent + 1, "cell": latent.cell + 1, **latent.values}
    )
    alpha = {
        m.name: cronbach_alpha(data[list(m.items)].dropna().to_numpy(dtype=float))
        for m in design.measures
    }
    return Study(design, data, latent_table, noise, alpha)
