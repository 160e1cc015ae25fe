"""Pattern-oriented validation of the model: the catalogue, its verdicts, runs and reports
(MODEL.md 11; ``aggsim validate``)."""

#: Paired replications per condition of ``aggsim validate`` and ``aggsim propositions`` at the
#: first look (MODEL.md 11).
REPLICATIONS = 4
#: How many times as many a condition may get where a verdict is still unsettled
#: (``--max-reps``; :mod:`sim.validation.sequential`): looks at 4, 8 and 16 by default.
MOST_FACTOR = 4
