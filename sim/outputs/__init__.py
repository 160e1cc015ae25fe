"""What results folders hold and show: their files written atomically with a manifest, summary
statistics with confidence intervals, paired comparisons, figures, plots for papers, HTML reports,
the generated references and the plain words of reports and stories (MODEL.md 7).

The layer above the model: it reads KPIs and scenarios, and imports nothing that runs worlds.
"""
