"""The documentation site: it builds in strict mode, running every command it shows (a command
that fails, a broken link or a missing reference fails the build), and its generated references
are the schema's and the KPI registry's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sim.outputs.reference import PAGES
from sim.validation.published import COMMAND as VALIDATION_COMMAND
from tests.browser import HEADLESS, chromium
from tests.commands import ROOT, console_blocks, run_as_user, workspace

DOCS = ROOT / "docs"
PAGES_ON_SITE = sorted(DOCS.rglob("*.md"))
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: Commands the build does not run, and what runs or checks them instead.
RUN_ELSEWHERE = {
    VALIDATION_COMMAND: "bench/validation.py runs it; tests/validation/test_runner.py checks that "
    "the rows it published were written by this code, and their verdicts",
}


def blocks(page: Path):
    return console_blocks(page.read_text(encoding="utf-8"))


def commands_not_executed() -> list[str]:
    """Commands on the site that its build does not run (a server, the set-up commands)."""
    return [c for page in PAGES_ON_SITE for run, cs in blocks(page) if not run for c in cs]


def test_every_executed_block_holds_one_command():
    """The build runs a block's commands as one shell script, whose exit code is its last
    command's: one command a block, so that any failing command fails the build."""
    for page in PAGES_ON_SITE:
        for executed, commands in blocks(page):
            assert not executed or len(commands) == 1, (page, commands)


def test_every_command_the_build_leaves_is_run_by_a_test():
    readme = {c for _, cs in console_blocks(README) for c in cs}
    for command in commands_not_executed():
        assert command in readme or command in RUN_ELSEWHERE or " app " in f" {command} ", command


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_generated_references_are_current(name):
    """``python -m sim.outputs.reference`` writes them again after a change of the schema or the
    KPIs."""
    page = (DOCS / "reference" / name).read_text(encoding="utf-8")
    assert page == PAGES[name]()


def test_the_references_list_every_parameter_and_kpi():
    from sim.model.kpis import kpis
    from sim.scenario import parameter_index

    parameters = (DOCS / "reference" / "parameters.md").read_text(encoding="utf-8")
    assert all(f"| `{key}` |" in parameters for key in parameter_index())
    assert parameters.count("## Scenario\n") == 1, "name and description: one section"
    kpi_page = (DOCS / "reference" / "kpis.md").read_text(encoding="utf-8")
    assert all(f"| `{k.name}` |" in kpi_page for k in kpis())


def test_every_page_is_in_the_navigation():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def files(nav):
        for entry in nav:
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            yield from files(value) if isinstance(value, list) else [value]

    assert sorted(files(config["nav"])) == sorted(str(p.relative_to(DOCS)) for p in PAGES_ON_SITE)


