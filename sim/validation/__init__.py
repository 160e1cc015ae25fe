"""Pattern-oriented validation of the model: the catalogue, its verdicts, runs and reports
(MODEL.md 11; ``aggsim validate``)."""

#: Paired replications per condition of ``aggsim validate`` and ``aggsim propositions``: enough,
#: on the baseline, for every pattern and every knockout to reach a verdict (MODEL.md 11).
REPLICATIONS = 4
