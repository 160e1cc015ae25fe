"""The validation catalogue, by section (MODEL.md 11); :mod:`sim.validation.patterns` joins them."""
