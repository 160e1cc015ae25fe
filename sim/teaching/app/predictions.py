"""Predict, then run: the classroom mode of ``aggsim app``.

The class predicts, for platforms A and B as the teacher set them, which one customers will
hold more responsible, expect more compensation from, and so on; the page then runs both and
reveals the answers. Each answer is read from the two runs with the thresholds of
:mod:`sim.outputs.wording` (a difference smaller than :data:`sim.outputs.wording.CLEAR_MARGIN` is
"about the
same"), and a proposition (MODEL.md 2) is named only when the runs show its mechanism at work:
the premise and the consequence move together, as the proposition says. When they do not, the
reveal says so instead of naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sim.model.kpis import kpi
from sim.outputs.wording import rank

ANSWERS = ("A", "B", "about the same")


@dataclass(frozen=True)
class Question:
    """A question for the class, the KPI that answers it, and the proposition it illustrates:
    ``premise`` is the KPI whose difference, in direction ``sign`` (+1 the same way, -1 the
    opposite way), the proposition says drives this one."""

    key: str
    text: str
    kpi: str
    proposition: str = ""
    premise: str = ""
    sign: int = 1
    mechanism: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "responsibility",
        "Which platform will customers hold more responsible for failures?",
        "mean_aggregator_responsibility",
        "P2",
        "mean_perceived_control",
        1,
        "customers who see the platform in control of the service hold it responsible",
    ),
    Question(
        "compensation",
        "From which platform will customers expect more compensation (share of the price)?",
        "mean_expected_compensation_share",
        "P3",
        "mean_aggregator_responsibility",
        1,
        "customers who hold the platform responsible expect it to pay",
    ),
    Question(
        "punishment",
        "On which platform will customers want the providers punished more?",
        "mean_expected_punishment",
        "P4",
        "mean_aggregator_responsibility",
        -1,
        "when the platform is held less responsible, the blame moves to the provider",
    ),
    Question(
        "complaints",
        "Which platform will get more complaints (per failure)?",
        "complaint_rate",
        "MODEL.md 5.7",
        "mean_aggregator_responsibility",
        1,
        "customers complain to the party they hold responsible",
    ),
    Question(
        "churn",
        "Which platform will lose more customers?",
        "customer_churn_rate",
        "MODEL.md 5.15",
        "mean_post_recovery_satisfaction",
        -1,
        "customers left less satisfied after a failure are the ones who leave",
    ),
)


#: Why the class cannot run its predictions while A and B are the same platform.
SAME_PLATFORMS = (
    "Platforms A and B are the same: every answer would be 'about the same'. Move a lever of "
    "one of them (or choose a preset) first."
)


#: The choice a question starts on: not answered yet (the page's buttons always show one).
UNANSWERED = "not yet"


def not_ready(predictions: Mapping[str, str | None], same_platforms: bool) -> str | None:
    """Why the class cannot run and reveal yet (a prediction missing, or nothing to compare),
    or None when it can."""
    if same_platforms:
        return SAME_PLATFORMS
    missing = sum(value in (None, UNANSWERED) for value in predictions.values())
    if missing:
        return f"{missing} question(s) still to answer."
    return None


def answer(kpis: Mapping[str, Mapping[str, float]], name: str) -> str:
    """Which platform has more of KPI ``name``: "A", "B" or "about the same"."""
    return {1: "A", -1: "B", 0: "about the same"}[rank(kpis["A"][name], kpis["B"][name])]


@dataclass(frozen=True)
class Reveal:
    question: Question
    predicted: str
    actual: str
    values: str
    reading: str

    @property
    def right(self) -> bool:
        return self.predicted == self.actual


def reveal(predictions: Mapping[str, str], kpis: Mapping[str, Mapping[str, float]]) -> list[Reveal]:
    """The class's predictions set against the runs' KPIs (``kpis["A"]``, ``kpis["B"]``)."""
    revealed = []
    for question in QUESTIONS:
        actual = answer(kpis, question.kpi)
        shown = kpi(question.kpi).show
        values = f"A {shown(kpis['A'][question.kpi])}, B {shown(kpis['B'][question.kpi])}"
        revealed.append(
            Reveal(
                question,
                predictions.get(question.key, ""),
                actual,
                values,
                reading(question, kpis, actual),
            )
        )
    return revealed


def reading(question: Question, kpis: Mapping[str, Mapping[str, float]], actual: str) -> str:
    """The proposition the answer illustrates, named only when its premise moved with it."""
    premise = kpi(question.premise)
    moved = answer(kpis, question.premise)
    shown = [premise.show(kpis[name][question.premise]) for name in ("A", "B")]
    values = f"{shown[0]} against {shown[1]}"
    if actual == "about the same":
        return f"No clear difference, so nothing to explain ({premise.label}: {values})."
    expected = actual if question.sign > 0 else {"A": "B", "B": "A"}[actual]
    if moved == expected:
        return (
            f"{question.proposition}: {question.mechanism} ({premise.label} {values}, "
            f"higher on {moved})."
        )
    return (
        f"Not {question.proposition}'s doing: its premise, {premise.label}, does not differ as it "
        f"says ({values})."
    )
