"""An output folder made ready for a command: checked, created and locked for its life.

A place that cannot be a folder — a file, a device, a path under a file, an unwritable or
uncreatable place — is one line of error before any work. Two commands writing into one folder
would mix their tables under one manifest, so every command that writes a results folder takes
``.aggsim.lock`` in it with ``flock``; a second command on the same folder fails at once with one
line naming the holder. The kernel drops the lock when its process dies, so a lock left by a
killed command is never stale; the file itself is removed when the command ends.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import sys
from pathlib import Path

from sim.errors import UserError

LOCK_NAME = ".aggsim.lock"

_held: dict[Path, int] = {}


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


def output_folder(folder: Path, option: str = "--out") -> Path:
    """An output folder made ready: an existing writable folder, or a new one; a file, a device
    or a place that cannot hold a folder is one line of error naming ``option``."""
    check_output_place(folder, option)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(
            f"{folder}: {option}: cannot create the folder ({error.strerror})"
        ) from None
    if not os.access(folder, os.W_OK):
        raise UserError(f"{folder}: {option}: the folder is not writable")
    lock_folder(folder)
    return folder


def lock_folder(folder: Path) -> None:
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
    _held[folder] = fd


def release_folders() -> None:
    """Remove and release every lock this process holds."""
    for folder, fd in list(_held.items()):
        (folder / LOCK_NAME).unlink(missing_ok=True)
        os.close(fd)
        del _held[folder]


atexit.register(release_folders)
