"""The model described for a paper: the ODD protocol of a scenario, the STRESS-DES checklist and
the citation, assembled from the living specification (MODEL.md 15–16)."""
