"""MkDocs hooks: the site's commands run in a fresh workspace of their own.

Every command the site shows runs when the site is built (markdown-exec), as a user would run it
one after another in a folder with the project's ``scenarios/`` and ``bench/``. Each build gets a
new workspace, so the commands' ``results/...`` folders never meet those of an earlier build or
the checkout's own; ``AGGSIM_DOCS_WORKSPACE`` names a folder to use (and keep) instead.

The build says which page's commands it is running. A block whose program the machine lacks
(``Rscript`` where R is not installed) is shown without its output, with a note saying so,
instead of stopping the build; CI, which has R, runs it.

Tables that come from a result too long to compute at every build are rendered from the result's
rows, kept in ``docs/cache/``, where a marker stands (:data:`CACHED_TABLES`): the validation of
the baseline (``sim.validation.published``). Nothing on the site is copied by hand.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A console block the build runs (markdown-exec): its attributes and its body.
EXECUTED_BLOCK = re.compile(r"```console([^\n]*exec=\"1\"[^\n]*)\n(.*?)```", re.S)
log = logging.getLogger("mkdocs.hooks.aggsim")
#: A marker a page puts where the tables of a cached result go, and the file of its rows.
CACHED_TABLES = re.compile(r"<!-- tables of (docs/cache/[\w./-]+\.csv) -->")
_started_in: list[str] = []
_temporary: list[Path] = []


def on_pre_build(config, **kwargs) -> None:
    chosen = os.environ.get("AGGSIM_DOCS_WORKSPACE")
    if chosen:
        workspace = Path(chosen)
        workspace.mkdir(parents=True, exist_ok=True)
    else:
        workspace = Path(tempfile.mkdtemp(prefix="aggsim-docs-"))
        _temporary.append(workspace)
    for shared in ("scenarios", "bench"):
        if not (workspace / shared).exists():
            (workspace / shared).symlink_to(ROOT / shared)
    _started_in.append(os.getcwd())
    os.chdir(workspace)


def _leave() -> None:
    if _started_in:
        os.chdir(_started_in.pop())
    while _temporary:
        shutil.rmtree(_temporary.pop(), ignore_errors=True)


def on_post_build(config, **kwargs) -> None:
    _leave()


def on_build_error(error, **kwargs) -> None:
    _leave()


def _missing_program(body: str) -> str | None:
    """The first program of the block's commands that is not on this machine's PATH."""
    for line in body.splitlines():
        if line.strip().startswith("$ "):
            program = line.strip()[2:].split(maxsplit=1)[0]
            if shutil.which(program) is None:
                return program
    return None


def cached_tables(markdown: str) -> str:
    """Every marker of a cached result replaced by its tables (the validation's, rendered as
    ``validation.md`` renders them)."""
    import pandas as pd

    from sim.validation.report import tables_markdown

    def tables(marker: re.Match) -> str:
        return tables_markdown(pd.read_csv(ROOT / marker.group(1)))

    return CACHED_TABLES.sub(tables, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Render cached tables; say which page's commands run, and show a block whose program is
    missing unrun."""
    markdown = cached_tables(markdown)
    if not EXECUTED_BLOCK.search(markdown):
        return markdown
    log.info("running the commands of %s", page.file.src_uri)

    def unrun_if_missing(block: re.Match) -> str:
        program = _missing_program(block.group(2))
        if program is None:
            return block.group(0)
        log.info(
            "%s: %s is not installed here: its block is shown unrun", page.file.src_uri, program
        )
        return (
            f'!!! note "Not run here"\n    `{program}` is not installed on the machine that built '
            "this page, so the command is shown without its output.\n\n"
            f"```console\n{block.group(2)}```"
        )

    return EXECUTED_BLOCK.sub(unrun_if_missing, markdown)
