"""The ``aggsim`` command as a user runs it: outputs, determinism, errors, interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import EPISODE_COLUMNS, KPI_COLUMNS, TIMESERIES_COLUMNS
from sim.cli import main
from sim.outputs.figures import FIGURE_NAMES
from sim.outputs.results import atomic_write
from sim.outputs.statistics import SUMMARY_COLUMNS
from tests.conftest import assert_user_error, python_output, widest_line

ROOT = Path(__file__).resolve().parents[2]
QUICK = [
    *("--set", "run.days=4", "--set", "customers.count=300", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0"),
]


def aggsim(*args: str) -> int:
    return main(list(args))


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("run") / "out"
    assert (
        aggsim(
            "run",
            "--reps",
            "3",
            "--workers",
            "1",
            "--trace",
            "--quiet",
            "--out",
            str(folder),
            *QUICK,
        )
        == 0
    )
    return folder


def test_run_writes_every_output(run_folder):
    names = {p.relative_to(run_folder).as_posix() for p in run_folder.rglob("*") if p.is_file()}
    expected = {
        "manifest.json",
        "scenario.toml",
        "replications.csv",
        "replications.parquet",
        "summary.csv",
        "timeseries.parquet",
        "episodes.parquet",
        *(f"figures/{name}" for name in FIGURE_NAMES),
    }
    assert names == expected


def test_tables_read_back_in_pandas(run_folder):
    csv = pd.read_csv(run_folder / "replications.csv")
    parquet = pd.read_parquet(run_folder / "replications.parquet")
    assert list(csv.columns) == list(KPI_COLUMNS) == list(parquet.columns)
    assert csv.replication.tolist() == [0, 1, 2]
    pd.testing.assert_frame_equal(csv, parquet, check_dtype=False)
    summary = pd.read_csv(run_folder / "summary.csv")
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    row = summary.set_index("kpi").loc["failure_rate"]
    assert row.ci_low < row["mean"] < row.ci_high and row.n == 3
    timeseries = pd.read_parquet(run_folder / "timeseries.parquet")
    assert list(timeseries.columns) == list(TIMESERIES_COLUMNS) and len(timeseries) == 3 * 4
    episodes = pd.read_parquet(run_folder / "episodes.parquet")
    assert list(episodes.columns) == list(EPISODE_COLUMNS)
    assert len(episodes) == csv.failures.sum()


def test_figures_are_pngs(run_folder):
    for name in FIGURE_NAMES:
        assert (run_folder / "figures" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_manifest_records_what_reproduces_the_run(run_folder):
    manifest = json.loads((run_folder / "manifest.json").read_text())
    assert manifest["root_seed"] == 12345 and manifest["replications"] == 3
    assert manifest["scenario"]["run"]["days"] == 4
    assert manifest["overrides"][:2] == ["run.days=4", "customers.count=300"]
    assert set(manifest["replication_seconds"]) == {"0", "1", "2"}
    assert manifest["versions"]["simpy"] and manifest["versions"]["numpy"]
    assert manifest["versions"]["SALib"]  # the sensitivity analysis depends on it too
    assert manifest["started_at"] <= manifest["finished_at"]
    assert "code" in manifest and "command" in manifest
    assert "replications.csv" in manifest["files"]


def test_the_resolved_scenario_reruns_to_the_same_results(run_folder, tmp_path):
    again = tmp_path / "again"
    assert (
        aggsim(
            "run",
            str(run_folder / "scenario.toml"),
            "--workers",
            "1",
            "--trace",
            "--quiet",
            "--out",
            str(again),
        )
        == 0
    )
    assert (again / "replications.csv").read_bytes() == (
        run_folder / "replications.csv"
    ).read_bytes()


def test_same_command_twice_gives_byte_identical_results(tmp_path):
    for name in ("a", "b"):
        assert (
            aggsim(
                "run",
                "--reps",
                "2",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(tmp_path / name),
                *QUICK,
            )
            == 0
        )
    assert (tmp_path / "a/replications.csv").read_bytes() == (
        tmp_path / "b/replications.csv"
    ).read_bytes()


def test_two_workers_give_the_same_results_as_one(run_folder, tmp_path):
    assert (
        aggsim(
            "run",
            "--reps",
            "3",
            "--workers",
            "2",
            "--trace",
            "--quiet",
            "--out",
            str(tmp_path / "two"),
            *QUICK,
        )
        == 0
    )
    one, two = run_folder, tmp_path / "two"
    assert (two / "replications.csv").read_bytes() == (one / "replications.csv").read_bytes()
    pd.testing.assert_frame_equal(
        pd.read_parquet(one / "episodes.parquet"), pd.read_parquet(two / "episodes.parquet")
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(one / "timeseries.parquet"), pd.read_parquet(two / "timeseries.parquet")
    )


def test_the_default_folder_is_results_name_timestamp(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert (
        aggsim(
            "run",
            str(ROOT / "scenarios" / "surge_pricing.toml"),
            "--reps",
            "1",
            "--workers",
            "1",
            "--quiet",
            *QUICK,
        )
        == 0
    )
    (folder,) = (tmp_path / "results" / "surge_pricing").iterdir()
    assert folder.name.endswith("Z") and (folder / "manifest.json").exists()
    assert f"results: {folder.relative_to(tmp_path)}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "nowhere.toml"], "nowhere.toml: no such file"),
        (["run", "--set", "aggregator.intermediation=2"], "--set: aggregator.intermediation"),
        (["run", "--set", "bogus"], "expected KEY=VALUE"),
        (["run", "--reps", "0"], "expected at least 1"),
        (["run", "--seed", "-1"], "expected a number from 0"),
        (["run", "--workers", "two"], "expected a whole number"),
        (["check", "nowhere.toml"], "no such file"),
        (["frobnicate"], "invalid choice"),
        (["validate", "--pattern", "P9"], "--pattern: P9: unknown pattern"),
        (["run", "--set", "name=../../escaped"], "name: expected a string, got '../../escaped'"),
        (["run", "--set", "customers.count=true"], "true and false are not numbers"),
        (["sweep", "--vary", "aggregator.intermediation=nan,0.5"], "expected finite numbers"),
        (["sweep", "--vary", "run.days=1:inf:3"], "expected a finite number, got 'inf'"),
        (
            [
                "sweep",
                "--vary",
                "aggregator.intermediation=0,1",
                "--vary",
                "aggregator.intermediation=0.5",
            ],
            "varied more than once",
        ),
        (
            [
                "sweep",
                "--vary",
                "aggregator.intermediation=0,1",
                "--target-ci",
                "customer_churn_rate=inf",
            ],
            "expected a positive half-width",
        ),
        (["propositions", "--pattern", "tarp_grid"], "--pattern: tarp_grid: unknown pattern"),
        (["validate", "--reps", "4", "--max-reps", "2"], "--max-reps: expected at least --reps"),
        (["validate", "--max-reps", "0"], "--max-reps: expected at least 1, got 0"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(args, expected, tmp_path):
    assert_user_error(args, expected, cwd=tmp_path)
    assert not (tmp_path / "results").exists()


def test_a_folder_that_holds_results_is_not_overwritten(run_folder, capsys):
    before = (run_folder / "replications.csv").read_bytes()
    assert aggsim("run", "--out", str(run_folder), "--quiet", *QUICK) == 2
    assert "already holds the results of a run" in capsys.readouterr().err
    assert (run_folder / "replications.csv").read_bytes() == before


def test_check_params_and_schema(capsys, tmp_path):
    assert aggsim("check", str(ROOT / "scenarios" / "b2b_marketplace.toml")) == 0
    assert "valid scenario 'b2b_marketplace'" in capsys.readouterr().out
    assert aggsim("params") == 0
    table = capsys.readouterr().out
    assert "aggregator.intermediation = 0.6" in table and "a number from 0 to 1" in table
    assert max(map(len, table.splitlines())) <= 80, "fitted to the terminal"
    assert aggsim("params", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"key", "default", "minimum", "maximum", "unit", "meaning"} <= set(rows[0])
    assert aggsim("params", "--format", "markdown") == 0
    assert capsys.readouterr().out.startswith("| key | default |")
    assert aggsim("schema") == 0
    schema = json.loads(capsys.readouterr().out)
    assert "extends" in schema["properties"] and "aggregator" in schema["properties"]


def test_help_does_not_import_the_heavy_modules():
    code = (
        "import sys, sim.cli; sim.cli.build_parser(); "
        "print(sorted(m for m in ('numpy', 'pandas', 'simpy', 'scipy', 'matplotlib', 'pydantic') "
        "if m in sys.modules))"
    )
    assert python_output(code).strip() == "[]"


@pytest.mark.slow
def test_ctrl_c_stops_the_run_and_leaves_no_half_written_file(tmp_path):
    out = tmp_path / "interrupted"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "run",
            "--reps",
            "200",
            "--workers",
            "2",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(4.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    # 130, or death by SIGINT itself, which a shell also reports as 130: CPython ends a process
    # that way when the interrupt fell inside an exec of source text (a dataclass being made)
    assert process.returncode in (130, -signal.SIGINT), stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not out.exists(), "a run is all or nothing: an interrupted one leaves no folder"


def test_an_interrupted_write_leaves_neither_file_nor_fragment(tmp_path):
    target = tmp_path / "table.csv"

    def write_then_fail(path: Path) -> None:
        path.write_text("half,")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, write_then_fail)
    assert list(tmp_path.iterdir()) == []


def test_the_parser_offers_exactly_the_sweep_designs():
    from sim.cli.options import DESIGN_NAMES
    from sim.experiments.designs import DESIGNS

    assert DESIGN_NAMES == DESIGNS


def test_validate_reports_every_pattern_with_its_knockout(tmp_path, capsys):
    out = tmp_path / "v"
    chosen = ("--pattern", "P1", "--pattern", "justice_order", "--pattern", "shared_blame")
    chosen += ("--pattern", "consumer_churn")
    assert (
        aggsim("validate", *chosen, "--reps", "2", "--workers", "1", "--out", str(out), *QUICK) == 0
    )
    table = pd.read_csv(out / "validation.csv")
    assert list(table.key) == ["P1", "justice_order", "shared_blame", "consumer_churn"]
    # validation against outside evidence and verification of the code, reported apart
    assert list(table.kind) == ["verification"] * 3 + ["validation"]
    assert table.set_index("key").loc["consumer_churn", "evidence"] == "does, held out"
    report = (out / "validation.md").read_text()
    assert report.index("## Validation") < report.index("## Verification")
    assert "Validation: " in report and "held out" in report
    assert set(table.verdict) <= {"holds", "does not hold", "inconclusive"}
    assert {"knockout_verdict", "falsification", "ci_low", "ci_high", "target"} <= set(table)
    printed = capsys.readouterr().out
    assert "distinct simulated conditions" in printed and "\njustice_order " in printed
    assert widest_line(printed) <= 80, "fitted to the terminal"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["aggsim"] == "validation" and manifest["patterns"] == list(table.key)
    assert (out / "validation.html").exists() and (out / "figures" / "patterns.png").exists()


def test_propositions_is_the_propositions_view_of_the_catalogue(tmp_path):
    from sim.validation.patterns import pattern_keys

    out = tmp_path / "p"
    only = ("--pattern", "P4", "--pattern", "justice_order")
    assert (
        aggsim(
            "propositions",
            *only,
            "--reps",
            "2",
            "--workers",
            "1",
            "--out",
            str(out),
            "--quiet",
            *QUICK,
        )
        == 0
    )
    table = pd.read_csv(out / "propositions.csv")
    assert list(table.key) == ["P4", "justice_order"] and set(table.key) <= set(
        pattern_keys(propositions_only=True)
    )


def test_a_verdict_follows_the_scenario_under_test(tmp_path):
    weak = ("--set", "satisfaction.distributive_weight=0.05")
    for name, extra in (("defaults", ()), ("weak", weak)):
        out = tmp_path / name
        args = ("--pattern", "justice_order", "--out", str(out), "--quiet")
        assert aggsim("validate", *args, *extra, *QUICK) == 0
    verdict = {
        name: pd.read_csv(tmp_path / name / "validation.csv").verdict.item()
        for name in ("defaults", "weak")
    }
    assert verdict == {"defaults": "holds", "weak": "does not hold"}


BAD_PLACES = ["a_file", "a_file/below", "/dev/null", "/proc/no/such"]


@pytest.mark.parametrize(
    ("command", "place"),
    [
        (command, place)
        for command in ("sweep", "sensitivity", "merge", "validate")
        for place in BAD_PLACES
        # merge checks its shards before it tries to create a folder under /proc
        if not (command == "merge" and place.startswith("/proc"))
    ],
)
def test_an_output_folder_that_cannot_be_one_is_one_line_exit_2(command, place, tmp_path, capsys):
    (tmp_path / "a_file").write_text("not a folder")
    out = place if place.startswith("/") else str(tmp_path / place)
    args = {
        "sweep": ["sweep", "--vary", "aggregator.intermediation=0,1", "--out", out, *QUICK],
        "sensitivity": ["sensitivity", "--vary", "aggregator.intermediation=0..1", "--out", out],
        "merge": ["merge", out, "no_such_shard"],
        "validate": ["validate", "--pattern", "justice_order", "--out", out, *QUICK],
    }[command]
    assert aggsim(*args) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and ("--out:" in error[0] or "OUT:" in error[0]), error
    assert (tmp_path / "a_file").read_text() == "not a folder"


def test_a_report_page_goes_to_a_file_in_a_usable_folder(run_folder, tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    for out in (tmp_path, tmp_path / "a_file" / "page.html"):
        assert aggsim("report", str(run_folder), "--out", str(out)) == 2
        assert "--out:" in capsys.readouterr().err


BASELINE = str(ROOT / "scenarios" / "baseline.toml")
VARY = ["--vary", "aggregator.intermediation=0..1"]
WRITERS = {
    "run": ["run", *QUICK],
    "sweep": ["sweep", *QUICK, "--vary", "aggregator.intermediation=0,1"],
    "sweep --resume": ["sweep", *QUICK, "--vary", "aggregator.intermediation=0,1", "--resume"],
    "sensitivity": ["sensitivity", *QUICK, *VARY, "--vary", "customers.individualism=0..1"],
    "compare": ["compare", BASELINE, BASELINE, *QUICK],
    "validate": ["validate", *QUICK, "--pattern", "P1"],
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_folder_in_use_by_another_command_is_refused_naming_the_holder(command, tmp_path, capsys):
    import fcntl

    folder = tmp_path / "busy"
    folder.mkdir()
    lock = folder / ".aggsim.lock"
    held = os.open(lock, os.O_RDWR | os.O_CREAT)  # another command holds the folder
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(held, b"pid 4242 (aggsim sweep)")
    try:
        assert aggsim(*WRITERS[command], "--out", str(folder), "--quiet") == 2
    finally:
        lock.unlink()
        os.close(held)
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "in use by pid 4242 (aggsim sweep)" in error[0]
    assert list(folder.iterdir()) == [], "nothing written into a folder in use"


def test_a_released_folder_takes_the_run_and_no_lock_file_is_left(tmp_path):
    folder = tmp_path / "released"
    folder.mkdir()
    (folder / ".aggsim.lock").write_text("pid 4242 (aggsim run)")  # left by a killed command
    assert aggsim("run", "--out", str(folder), "--quiet", *QUICK) == 0
    assert (folder / "manifest.json").exists() and not (folder / ".aggsim.lock").exists()


@pytest.mark.slow
def test_two_runs_into_one_folder_at_once_never_mix_their_tables(tmp_path):
    folder = tmp_path / "race"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "sim.cli", "run", "--out", str(folder), "--quiet", *QUICK]
    runs = [
        subprocess.Popen([*command, "--seed", str(s)], env=env, stderr=subprocess.PIPE, text=True)
        for s in (1, 2)
    ]
    codes = sorted(p.wait() for p in runs)
    assert codes == [0, 2]
    seed = json.loads((folder / "manifest.json").read_text())["scenario"]["run"]["seed"]
    rerun = tmp_path / "alone"
    assert aggsim("run", "--out", str(rerun), "--quiet", "--seed", str(seed), *QUICK) == 0
    assert (folder / "replications.csv").read_bytes() == (rerun / "replications.csv").read_bytes()


def test_a_run_into_a_folder_left_by_an_interrupted_command_is_refused(tmp_path, capsys):
    folder = tmp_path / "interrupted"
    (folder / "parts").mkdir(parents=True)
    (folder / "sweep.json").write_text("{}")  # what a sweep killed before its manifest leaves
    assert aggsim("run", "--out", str(folder), "--quiet", *QUICK) == 2
    assert "the folder is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["parts", "sweep.json"]


def test_an_internal_fault_is_one_line_exit_1_and_debug_shows_where(monkeypatch, capsys):
    from sim.cli import scenario

    def broken(args):
        raise RuntimeError("something the code did not expect\nsecond line")

    monkeypatch.setattr(scenario, "command_params", broken)
    assert aggsim("params") == 1
    err = capsys.readouterr().err
    assert err == (
        "aggsim: error: internal error: RuntimeError: something the code did not expect "
        "(run again with --debug for the traceback)\n"
    )
    for args in (["--debug", "params"], ["params", "--debug"]):
        assert aggsim(*args) == 1
        err = capsys.readouterr().err
        assert err.startswith("Traceback") and "in broken" in err
        assert err.splitlines()[-1].startswith("aggsim: error: internal error: RuntimeError")


def test_a_refusal_by_the_machine_is_one_line_exit_1(monkeypatch, capsys):
    import errno

    from sim.cli import scenario

    def full(args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "results/x/runs.parquet")

    monkeypatch.setattr(scenario, "command_params", full)
    assert aggsim("params") == 1
    assert capsys.readouterr().err == (
        "aggsim: error: results/x/runs.parquet: No space left on device; files already written "
        "are complete\n"
    )


def limited_files(max_bytes: int):
    """A ``preexec_fn`` that caps the size of any file the process writes, as a full disk does:
    a write past it fails with EFBIG (Python ignores SIGXFSZ)."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))


