"""The calibration's defaults (MODEL.md 11.1), in a module light enough for the command line's
parser to read without loading the model."""

#: Particles per generation of ABC-SMC: about 15 minutes for the baseline's real targets on two
#: cores with the default calibration world.
POPULATION = 100
#: The most generations; a calibration stops earlier once every statistic lies inside its range.
GENERATIONS = 6
#: The calibration world's customers: a quarter of the baseline's, which keeps a particle to
#: well under a second.
CUSTOMERS = 1000
#: Posterior draws behind a predictive interval.
DRAWS = 40
