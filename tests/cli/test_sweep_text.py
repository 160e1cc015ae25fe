"""What aggsim sweep says before and after it runs (sim.cli.sweep_text)."""

from __future__ import annotations

import pandas as pd

from sim.cli.sweep_text import design_lines, summary_lines


def test_a_grid_shows_every_factors_values_before_it_runs():
    # 0:1:11 is start:stop:count; read as MATLAB's start:step:stop it would be one value
    points = [{"a.x": round(i / 10, 1), "a.kind": kind} for i in range(11) for kind in "pq"]
    lines = design_lines("grid", points, 3)
    assert lines[0] == "design: grid, 22 points x 3 replications = 66 runs"
    assert lines[1] == "  a.x: 0, 0.1, 0.2, ..., 0.9, 1 (11 values)"
    assert lines[2] == "  a.kind: p, q (2 values)"


def test_a_sampled_design_shows_each_factors_range():
    points = [{"a.x": 0.05 + 0.1 * i} for i in range(10)]
    assert design_lines("lhs", points, 2)[1] == "  a.x: 0.05 to 0.95 (10 values)"


def test_the_summary_gives_each_main_kpis_range_and_the_command_that_draws_it(tmp_path):
    rows = [
        {"point": p, "a.x": x, "kpi": kpi, "mean": m, "std": 0, "ci_low": m, "ci_high": m, "n": 2}
        for p, x in enumerate([0.0, 1.0])
        for kpi, m in (("resp", 0.2 + 0.3 * x), ("churn", 0.1 - 0.05 * x), ("other", 9))
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "summary.csv", index=False)
    lines = summary_lines(tmp_path, ["resp", "churn"])
    assert lines[1] == "  resp: 0.2 (x 0) to 0.5 (x 1)"
    assert lines[2] == "  churn: 0.05 (x 1) to 0.1 (x 0)"
    assert lines[-1].startswith(f"next: aggsim plot {tmp_path} --x a.x")
    assert not any("other" in line for line in lines)
