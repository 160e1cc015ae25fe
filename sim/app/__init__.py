"""The live classroom (``aggsim app``): two platforms side by side in the browser.

:mod:`sim.app.live`, :mod:`sim.app.classroom`, :mod:`sim.app.feed`, :mod:`sim.app.predictions` and
:mod:`sim.app.export` hold the state and the logic and need only the core dependencies;
:mod:`sim.app.plots`, :mod:`sim.app.page` and the command need Panel (the extra ``[app]``).
"""
