"""One output file, the one way a command writes it: ``describe``, ``plot``, ``report``, ``fit``
and ``new`` each write a single file (their ``--out``), checked before any work and written
atomically.

A path is refused with one line naming it and the option when it is

- anything but a regular file or an absent path: a folder, a symbolic link, a FIFO, a device or
  a socket is never replaced by a file;
- one of the command's own inputs (``describe s.toml --out s.toml``);
- a result of a results folder: a file its manifest lists, its manifest, a sweep's definition
  and parts, or any existing file of a folder that has no manifest yet (a sweep under way or
  interrupted). A new file beside a finished folder's results (``report.html``, a figure) is
  written while the command holds the folder's lock, so no command writing the folder meets it,
  and the manifest stays true: it lists what it listed;
- an existing file, unless the command was given ``--force``.

The command then writes it with :func:`sim.outputs.results.atomic_write`: beside its target under
a temporary name, renamed over it, so that an error or an interruption leaves the target as it
was.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from sim.errors import UserError
from sim.outputs.folder import LOCK_NAME, MANIFEST, lock_folder, make_folder

#: Files of a results folder that are its own although no manifest lists them.
FOLDER_OWN = (MANIFEST, LOCK_NAME, "sweep.json", "parts")
#: What each kind of file that is not a regular file is called in an error.
SPECIAL = {
    stat.S_ISDIR: "a folder",
    stat.S_ISLNK: "a symbolic link",
    stat.S_ISFIFO: "a FIFO",
    stat.S_ISCHR: "a device",
    stat.S_ISBLK: "a device",
    stat.S_ISSOCK: "a socket",
}


def check_output_file(
    path: Path,
    *,
    option: str = "--out",
    inputs: Iterable[Path | None] = (),
    force: bool = False,
    create_folder: bool = False,
) -> Path:
    """Refuse ``path`` as the command's output file, before any work, when writing it would
    replace what the user did not give the command to write (see the module); lock the results
    folder it lies in, if any. ``create_folder``: create the folder it goes in (else it must
    exist)."""
    where = f"{path}: {option}"
    try:
        status = path.lstat()
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise UserError(f"{where}: cannot be read ({error.strerror})") from None
    if status is not None:
        for test, kind in SPECIAL.items():
            if test(status.st_mode):
                raise UserError(f"{where}: is {kind}, not a regular file; give a file to write")
    for given in inputs:
        if given is not None and _same_file(path, given):
            raise UserError(f"{where}: is one of the command's inputs; give another file")
    folder = results_folder_of(path)
    if folder is not None:
        _check_not_a_result(path, folder, where, exists=status is not None)
    if status is not None and not force:
        raise UserError(f"{where}: exists; give another file, or --force to replace it")
    if create_folder:
        make_folder(path.parent, option)
    elif not path.parent.is_dir():
        raise UserError(f"{where}: the folder {path.parent} does not exist")
    if folder is not None:
        lock_folder(folder)
    return path


def results_folder_of(path: Path) -> Path | None:
    """The innermost results folder that ``path`` lies in, if any: one with aggsim's manifest
    (a ``manifest.json`` naming the command that wrote it; another program's file of that name
    does not count) or a sweep's definition."""
    for ancestor in path.absolute().parents:
        if _manifest(ancestor) is not None or (ancestor / "sweep.json").is_file():
            return ancestor
    return None


def _manifest(folder: Path) -> dict | None:
    """The folder's aggsim manifest, if it has one."""
    try:
        content = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) and "aggsim" in content else None


def _check_not_a_result(path: Path, folder: Path, where: str, *, exists: bool) -> None:
    inside = path.absolute().relative_to(folder)
    manifest = _manifest(folder)
    files = manifest.get("files", []) if manifest is not None else []
    listed = {str(name) for name in files} if isinstance(files, list) else set()
    own = inside.parts[0] in FOLDER_OWN or inside.as_posix() in listed
    if own or (exists and manifest is None):
        raise UserError(
            f"{where}: is one of the results in {folder}; results folders are written only by "
            "the command that made them: give a file elsewhere"
        )


def _same_file(path: Path, given: Path) -> bool:
    try:
        return os.path.samefile(path, given)
    except OSError:
        return path.absolute().resolve() == given.absolute().resolve()


def file_format(
    requested: str | None, out: Path | None, formats: Mapping[str, str], default: str
) -> str:
    """The format asked for, else the one ``out``'s extension names (``formats`` maps extensions
    to formats), else ``default``; an extension that names no format, or another one than
    ``--format``, is one line of error."""
    suffix = out.suffix.lstrip(".").lower() if out is not None else ""
    if out is not None and suffix not in formats:
        expected = ", ".join(f".{e}" for e in formats)
        raise UserError(f"{out}: --out: expected a file ending in {expected}")
    if requested is None:
        return formats[suffix] if suffix else default
    if suffix and formats[suffix] != requested:
        raise UserError(f"{out}: --out: the extension .{suffix} is not --format {requested}")
    return requested
