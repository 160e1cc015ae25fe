"""A command's size is estimated before it starts, from the scenario's own parameters, and a
command too large for the machine is refused in one line unless ``--force`` (issue 11, finding
16). The estimates are checked against the model: orders against a real replication's count,
memory against a real replication's peak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import run_replication
from sim.cli import main
from sim.experiments import budget
from sim.scenario.files import load_scenario
from tests.conftest import python_output

ROOT = Path(__file__).resolve().parents[2]
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
TINY = ["--set", "run.days=2", "--set", "customers.count=200", "--set", "providers.count=3"]
TINY += ["--set", "run.warmup_days=0", "--quiet", "--executor", "inprocess"]


def test_orders_are_estimated_within_a_tenth_of_a_real_replication():
    for key_accounts in (0.05, 0.5):
        scenario = load_scenario(
            None,
            [
                "customers.count=1500",
                "run.days=20",
                "run.warmup_days=0",
                f"customers.key_account_share={key_accounts}",
            ],
        )
        counted = run_replication(scenario, 0).kpis["orders"]
        assert budget.orders_per_run(scenario) == pytest.approx(counted, rel=0.1)


@pytest.mark.slow
def test_the_memory_of_a_replication_is_not_underestimated():
    """The estimate bounds the measured peak of a worker from above, by less than a factor 3."""
    program = (
        "import re\n"
        "from sim import run_replication\n"
        "from sim.scenario.files import load_scenario\n"
        "s = load_scenario(None, ['customers.count=60000', 'providers.count=390', "
        "'run.days=10', 'run.warmup_days=0'])\n"
        "run_replication(s, 0, trace=True)\n"
        # VmHWM, not ru_maxrss: that one keeps the peak of the forking parent across exec.
        "status = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1]) * 1024)\n"
    )
    measured = int(python_output(program).split()[-1])
    scenario = load_scenario(
        None, ["customers.count=60000", "providers.count=390", "run.days=10", "run.warmup_days=0"]
    )
    estimated = budget.run_memory(scenario, trace=True)
    assert measured <= estimated < 3 * measured, (measured, estimated)


def test_a_sweep_streams_its_runs_so_its_memory_does_not_grow_with_replications():
    scenario = load_scenario(None)
    few = budget.estimate(scenario, [{}], 10, workers=2, collected=False)
    many = budget.estimate(scenario, [{}], 10_000, workers=2, collected=False)
    assert few.memory_bytes == many.memory_bytes and many.runs == 10_000
    kept = budget.estimate(scenario, [{}], 10_000, workers=2, collected=True)
    assert kept.memory_bytes > many.memory_bytes


def test_check_says_the_size_and_refuses_one_too_large(capsys):
    assert main(["check", BASELINE]) == 0
    out = capsys.readouterr().out
    assert "size: 10 run(s), about 663,143 orders" in out
    too_big = ["--set", "customers.count=1000000", "--set", "run.days=3650"]
    assert main(["check", BASELINE, *too_big]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "more than 24 hours of CPU" in err[0]
    assert main(["check", BASELINE, "--set", "run.replications=100000"]) == 2
    assert "more than 24 hours of CPU" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["run", BASELINE, "--set", "customers.count=1000000", "--set", "run.days=3650"],
        ["run", BASELINE, "--set", "run.replications=100000"],
        ["sweep", BASELINE, "--vary", "customers.count=1000000,999999", "--set", "run.days=3650"],
        ["compare", BASELINE, BASELINE, "--reps", "100000"],
    ],
)
def test_a_command_too_large_is_one_line_exit_2_and_writes_nothing(args, tmp_path, capsys):
    out = tmp_path / "out"
    assert main([*args, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "or add --force to go on" in err[0]
    assert not out.exists()


def test_force_goes_on(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(budget, "MAX_CPU_HOURS", 0.0)  # every command is now too large
    assert main(["run", *TINY, "--out", str(tmp_path / "refused")]) == 2
    assert "more than 0 hours of CPU" in capsys.readouterr().err
    assert main(["run", *TINY, "--out", str(tmp_path / "forced"), "--force"]) == 0
    assert json.loads((tmp_path / "forced" / "manifest.json").read_text())


def test_machine_memory_is_a_limit(monkeypatch):
    monkeypatch.setattr(budget, "machine_memory", lambda: 1e9)
    scenario = load_scenario(None, ["customers.count=1000000"])
    refused = budget.over_limits(budget.estimate(scenario, workers=2))
    assert refused == ["more memory than this machine can give (80% of 1 GB)"]


@pytest.mark.parametrize(
    ("sweep_table", "expected"),
    [
        ('[sweep.vary]\n"aggregator.intermediation" = "0:1:100000000"', "from 1 to 10,000"),
        (
            'design = "lhs"\nsamples = 1000000000\n[sweep.vary]\n'
            '"aggregator.intermediation" = "0..1"',
            "the lhs design would have 1,000,000,000 points, more than 1,000,000",
        ),
        (
            '[sweep.vary]\n"aggregator.intermediation" = "0:1:1000"\n'
            '"customers.individualism" = "0:1:1001"',
            "the grid design would have 1,001,000 points",
        ),
    ],
)
def test_a_design_is_bounded_before_any_point_is_made(sweep_table, expected, tmp_path, capsys):
    study = tmp_path / "study.toml"
    study.write_text(f'name = "study"\n[sweep]\n{sweep_table}\n')
    assert main(["check", str(study)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]


def test_a_description_is_bounded(capsys):
    assert main(["check", BASELINE, "--set", f"description={'x' * 10_001}"]) == 2
    assert "at most 10000 characters" in capsys.readouterr().err
