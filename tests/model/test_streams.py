"""Named random streams (MODEL.md 7.4)."""

import numpy as np
import pytest

from sim.model.streams import STREAM_NAMES, Stream, Streams, generator_for


def test_streams_are_seeded_from_the_root_seed_replication_and_stream_index():
    streams = Streams(42, 3)
    index = STREAM_NAMES.index("failures")
    reference = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(42, spawn_key=(3, index)))
    )
    assert streams.failures.generator.random() == reference.random()


def test_buffered_draws_equal_the_generator_sequence():
    stream = Stream(generator_for(1, 0, 0), block_size=8)
    drawn = [stream.uniform() for _ in range(20)]
    reference = generator_for(1, 0, 0).random(24)
    assert drawn[:8] == list(reference[:8][::-1])
    assert drawn[8:16] == list(reference[8:16][::-1])


def test_replications_and_streams_are_independent():
    a, b = Streams(1, 0), Streams(1, 1)
    assert a.failures.uniform() != b.failures.uniform()
    assert Streams(1, 0).failures.uniform() != Streams(1, 0).severity.uniform()


def test_same_seed_same_numbers():
    assert [Streams(9, 2).arrivals.exponential(2.0) for _ in range(3)] == [
        Streams(9, 2).arrivals.exponential(2.0) for _ in range(3)
    ]


def test_draws_have_the_right_distributions():
    stream = Stream(generator_for(5, 0, 0))
    normals = np.array([stream.normal(3.0, 2.0) for _ in range(20_000)])
    betas = np.array([stream.beta(2.0, 6.0) for _ in range(20_000)])
    exps = np.array([stream.exponential(4.0) for _ in range(20_000)])
    assert normals.mean() == pytest.approx(3.0, abs=0.06) and normals.std() == pytest.approx(
        2.0, rel=0.03
    )
    assert betas.mean() == pytest.approx(0.25, abs=0.005)
    assert exps.mean() == pytest.approx(4.0, rel=0.03)


def test_unknown_stream_names_are_errors():
    with pytest.raises(AttributeError, match="'weather'"):
        Streams(1, 0).weather  # noqa: B018
