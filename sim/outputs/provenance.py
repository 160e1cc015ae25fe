"""Which code wrote a result: the commit of aggsim, its date and where it comes from (MODEL.md 16).

An aggsim installed with ``pip install .`` from a git checkout carries ``sim/_build.json``,
written by the build (``setup.py``): the commit it was built from, whether the checkout had
uncommitted changes, the commit's date and the checkout's ``origin`` address. Such an install
cites its exact commit away from its git history. An aggsim run from its checkout (an editable
install, or the source tree) asks git instead, and only when ``sim/`` is the top of that checkout,
never a git repository that merely contains an installed copy.
"""

from __future__ import annotations

import json
import re
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

#: The file the build writes into the package (``setup.py``).
STAMP = "_build.json"

#: The keys of a code record: ``commit`` (40 hex digits), ``dirty``, ``date`` (YYYY-MM-DD) and
#: ``repository`` (the web address of the checkout's ``origin``, or None).
KEYS = ("commit", "dirty", "date", "repository")


def git(folder: Path, *arguments: str) -> str | None:
    """What ``git arguments`` prints in ``folder``, or None when git fails or is missing."""
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=folder, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def checkout_record(root: Path) -> dict[str, Any] | None:
    """The code record of the git checkout at ``root``, or None when ``root`` is not the top of
    one."""
    top = git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root.resolve():
        return None
    commit = git(root, "rev-parse", "HEAD")
    if not commit:
        return None
    status = git(root, "status", "--porcelain", "--untracked-files=no")
    return {
        "commit": commit,
        "dirty": bool(status),
        "date": git(root, "show", "-s", "--format=%cs", "HEAD"),
        "repository": web_address(git(root, "config", "--get", "remote.origin.url")),
    }


def web_address(origin: str | None) -> str | None:
    """The address a reader can open for a checkout's ``origin``: ``https://host/owner/name``
    for ``git@host:owner/name.git`` or an https remote; None for a local path or no origin."""
    if not origin:
        return None
    scp = re.fullmatch(r"[\w.-]+@([\w.-]+):(.+?)(?:\.git)?/?", origin)
    if scp:
        return f"https://{scp[1]}/{scp[2]}"
    web = re.fullmatch(r"(https?://)(?:[^@/]+@)?(.+?)(?:\.git)?/?", origin)
    return f"{web[1]}{web[2]}" if web else None


def code_version() -> dict[str, Any] | None:
    """The code record of this aggsim: stamped at build time, or from its own checkout; None
    when neither is known (a copy without its git history, built without git)."""
    stamp = resources.files("sim").joinpath(STAMP)
    if stamp.is_file():
        record = json.loads(stamp.read_text(encoding="utf-8"))
        return {key: record.get(key) for key in KEYS}
    return checkout_record(Path(__file__).resolve().parents[2])