@pytest.mark.slow
def test_a_disk_that_fills_is_one_line_and_loses_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    aggsim_command = [sys.executable, "-m", "sim.cli"]
    run = subprocess.run(
        [*aggsim_command, "run", "--out", str(tmp_path / "run"), "--quiet", "--reps", "2", *QUICK],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=limited_files(20_000),
    )
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1 and "File too large" in run.stderr, run.stderr
    assert not (tmp_path / "run").exists(), "a run is all or nothing"
    # A sweep keeps what it finished and completes with --resume once there is room.
    sweep = [*aggsim_command, "sweep", "--quiet", "--executor", "inprocess", *QUICK]
    sweep += ["--vary", "aggregator.intermediation=0:1:5", "--out", str(tmp_path / "sweep")]
    full = subprocess.run(
        sweep, env=env, capture_output=True, text=True, preexec_fn=limited_files(30_000)
    )
    assert full.returncode == 1 and full.stderr.count("\n") == 1, full.stderr
    assert "File too large" in full.stderr and "--resume" in full.stderr
    assert not (tmp_path / "sweep" / "manifest.json").exists()
    assert not list((tmp_path / "sweep").rglob("*.part"))
    resumed = subprocess.run([*sweep, "--resume"], env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    whole = subprocess.run(
        [*sweep[:-1], str(tmp_path / "whole")], env=env, capture_output=True, text=True
    )
    assert whole.returncode == 0, whole.stderr
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "sweep" / "runs.parquet").drop(columns="seconds"),
        pd.read_parquet(tmp_path / "whole" / "runs.parquet").drop(columns="seconds"),
    )


