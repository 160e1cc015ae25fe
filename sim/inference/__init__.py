"""Calibration with uncertainty: approximate Bayesian computation over the calibrated parameters
(MODEL.md 11.1, ``aggsim calibrate``).

- :mod:`sim.inference.defaults`: the defaults of population, generations, world and draws;
- :mod:`sim.inference.priors`: the calibrated parameters and their priors;
- :mod:`sim.inference.statistics`: the calibration set's statistics, measured on a small world;
- :mod:`sim.inference.smc`: ABC-SMC with pyabc, reproducible whatever the executor;
- :mod:`sim.experiments.posterior`: the posterior written, read, summarised and drawn from;
- :mod:`sim.inference.predictive`: predictive intervals of the validation patterns;
- :mod:`sim.inference.figures`: its marginals, diagnostics and predictive checks;
- :mod:`sim.inference.report`: the calibration's folder and its Markdown;
- :mod:`sim.inference.pages`: the HTML pages of calibration and validation folders (no pyabc);
- :mod:`sim.inference.roundtrip`: recovering known parameters from synthetic targets;
- :mod:`sim.cli.calibrate`: ``aggsim calibrate``.
"""
