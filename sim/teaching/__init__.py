"""The classroom: ``aggsim demo``, a small world told as stories, and ``aggsim app``, two
platforms side by side in the browser (MODEL.md 13).
"""
