"""HTML reports, rendered in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sim.cli import main
from tests.browser import render

ROOT = Path(__file__).resolve().parents[2]
SMALL = [
    *("--set", "run.days=5", "--set", "customers.count=400", "--set", "providers.count=4"),
    *("--set", "run.warmup_days=0"),
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("reports")
    made = {name: base / name for name in ("run", "sweep", "sensitivity", "compare", "validate")}
    assert (
        main(["run", "--reps", "2", "--workers", "1", "--quiet", "--out", str(made["run"]), *SMALL])
        == 0
    )
    assert (
        main(
            [
                "sweep",
                "--vary",
                "aggregator.intermediation=0:1:3",
                "--reps",
                "2",
                "--executor",
                "inprocess",
                "--quiet",
                "--out",
                str(made["sweep"]),
                *SMALL,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "sensitivity",
                "--samples",
                "4",
                "--reps",
                "1",
                "--executor",
                "inprocess",
                "--vary",
                "aggregator.intermediation=0..1",
                "--vary",
                "aggregator.glitch_rate=0..0.06",
                "--quiet",
                "--out",
                str(made["sensitivity"]),
                *SMALL,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "compare",
                str(ROOT / "scenarios" / "low_intermediation.toml"),
                str(ROOT / "scenarios" / "high_intermediation.toml"),
                "--reps",
                "3",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(made["compare"]),
                *SMALL,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "validate",
                *("--pattern", "P1", "--pattern", "tarp_grid", "--pattern", "justice_order"),
                "--reps",
                "2",
                "--executor",
                "inprocess",
                "--quiet",
                "--out",
                str(made["validate"]),
                *SMALL,
            ]
        )
        == 0
    )
    return made


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["run", "sweep", "sensitivity", "compare", "validate"])
def test_a_report_is_self_contained_html(folders, kind, capsys):
    assert main(["report", str(folders[kind])]) == 0
    page = (folders[kind] / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    assert "Reading" in page
    assert not re.search(r"""(src|href)=["']https?://""", page), "needs no network"
    figures = len(list((folders[kind] / "figures").glob("*.png")))
    assert page.count("data:image/png;base64,") == figures
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
    if kind == "sweep":  # a parameter keeps its name
        assert "aggregator.intermediation" in captions
    if kind == "sensitivity":  # the mu*-sigma plot comes first
        assert captions[0].startswith("sensitivity ")
    if kind == "validate":  # validation against outside findings apart from verification
        assert page.index("<h2>Validation: ") < page.index("<h2>Verification: ")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["run", "sweep", "sensitivity", "compare", "validate"])
def test_the_report_renders_in_headless_chromium(folders, kind, tmp_path):
    main(["report", str(folders[kind])])
    screenshot = tmp_path / f"{kind}.png"
    dom, log = render(folders[kind] / "report.html", screenshot)
    figures = len(list((folders[kind] / "figures").glob("*.png")))
    assert f'data-figures-shown="{figures}"' in dom, "every figure decoded and shown"
    assert 'data-fits-width="true"' in dom, "nothing wider than a 1280-pixel window"
    assert dom.count("<table>") >= 2 and "<h2>Reading</h2>" in dom
    assert "CONSOLE" not in log, re.findall(r"CONSOLE.*", log)
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one


@pytest.mark.slow
def test_a_broken_figure_is_reported_in_the_console(folders, tmp_path):
    page = (folders["run"] / "report.html").read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,AAAA", page, count=1))
    _, log = render(broken, tmp_path / "broken.png")
    assert "figure failed to load" in log


def test_bad_report_folders_are_one_line_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "no such results folder" in capsys.readouterr().err
    assert main(["report", str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small") / "run"
    assert (
        main(["run", "--reps", "1", "--workers", "1", "--quiet", "--out", str(folder), *SMALL]) == 0
    )
    return folder


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda f: (f / "manifest.json").write_text("[1, 2]"), "not an aggsim manifest"),
        (lambda f: (f / "manifest.json").write_text("{}"), "not an aggsim manifest"),
        (lambda f: (f / "manifest.json").write_bytes(b"\xff\xfe"), "unreadable manifest"),
        (lambda f: (f / "summary.csv").unlink(), "not a complete run results folder"),
        (lambda f: (f / "summary.csv").write_bytes(bytes(range(256))), "not a complete run"),
    ],
)
def test_a_damaged_results_folder_is_one_line_exit_2(small_run, tmp_path, damage, expected, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(small_run, folder)
    damage(folder)
    assert main(["report", str(folder)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and expected in error[0], error
    assert not (folder / "report.html").exists()


@pytest.mark.slow
def test_a_hostile_description_is_text_in_the_report(tmp_path):
    """The description of tests.describe.test_literal (a script, an image that runs code, a
    javascript: link, control characters) shows as text in headless chromium: nothing runs."""
    from tests.cli.test_describe import hostile_scenario

    run = tmp_path / "run"
    scenario = str(hostile_scenario(tmp_path))
    assert (
        main(
            ["run", scenario, "--reps", "2", "--workers", "1", "--quiet", "--out", str(run), *SMALL]
        )
        == 0
    )
    assert main(["report", str(run)]) == 0
    dom, log = render(run / "report.html", tmp_path / "report.png")
    body = dom.split("<body", 1)[1]
    assert "data-pwned" not in body.split(">", 1)[0], "a script of the description ran"
    assert "onerror" not in re.sub(r"&lt;img[^<]*", "", body) and 'href="javascript:' not in body
    assert "&lt;script&gt;document.body" in body, "the description is shown as text"
