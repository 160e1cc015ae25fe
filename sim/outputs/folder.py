"""An output folder made ready for a command: checked, created and locked for its life.

A place that cannot be a folder — a file, a device, a path under a file, an unwritable or
uncreatable place — is one line of error before any work. Two commands writing into one folder
would mix their tables under one manifest, so every command that writes a results folder takes
``.aggsim.lock`` in it with ``flock``; a second command on the same folder fails at once with one
line naming the holder. The kernel drops the lock when its process dies, so a lock left by a
killed command is never stale; the file itself is removed when the command ends.

A command whose output is all or nothing (a run, a comparison, a validation, a merge) asks for a
*disposable* folder: if the command ends without writing its manifest — an error, Ctrl-C, a full
disk — what it wrote is removed, with the folders it created, so no empty or half-filled folder is
left behind. A sweep's folder is kept: what it holds is continued with ``--resume``.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from sim.errors import UserError

LOCK_NAME = ".aggsim.lock"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class _Held:
    """A locked folder: the lock's descriptor, and what to remove if the command fails."""

    fd: int
    disposable: bool
    created: tuple[Path, ...]  # the folders this command created, outermost first


_held: dict[Path, _Held] = {}


def check_output_place(folder: Path, option: str = "--out") -> None:
    """Refuse, before any work, a place that cannot become an output folder: a file or device,
    or a path under one, or under a folder that cannot be written."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: {option}: expected a folder, found a file")
    parent = folder
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UserError(f"{folder}: {option}: cannot create the folder ({parent} is a file)")
    if not os.access(parent, os.W_OK):
        raise UserError(f"{folder}: {option}: cannot create the folder ({parent} is not writable)")


def output_folder(folder: Path, option: str = "--out", *, disposable: bool = False) -> Path:
    """An output folder made ready and locked: an existing writable folder, or a new one; a file,
    a device or a place that cannot hold a folder is one line of error naming ``option``.

    ``disposable``: remove what the command wrote there if it ends without a manifest.
    """
    created = make_folder(folder, option)
    lock_folder(folder, disposable=disposable, created=created)
    return folder


def make_folder(folder: Path, option: str = "--out") -> tuple[Path, ...]:
    """An existing writable folder, or a new one (and its parents: returned, outermost first);
    anything else is one line of error naming ``option``."""
    check_output_place(folder, option)
    created: list[Path] = []
    ancestor = folder.absolute()
    while not ancestor.exists():
        created.insert(0, ancestor)
        ancestor = ancestor.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(
            f"{folder}: {option}: cannot create the folder ({error.strerror})"
        ) from None
    if not os.access(folder, os.W_OK):
        raise UserError(f"{folder}: {option}: the folder is not writable")
    return tuple(created)


def lock_folder(folder: Path, *, disposable: bool = False, created: tuple[Path, ...] = ()) -> None:
    """Take the folder's lock for the rest of this process (idempotent), or fail with one line."""
    folder = folder.resolve()
    if folder in _held:
        return
    path = folder / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 500).decode("utf-8", "replace").strip() or "another command"
            os.close(fd)
            raise UserError(
                f"{folder}: in use by {holder}; wait for it to finish or choose another folder"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file its previous holder removed while we opened it
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()} ({' '.join(['aggsim', *sys.argv[1:]])[:300]})".encode())
    _held[folder] = _Held(fd, disposable, created)


def release_folders() -> None:
    """Remove and release every lock this process holds; remove what was written in a
    disposable folder left without a manifest."""
    for folder, held in list(_held.items()):
        if held.disposable and not (folder / MANIFEST).exists():
            _discard(folder, held.created)
        (folder / LOCK_NAME).unlink(missing_ok=True)
        os.close(held.fd)
        del _held[folder]


def _discard(folder: Path, created: tuple[Path, ...]) -> None:
    """Empty the folder (keeping the lock until released); remove it and the folders created
    for it while they are empty."""
    for entry in folder.iterdir():
        if entry.name == LOCK_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    if not created:
        return
    (folder / LOCK_NAME).unlink(missing_ok=True)
    for made in reversed(created):
        try:
            made.rmdir()
        except OSError:  # not empty: something else was put there meanwhile
            return


atexit.register(release_folders)
