"""The STRESS-DES reporting checklist (Monks et al. 2019, J Simulation 13:1), each item pointing
at the section of the ODD document that answers it (MODEL.md 16).

The items are the checklist's, their wording here a short paraphrase.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    number: str
    name: str
    asks: str
    answered_in: str  # a section of the ODD document
    needs_run: bool = False  # answered only when the document describes a run


ITEMS: tuple[Item, ...] = (
    Item("1.1", "Purpose of the model", "background and objectives", "1. Purpose and patterns"),
    Item(
        "1.2",
        "Model outputs",
        "every performance measure, how and when it is computed, and its error",
        "4. Design concepts (Observation); The experiment",
    ),
    Item(
        "1.3",
        "Experimentation aims",
        "the scenarios or design of the experiments, and why",
        "The scenario; The experiment",
        needs_run=True,
    ),
    Item(
        "2.1",
        "Base model overview diagram",
        "a diagram of the model's logic",
        "3. Process overview and scheduling (a process list; draw the diagram from it)",
    ),
    Item("2.2", "Base model logic", "the logic of the base model", "3. Process overview; 7"),
    Item(
        "2.3",
        "Scenario logic",
        "how the scenarios differ from the base model",
        "The scenario (parameters that differ from the defaults)",
    ),
    Item("2.4", "Algorithms", "equations and algorithms in the model", "7. Submodels"),
    Item("2.5.1", "Entities", "the entities and their attributes", "2. Entities"),
    Item(
        "2.5.2",
        "Activities",
        "the activities and their durations",
        "3. Process overview; Process parameters",
    ),
    Item(
        "2.5.3",
        "Resources",
        "the resources and their capacities",
        "2. Entities (a provider's capacity is a SimPy resource); Process parameters",
    ),
    Item(
        "2.5.4",
        "Queues",
        "queueing disciplines and reneging",
        "3. Process overview (orders wait for a free provider, bounded by patience; 5.1)",
    ),
    Item(
        "2.5.5",
        "Entry and exit",
        "how entities arrive and leave",
        "7. Submodels: retention (5.10), provider exit (5.12), acquisition (5.13)",
    ),
    Item("3.1", "Data sources", "the data used and where it came from", "6. Input data"),
    Item("3.2", "Pre-processing", "how the data was prepared", "6. Input data (none is read)"),
    Item("3.3", "Input parameters", "every parameter and its value", "Parameters"),
    Item(
        "3.4",
        "Assumptions",
        "the assumptions of the model",
        "7. Submodels (each equation's source or stated assumption)",
    ),
    Item("4.1", "Initialisation", "the start state and warm-up", "5. Initialization"),
    Item("4.2", "Run length", "the length of a run and why", "2. Entities (Scales)"),
    Item(
        "4.3",
        "Estimation approach",
        "replications and how estimates and intervals are computed",
        "4. Design concepts (Observation, Random-number design); The experiment",
    ),
    Item(
        "5.1",
        "Software or programming language",
        "the software and its version",
        "The experiment; How to cite",
    ),
    Item("5.2", "Random sampling", "how random numbers are drawn", "4. Design concepts"),
    Item(
        "5.3",
        "Model execution",
        "the event scheduling and any parallel execution",
        "3. Process overview (SimPy's event list; replications run in separate processes, "
        "with the same results for any number)",
    ),
    Item(
        "5.4",
        "System specification",
        "the machine the experiments ran on",
        "The experiment",
        needs_run=True,
    ),
    Item("6.1", "Computer model sharing statement", "where the code is", "How to cite"),
)
