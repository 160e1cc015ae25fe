"""Experiments on the model: replications and the executors that run them, sweeps over designs,
sensitivity analyses, warm-up, size budgets, the fits of the behavioural defaults, EMA Workbench,
and replications drawn from a posterior (MODEL.md 7–10).

The layer above the model and the outputs: it runs worlds and writes their folders, and imports
nothing of the studies, the classroom or the command line.
"""
