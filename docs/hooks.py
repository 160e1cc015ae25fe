"""MkDocs hooks: the site's commands run in a fresh workspace of their own.

Every command the site shows runs when the site is built (markdown-exec), as a user would run it
one after another in a folder with the project's ``scenarios/`` and ``bench/``. Each build gets a
new workspace, so the commands' ``results/...`` folders never meet those of an earlier build or
the checkout's own; ``AGGSIM_DOCS_WORKSPACE`` names a folder to use (and keep) instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
