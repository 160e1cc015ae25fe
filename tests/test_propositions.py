"""Virtual experiments for P1-P4 and the behaviours of MODEL.md section 8."""

import pandas as pd
import pytest

from sim.cli import main
from sim.propositions import markdown, paired, shape_findings


def test_a_finding_holds_only_when_its_interval_excludes_zero():
    assert paired("P", "s", "c", [0.10, 0.12, 0.11, 0.13]).holds
    unsure = paired("P", "s", "c", [0.2, -0.1, 0.15, -0.05])
    assert unsure.ci_low < 0 < unsure.ci_high and not unsure.holds
    assert not paired("P", "s", "c", [-0.1, -0.12, -0.11]).holds


def test_the_shape_checks_are_exact_and_hold():
    found = shape_findings()
    assert [f.key for f in found] == ["B4", "B4", "B5"]
    assert all(f.holds and f.n == 1 for f in found)
    assert "exact" in markdown(found, "x", 1)


@pytest.mark.slow
def test_propositions_hold_on_the_baseline_with_cis_excluding_zero(tmp_path, capsys):
    out = tmp_path / "p"
    assert (
        main(
            [
                "propositions",
                "--reps",
                "3",
                "--set",
                "run.days=20",
                "--workers",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    found = pd.read_csv(out / "propositions.csv")
    core = found[found.key.isin(["P1", "P2", "P3", "P4"])]
    assert set(core.key) == {"P1", "P2", "P3", "P4"}
    assert core.holds.all() and (core.ci_low > 0).all()
    assert found.holds.all(), found[~found.holds]
    assert "| P1 |" in (out / "propositions.md").read_text()
    html_page = (out / "propositions.html").read_text()
    assert "P4" in html_page and "<table>" in html_page
    assert "14 of 14 hold." in capsys.readouterr().out
