"""The model: pure judgement functions (attribution, expectations, complaint, satisfaction,
retention, relationship) and the SimPy world that runs them."""
