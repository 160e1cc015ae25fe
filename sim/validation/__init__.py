"""Pattern-oriented validation of the model: the catalogue, its verdicts, runs and reports
(MODEL.md 11; ``aggsim validate``)."""
