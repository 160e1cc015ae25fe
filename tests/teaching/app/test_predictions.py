"""Predict, then run: answers read from the runs, propositions named only when their premise
moved (sim.teaching.app.predictions)."""

from __future__ import annotations

from sim.teaching.app.predictions import QUESTIONS, answer, reveal

BASE = {
    "mean_perceived_control": 0.4,
    "mean_aggregator_responsibility": 0.5,
    "mean_expected_compensation_share": 0.6,
    "mean_expected_punishment": 0.4,
    "complaint_rate": 0.5,
    "customer_churn_rate": 0.05,
    "mean_post_recovery_satisfaction": 0.6,
}


def test_a_clear_difference_names_the_platform_and_a_small_one_does_not():
    kpis = {"A": BASE, "B": {**BASE, "mean_aggregator_responsibility": 0.7}}
    assert answer(kpis, "mean_aggregator_responsibility") == "B"
    kpis["B"]["mean_aggregator_responsibility"] = 0.52
    assert answer(kpis, "mean_aggregator_responsibility") == "about the same"


def test_p2_is_named_when_perceived_control_moved_with_responsibility():
    b = {**BASE, "mean_perceived_control": 0.7, "mean_aggregator_responsibility": 0.7}
    shown = {r.question.key: r for r in reveal({"responsibility": "B"}, {"A": BASE, "B": b})}
    assert shown["responsibility"].right
    assert shown["responsibility"].reading.startswith("P2:")


def test_p2_is_not_named_when_perceived_control_did_not_move():
    b = {**BASE, "mean_aggregator_responsibility": 0.7}
    shown = {r.question.key: r for r in reveal({"responsibility": "A"}, {"A": BASE, "B": b})}
    assert not shown["responsibility"].right
    assert shown["responsibility"].reading.startswith("Not P2's doing")


def test_p4_needs_the_platform_held_less_responsible_where_punishment_is_higher():
    a = {**BASE, "mean_expected_punishment": 0.6, "mean_aggregator_responsibility": 0.3}
    shown = {r.question.key: r for r in reveal({}, {"A": a, "B": BASE})}
    assert shown["punishment"].actual == "A"
    assert shown["punishment"].reading.startswith("P4:")
    a["mean_aggregator_responsibility"] = 0.8
    shown = {r.question.key: r for r in reveal({}, {"A": a, "B": BASE})}
    assert shown["punishment"].reading.startswith("Not P4's doing")


def test_every_question_is_answered():
    assert len(reveal({}, {"A": BASE, "B": BASE})) == len(QUESTIONS)
    assert all(r.actual == "about the same" for r in reveal({}, {"A": BASE, "B": BASE}))
