"""The live classroom (``aggsim app``): two platforms side by side in the browser.

:mod:`sim.teaching.app.live`, :mod:`sim.teaching.app.classroom`, :mod:`sim.teaching.app.feed`,
:mod:`sim.teaching.app.predictions` and
:mod:`sim.teaching.app.export` hold the state and the logic and need only the core dependencies;
:mod:`sim.teaching.app.plots`, :mod:`sim.teaching.app.page` and the command need Panel (the extra
``[app]``).
"""
