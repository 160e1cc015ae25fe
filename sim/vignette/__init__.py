"""Virtual vignette studies: from the model to a study's data and back (MODEL.md 12).

- :mod:`~sim.vignette.design` reads a study's design file;
- :mod:`~sim.vignette.story`, :mod:`~sim.vignette.constructs`: what a respondent reads and the
  latent judgements the model forms of it;
- :mod:`~sim.vignette.measurement`: Likert items of a stated reliability;
- :mod:`~sim.vignette.simulate`: a simulated study; :mod:`~sim.vignette.analysis`: its ANOVA and
  effect tests; :mod:`~sim.vignette.folder`, :mod:`~sim.vignette.codebook`: its files;
- :mod:`~sim.vignette.power`: power by simulation;
- :mod:`~sim.vignette.data`, :mod:`~sim.vignette.fit`, :mod:`~sim.vignette.fitted_scenario`:
  reading a real dataset, fitting the judgement model to it, and the fitted scenario file.
"""
