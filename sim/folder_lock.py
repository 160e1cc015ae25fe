"""An exclusive lock on a results folder for the life of a command.

Two commands writing into one folder would mix their tables under one manifest. Every command
that writes a results folder takes ``.aggsim.lock`` in it with ``flock``; a second command on the
same folder fails at once with one line naming the holder. The kernel drops the lock when its
process dies, so a lock left by a killed command is never stale; the file itself is removed when
the command ends.
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