def test_every_command_and_option_explains_itself_within_the_terminal(monkeypatch):
    import argparse

    from sim.cli import build_parser

    monkeypatch.setenv("COLUMNS", "80")
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        assert command.description, f"{name} has no description"
        for action in command._actions:
            assert action.help, f"{name} {'/'.join(action.option_strings) or action.dest}"
        text = command.format_help()
        assert "%%" not in text, name
        assert max(map(len, text.splitlines())) <= 80, name


def test_the_progress_bar_shrinks_before_a_word_is_cut():
    import io
    import re

    from tqdm import tqdm

    from sim.cli.progress import PROGRESS_FORMAT

    for columns in (60, 200):
        out = io.StringIO()
        bar = tqdm(total=96, desc="baseline", unit="runs", file=out, ncols=columns)
        bar.bar_format = PROGRESS_FORMAT
        bar.set_postfix(points="3/24", failed=0, refresh=False)
        bar.update(12)
        bar.refresh()
        bar.close()
        shown = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out.getvalue()).split("\r")[-2]
        assert "baseline: 12/96 runs, failed=0, points=3/24 [" in shown
        assert len(shown.rstrip("\n")) <= columns


def test_run_says_it_leaves_a_study_files_sweep_aside(tmp_path, capsys):
    study = tmp_path / "study.toml"
    study.write_text('name = "study"\n[sweep.vary]\n"aggregator.intermediation" = "0:1:3"\n')
    out = tmp_path / "out"
    assert aggsim("run", str(study), "--reps", "1", "--quiet", "--out", str(out), *QUICK) == 0
    assert "its [sweep] table is for aggsim sweep" in capsys.readouterr().err