def build(
    config: Path, site: Path, folder: Path, path: str | None = None
) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``config``, its commands run in ``folder``, with this
    checkout's aggsim; ``path``: the PATH its commands see (default: this one)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_MKDOCS_2_WARNING": "1",
        "AGGSIM_DOCS_WORKSPACE": str(folder),
    }
    if path is not None:
        env["PATH"] = path
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    return subprocess.run(
        [*command, "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )


@pytest.mark.slow
def test_the_site_builds_in_strict_mode_running_every_command(tmp_path):
    folder = tmp_path / "workspace"  # the build links the project's scenarios/ and bench/ in
    done = build(ROOT / "mkdocs.yml", tmp_path / "site", folder)
    assert done.returncode == 0, done.stderr[-5000:]
    site = tmp_path / "site"
    for page in PAGES_ON_SITE:
        html = page.relative_to(DOCS).with_suffix("")
        html = html.parent / "index.html" if html.name == "index" else html / "index.html"
        assert (site / html).is_file(), html
    describe = (site / "guide" / "describe" / "index.html").read_text(encoding="utf-8")
    assert "wrote results/b2b-ODD.md" in describe  # the commands ran; their output is shown
    assert (folder / "results" / "b2b-run-ODD.html").is_file()
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "appraise" in api  # the API reference comes from the docstrings
    cite = (site / "cite" / "index.html").read_text(encoding="utf-8")
    assert "Version 0.1.0" in cite


def one_page_site(tmp_path: Path) -> Path:
    """The site's configuration (hooks included) on a folder of one page, ``docs/index.md``."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("nav")
    config["docs_dir"] = str(tmp_path / "docs")
    config["plugins"] = [p for p in config["plugins"] if not isinstance(p, dict)]  # no API pages
    config["hooks"] = [str(ROOT / "docs" / "hooks.py")]
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return tmp_path / "docs" / "index.md"


@pytest.mark.slow
def test_long_equations_wrap_within_the_column_in_a_real_browser(tmp_path):
    """The model's equation blocks and long inline formulas stay in the page's column: they wrap,
    so no block has to be scrolled sideways and nothing widens the page
    (docs/stylesheets/extra.css; without it, the block scrolls)."""
    playwright = pytest.importorskip("playwright.sync_api")
    page = one_page_site(tmp_path)
    shutil.copytree(DOCS / "stylesheets", tmp_path / "docs" / "stylesheets")
    equation = " + ".join(f"a_{i}·x_{i}" for i in range(60))
    page.write_text(
        f"# Page\n\n```\nEP = σ( {equation} )\n```\n\nInline: `y = {equation}`.\n",
        encoding="utf-8",
    )
    done = build(tmp_path / "mkdocs.yml", tmp_path / "site", tmp_path / "w")
    assert done.returncode == 0, done.stderr[-3000:]
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(), args=list(HEADLESS))
        try:
            view = browser.new_page(viewport={"width": 1024, "height": 800})
            view.goto((tmp_path / "site" / "index.html").as_uri())
            overflowing = view.evaluate(
                "Array.from(document.querySelectorAll('.md-typeset pre > code, .md-typeset p'))"
                ".filter(e => e.scrollWidth > e.clientWidth + 8).length"  # inline code's padding
            )
            fits = view.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
        finally:
            browser.close()
    assert overflowing == 0 and fits


@pytest.mark.slow
def test_a_broken_link_or_a_failing_command_fails_the_build(tmp_path):
    """The knockouts of the strict build: the same configuration on a page with a broken link,
    then on a page whose command fails."""
    page = one_page_site(tmp_path)
    cases = {
        "[the guide](guide/nowhere.md)": "not found among documentation files",
        '```console exec="1" source="console"\n$ aggsim run missing.toml\n```': "missing.toml",
        '```console exec="1" source="console"\n$ aggsim demo\n```': None,  # the control
    }
    for content, error in cases.items():
        page.write_text(f"# Page\n\n{content}\n", encoding="utf-8")
        done = build(tmp_path / "mkdocs.yml", tmp_path / "site", tmp_path / "workspace")
        if error is None:
            assert done.returncode == 0, done.stderr
        else:
            assert done.returncode != 0 and error in done.stderr, done.stderr


@pytest.mark.slow
def test_a_block_whose_program_is_missing_is_shown_unrun_and_the_build_goes_on(tmp_path):
    """A machine without R builds the site: the block says it was not run there (docs/hooks.py);
    the build says which page's commands it runs."""
    page = one_page_site(tmp_path)
    missing = "aggsim-no-such-program"
    page.write_text(
        f'# Page\n\n```console exec="1" source="console"\n$ {missing} --version\n```\n',
        encoding="utf-8",
    )
    done = build(tmp_path / "mkdocs.yml", tmp_path / "site", tmp_path / "workspace")
    assert done.returncode == 0, done.stderr
    assert "running the commands of index.md" in done.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Not run here" in html and missing in html


@pytest.mark.slow
def test_an_r_block_is_shown_unrun_with_rscript_hidden_and_run_where_r_is(tmp_path):
    """``python -m mkdocs build`` on a machine without R: Rscript hidden from the PATH (only a
    shell left on it), the R block is shown unrun and the build goes on; with R on the PATH (CI
    installs it), the same block runs and its output is on the page."""
    page = one_page_site(tmp_path)
    page.write_text(
        '# Page\n\n```console exec="1" source="console"\n'
        "$ Rscript -e 'cat(\"answer\", 6 * 7)'\n```\n",
        encoding="utf-8",
    )
    bare = tmp_path / "bin"
    bare.mkdir()
    for program in ("sh", "bash"):
        (bare / program).symlink_to(shutil.which(program))
    hidden = build(tmp_path / "mkdocs.yml", tmp_path / "site", tmp_path / "w1", path=str(bare))
    assert hidden.returncode == 0, hidden.stderr
    assert "Rscript is not installed here" in hidden.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Not run here" in html and "answer 42" not in html
    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed on this machine (CI installs it)")
    shown = build(tmp_path / "mkdocs.yml", tmp_path / "site2", tmp_path / "w2")
    assert shown.returncode == 0, shown.stderr
    html = (tmp_path / "site2" / "index.html").read_text(encoding="utf-8")
    assert "Not run here" not in html and "answer 42" in html


@pytest.mark.slow
@pytest.mark.parametrize("command", [c for c in commands_not_executed() if " app " in f" {c} "])
def test_the_served_commands_serve_and_stop(command, tmp_path):
    run_as_user(command, workspace(tmp_path))
