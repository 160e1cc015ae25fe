"""The model: pure judgement functions (attribution, expectations, complaint, satisfaction,
retention, relationship), the failure episode that applies them, and the SimPy world — the order
pipeline and its clock — that runs them (MODEL.md 3–5, 7, 14).

It imports only the scenario (and the errors every layer may raise).
"""