def test_run_figures_have_bands_across_replications_and_no_twin_axes(monkeypatch):
    from sim.outputs import figures
    from sim.scenario.files import load_scenario

    drawn = []
    monkeypatch.setattr(
        figures, "save_figure", lambda save, fig, path, plt: drawn.append(fig) or path.name
    )
    scenario = load_scenario(None, ["customers.count=300", "run.days=4", "run.warmup_days=0"])
    from sim import run_replication

    timeseries = pd.concat([run_replication(scenario, r).timeseries for r in range(3)])
    figures.write_figures(timeseries, Path("unused"), "t", save=None)
    assert len(drawn) == 3
    for fig in drawn:
        for ax in fig.axes:
            lines = ax.get_lines()
            assert lines and len(ax.collections) == len(lines), "a band for every line"
            assert ax.get_legend() is None  # legends sit outside the data
        assert fig.legends
    assert any("[currency]" in ax.get_ylabel() for fig in drawn for ax in fig.axes)


def test_a_stop_that_a_library_turns_into_another_error_is_still_a_stop(monkeypatch, capsys):
    """Ctrl-C while numpy's C extension initialises surfaces as ``ImportError: initialization
    failed``: the command reports the stop (130), not an internal error."""
    from sim.cli import scenario

    def interrupted_import(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the handler raises here
        except KeyboardInterrupt:
            raise ImportError("initialization failed") from None

    monkeypatch.setattr(scenario, "command_schema", interrupted_import)
    assert main(["schema"]) == 130
    assert "interrupted" in capsys.readouterr().err
    monkeypatch.setattr(scenario, "command_schema", lambda args: 1 / 0)
    assert main(["schema"]) == 1, "without a stop, an error is an internal error"
    assert "internal error: ZeroDivisionError" in capsys.readouterr().err


def test_a_new_command_is_one_module_and_one_line_in_the_table(monkeypatch, capsys):
    """A module that adds its parser with a handler, named in :data:`sim.cli.GROUPS`, is a
    command: listed by --help, run, and its errors one line with exit code 2 like every other."""
    import types

    import sim.cli
    from sim.errors import UserError

    def command_hello(args) -> int:
        if args.name == "nobody":
            raise UserError("NAME: nobody: expected somebody")
        print(f"hello, {args.name}")
        return 0

    def add_commands(commands) -> None:
        hello = commands.add_parser("hello", help="say hello")
        hello.add_argument("name")
        hello.set_defaults(handler=command_hello)

    module = types.ModuleType("sim.cli.hello")
    module.add_commands = add_commands  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sim.cli.hello", module)
    with pytest.raises(SystemExit) as unknown:  # not registered yet: a usage error
        aggsim("hello", "world")
    assert unknown.value.code == 2 and "invalid choice: 'hello'" in capsys.readouterr().err
    monkeypatch.setattr(sim.cli, "GROUPS", (*sim.cli.GROUPS, "hello"))
    assert aggsim("hello", "world") == 0
    assert capsys.readouterr().out == "hello, world\n"
    assert aggsim("hello", "nobody") == 2
    assert capsys.readouterr().err == "aggsim: error: NAME: nobody: expected somebody\n"
    with pytest.raises(SystemExit):
        aggsim("--help")
    assert "say hello" in capsys.readouterr().out


@pytest.mark.slow
def test_validate_strict_exits_3_when_a_pattern_is_not_shown_to_hold(tmp_path, capsys):
    """A CI job gates on --strict: exit 0 when every chosen pattern holds and fails under its
    knockout, 3 (one line on stderr) otherwise; without --strict the same run exits 0."""
    tiny = [*QUICK, "--set", "run.days=3", "--executor", "inprocess", "--quiet"]
    holds = ["validate", "--pattern", "P1", "--reps", "2", "--strict", *tiny]
    assert aggsim(*holds, "--out", str(tmp_path / "p1")) == 0
    undefined = ["validate", "--pattern", "surge_odds", "--reps", "2", *tiny]
    assert aggsim(*undefined, "--out", str(tmp_path / "lax")) == 0
    capsys.readouterr()
    assert aggsim(*undefined, "--strict", "--out", str(tmp_path / "strict")) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "surge_odds" in err[0] and err[0].endswith("exit 3")
    manifest = json.loads((tmp_path / "strict" / "manifest.json").read_text())
    assert manifest["scenario"]["run"]["replications"] == 2, "the replications it ran"


def test_an_unsettled_verdict_comes_with_the_command_that_settles_it(tmp_path):
    from sim.validation.report import attention

    class Result:  # a pattern inconclusive at its spread after every look
        def __init__(self):
            self.pattern = type("P", (), {"key": "tarp_grid", "statement": "Grid"})()
            self.model = type("M", (), {"verdict": "inconclusive"})()
            self.falsification = "falsifiable"
            self.settles_at = 40

    rerun = "aggsim validate scenarios/b2b_marketplace.toml --set run.days=30"
    (note,) = [n for n in attention([Result()], rerun) if "settle" in n]
    assert note.endswith(f"{rerun} --pattern tarp_grid --max-reps 40")


@pytest.mark.slow
def test_compare_explains_its_variance_reduction_and_names_a_difference_without_spread(
    tmp_path, capsys
):
    low, high = (ROOT / "scenarios" / f"{k}_intermediation.toml" for k in ("low", "high"))
    argv = ["compare", str(low), str(high), "--reps", "2", "--executor", "inprocess", *QUICK]
    assert aggsim(*argv, "--out", str(tmp_path / "c")) == 0
    out = capsys.readouterr().out
    assert "var. red.: how much common random numbers shrank the variance of B - A" in out
    # no provider is sanctioned in either world: the difference is 0 in every replication
    table = pd.read_csv(tmp_path / "c" / "comparison.csv").set_index("kpi")
    assert table.loc["providers_sanctioned", ["ci_low", "ci_high"]].eq(0).all()
    assert "same in every rep." in out and "(0.0 to 0.0)" not in out


def test_a_stopped_command_names_resume_only_where_it_resumes(capsys):
    from sim.cli import Terminated, _stopped

    assert _stopped(KeyboardInterrupt(), "app") == 130
    assert capsys.readouterr().err == "aggsim: interrupted; no half-written file is left\n"
    assert _stopped(Terminated(), "sweep") == 143
    assert "(aggsim sweep continues with --resume)" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["validate", "propositions"])
def test_a_verdict_from_one_replication_is_refused(command, tmp_path):
    """One replication has no spread to put an interval on: it gave zero-width "95% CIs" and
    verdicts; at least two are asked for, in one line."""
    out = tmp_path / "one"
    assert_user_error([command, "--reps", "1", "--out", str(out)], "at least 2", tmp_path)
    assert not out.exists()
