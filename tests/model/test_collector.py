"""The garbage collector's thresholds while a world runs (sim.model.collector)."""

import gc

import pytest

from sim.model.collector import YOUNG_GENERATION_THRESHOLD, fewer_collections


def test_the_young_generation_is_collected_less_often_inside_and_as_before_after():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        with pytest.raises(RuntimeError), fewer_collections():
            raise RuntimeError("a failed run")
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_a_caller_s_higher_threshold_is_kept():
    before = gc.get_threshold()
    try:
        gc.set_threshold(10 * YOUNG_GENERATION_THRESHOLD, 5, 5)
        with fewer_collections():
            assert gc.get_threshold() == (10 * YOUNG_GENERATION_THRESHOLD, 5, 5)
    finally:
        gc.set_threshold(*before)
