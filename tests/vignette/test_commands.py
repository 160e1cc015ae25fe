"""``aggsim vignette``, ``power`` and ``fit`` from the command line: real files that pandas and R
read back, a fitted scenario that runs, and one line with exit 2 for every bad design or
dataset."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pandas as pd
import pytest

from sim.cli import main
from tests.conftest import assert_user_error
from tests.vignette.conftest import STUDIES, TWO_CELLS

RSCRIPT = shutil.which("Rscript")


@pytest.fixture(scope="module")
def study_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vignette") / "study"
    assert (
        main(
            [
                "vignette",
                str(STUDIES / "intermediation_by_cause.toml"),
                "--quiet",
                "--out",
                str(folder),
            ]
        )
        == 0
    )
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("design", sorted(STUDIES.glob("*.toml")), ids=lambda p: p.stem)
def test_every_study_design_runs_and_opens_with_what_it_is(design, tmp_path):
    assert design.read_text().lstrip().startswith("#"), "each study says what it is modelled on"
    out = tmp_path / "out"
    assert main(["vignette", str(design), "--n", "10", "--quiet", "--out", str(out)]) == 0
    assert (out / "manifest.json").exists()


def test_the_study_folder_holds_the_dataset_codebook_analysis_and_manifest(study_folder):
    manifest = json.loads((study_folder / "manifest.json").read_text())
    assert manifest["aggsim"] == "vignette"
    assert sorted(manifest["files"]) == sorted(
        p.name for p in study_folder.iterdir() if p.name not in ("manifest.json", ".aggsim.lock")
    )
    csv = pd.read_csv(study_folder / "respondents.csv")
    parquet = pd.read_parquet(study_folder / "respondents.parquet")
    assert len(csv) == len(parquet) == 240
    assert (
        csv.control_1.dtype.kind == "i" and csv.failure_cause.isin(["provider", "aggregator"]).all()
    )
    codebook = pd.read_csv(study_folder / "codebook.csv")
    assert list(codebook.column) == list(csv.columns)
    effects = pd.read_csv(study_folder / "effects.csv").set_index("effect")
    assert effects.loc[["control", "P1", "P2", "P3", "P4"], "supported"].eq("yes").all()
    assert set(pd.read_csv(study_folder / "anova.csv").measure) == {
        "control",
        "responsibility",
        "compensation",
        "punishment",
    }


def test_r_reads_the_dataset_and_its_codebook(study_folder):
    if not RSCRIPT:
        if os.environ.get("CI"):
            pytest.fail("CI needs R to read the dataset back (.ci/run installs r-base-core)")
        pytest.skip("needs R: apt-get install r-base-core")
    script = f"""
        d <- read.csv("{study_folder / "respondents.csv"}")
        b <- read.csv("{study_folder / "codebook.csv"}")
        stopifnot(nrow(d) == 240, identical(names(d), b$column), is.integer(d$control_1))
        m <- aggregate(control_1 ~ aggregator_intermediation, data = d, FUN = mean)
        cat(m$control_1, sep = "\\n")
    """
    result = subprocess.run([RSCRIPT, "-e", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    low, high = map(float, result.stdout.split())
    data = pd.read_csv(study_folder / "respondents.csv")
    expected = data.groupby("aggregator_intermediation").control_1.mean()
    assert (low, high) == pytest.approx((expected[0.2], expected[0.8]))
    assert high > low


@pytest.mark.slow
def test_fit_writes_a_scenario_that_extends_the_studys_and_runs(study_folder, tmp_path, capsys):
    out = tmp_path / "fitted.toml"
    assert (
        main(
            [
                "fit",
                str(study_folder / "respondents.csv"),
                "--codebook",
                str(study_folder / "codebook.json"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "attribution.intermediation_weight" in printed and "95% CI" in printed
    text = out.read_text()
    assert text.count("# 95% CI") == 10 and "extends = " in text
    run = tmp_path / "run"
    small = ["--set", "run.days=2", "--set", "customers.count=200", "--set", "run.warmup_days=0"]
    assert main(["run", str(out), *small, "--reps", "1", "--quiet", "--out", str(run)]) == 0


@pytest.mark.slow
def test_power_writes_its_curve_figure_and_manifest(tmp_path, capsys):
    out = tmp_path / "power"
    design = STUDIES / "intermediation_by_cause.toml"
    assert (
        main(
            [
                "power",
                str(design),
                "--effect",
                "P4",
                "--n",
                "10,40",
                "--studies",
                "200",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "P4: punishment" in printed and "power 0.8" in printed
    table = pd.read_csv(out / "power.csv")
    assert list(table.n_per_cell) == [10, 40] and table.power.is_monotonic_increasing
    assert (out / "figures" / "power.png").stat().st_size > 10_000
    assert json.loads((out / "manifest.json").read_text())["aggsim"] == "power"


def rewrite(path, change):
    change(pd.read_csv(path, dtype=str)).to_csv(path, index=False)


def put(row: int, column: str, value: str):
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, column] = value
        return frame

    return change


BAD_DATA = [
    (
        "a condition missing",
        lambda f: f[f.failure_cause != "aggregator"],
        "failure_cause = aggregator has 0 rows; every condition of the design needs two",
    ),
    (
        "missing item",
        lambda f: f.drop(columns="control_2"),
        "column 'control_2': named by the codebook but not in the data",
    ),
    (
        "out of range",
        put(3, "punishment_1", "9"),
        "column 'punishment_1': 9 is not an answer of the 7-point scale",
    ),
    (
        "not a number",
        put(0, "control_1", "agree"),
        "column 'control_1': 'agree' is not a number",
    ),
    (
        "unknown code",
        put(5, "failure_cause", "weather"),
        "column 'failure_cause': 'weather' is not a level of failure.cause",
    ),
]


@pytest.mark.parametrize(("problem", "change", "message"), BAD_DATA, ids=[b[0] for b in BAD_DATA])
def test_bad_data_is_one_line_and_exit_2(study_folder, tmp_path, capsys, problem, change, message):
    data = tmp_path / "data.csv"
    shutil.copyfile(study_folder / "respondents.csv", data)
    rewrite(data, change)
    code = main(["fit", str(data), "--codebook", str(study_folder / "codebook.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and message in err, err


def test_a_codebook_that_does_not_match_the_file_is_one_line(
    study_folder, tmp_path, capsys, write_design
):
    other = write_design(
        TWO_CELLS.replace("[measures.control]", "[measures.trust]").replace(
            'measure = "control"', 'measure = "trust"'
        )
    )
    code = main(["fit", str(study_folder / "respondents.csv"), "--codebook", str(other)])
    err = capsys.readouterr().err
    assert code == 2 and "column 'trust_1': named by the codebook but not in the data" in err
    broken = tmp_path / "codebook.json"
    broken.write_text("{not json")
    assert main(["fit", str(study_folder / "respondents.csv"), "--codebook", str(broken)]) == 2
    assert "cannot read a codebook" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["vignette", "missing.toml"], "missing.toml: no such file"),
        (
            ["power", str(STUDIES / "intermediation_by_cause.toml"), "--effect", "P9"],
            "--effect: no effect 'P9'",
        ),
        (
            ["power", str(STUDIES / "intermediation_by_cause.toml"), "--n", "1,x"],
            "expected whole numbers",
        ),
        (
            ["fit", "nowhere.csv", "--codebook", str(STUDIES / "intermediation_by_cause.toml")],
            "nowhere.csv: no such file",
        ),
        (
            [
                "fit",
                str(STUDIES / "intermediation_by_cause.toml"),
                "--codebook",
                str(STUDIES / "intermediation_by_cause.toml"),
                "--params",
                "run.days",
            ],
            None,
        ),
    ],
)
def test_bad_commands_are_one_line_and_exit_2(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as usage:  # argparse: a usage error
        code = usage.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and (message is None or message in err), err


def test_bad_design_through_the_command_line(write_design, tmp_path, capsys):
    path = write_design(
        TWO_CELLS.replace('"aggregator.intermediation"', '"aggregator.intermedation"')
    )
    assert main(["vignette", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "factors.aggregator.intermedation: not a scenario parameter" in err
    assert not (tmp_path / "out").exists()


def test_a_study_too_small_to_analyse_is_one_line(tmp_path):
    """One respondent a condition leaves no variance to test with: refused as a design file
    refuses it (it wrote an empty anova.csv and exited 0)."""
    design = str(STUDIES / "intermediation_by_cause.toml")
    assert_user_error(
        ["vignette", design, "--n", "1", "--out", str(tmp_path / "one")], "at least 2", tmp_path
    )
    assert not (tmp_path / "one").exists()


def test_a_fit_too_large_is_refused_before_it_reads_the_data(study_folder, tmp_path, monkeypatch):
    """A pool of a hundred million (days of CPU), or a dataset whose reading would take more
    memory than the machine has (a 100 MB file, sparse, on a machine of 1 GB), is one line with
    the estimate before anything is read; --force would go on."""
    codebook = str(study_folder / "codebook.json")
    data = str(study_folder / "respondents.csv")
    huge_pool = ["fit", data, "--codebook", codebook, "--pool", "100000000"]
    assert_user_error(huge_pool, "more than 24 hours of CPU; a smaller --pool", tmp_path)
    import sim.experiments.budget as budget

    monkeypatch.setattr(budget, "machine_memory", lambda: 1e9)
    large = tmp_path / "large.csv"
    with large.open("wb") as file:
        file.truncate(100_000_000)
    assert_user_error(["fit", str(large), "--codebook", codebook], "more memory than", tmp_path)
