"""Progress of a long command: a bar on a terminal, lines elsewhere.

On a terminal, :func:`progress_bar` is tqdm's bar. Where stderr is not a terminal — a job log
on a cluster, a notebook, a file — a bar would be carriage returns piling up on one line, so
the same counts come as :class:`ProgressLines`: a line when the work starts, one at most every
:data:`LINE_SECONDS` seconds as it advances, and one when it ends.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

#: The bar's layout: counts first and the bar last, so a narrow terminal shrinks the bar first.
PROGRESS_FORMAT = "{desc}: {n_fmt}/{total_fmt} {unit}{postfix} [{elapsed}<{remaining}] {bar}"
#: A line's layout: the same counts, with the share done and the time.
LINE_FORMAT = (
    "{desc}: {n_fmt}/{total_fmt} {unit} ({percentage:.0f}%){postfix}, "
    "{elapsed} elapsed, {remaining} left"
)
#: A line's layout when the work has no known end (an optimiser's evaluations).
OPEN_LINE_FORMAT = "{desc}: {n_fmt} {unit}{postfix}, {elapsed} elapsed"
#: Seconds between two lines at most once the work advances.
LINE_SECONDS = 30.0


class ProgressLines:
    """What a progress bar shows, as whole lines: what there is to do once the first piece is
    done, the count, its share, the time spent and left at most every ``every`` seconds as the
    count advances, and the count and the time at the end; nothing when the command fails
    before any work is done, nor at a failure (its error is one line of its own). It answers the
    part of tqdm's interface the commands use (``update``, ``n``, ``total``, ``refresh``,
    ``set_postfix``, and ``with``)."""

    def __init__(
        self,
        total: int | None,
        description: str,
        unit: str,
        file: TextIO | None = None,
        every: float = LINE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.n = total, 0
        self.description, self.unit = description, unit
        self.file = file or sys.stderr
        self.every, self.clock = every, clock
        self.postfix = ""
        self.started = self.last = clock()
        self.shown = False

    def __enter__(self) -> ProgressLines:
        return self

    def __exit__(self, error: type[BaseException] | None, *exc: object) -> None:
        from tqdm import tqdm

        if error is not None or not self.shown:  # a failure says so in its own line
            return
        elapsed = tqdm.format_interval(self.clock() - self.started)
        done = self.n if self.total is None else f"{self.n}/{self.total}"
        counts = f"{done} {self.unit}{self.postfix}"
        print(f"{self.description}: {counts}, ended after {elapsed}", file=self.file, flush=True)

    def update(self, count: int = 1) -> None:
        if not self.shown:  # the work has begun: say what there is to do
            plan = "started" if self.total is None else f"{self.total} {self.unit} to do"
            print(f"{self.description}: {plan}", file=self.file, flush=True)
            self.shown = True
        self.n += count
        if self.clock() - self.last >= self.every:
            self._line()

    def refresh(self) -> None:
        """Nothing to redraw: the next line shows the new total."""

    def set_postfix(self, refresh: bool = True, **values: Any) -> None:
        self.postfix = ", " + ", ".join(f"{key}={value}" for key, value in values.items())

    def _line(self) -> None:
        from tqdm import tqdm

        now = self.last = self.clock()
        text = tqdm.format_meter(
            self.n,
            self.total,
            now - self.started,
            prefix=self.description,
            unit=self.unit,
            bar_format=OPEN_LINE_FORMAT if self.total is None else LINE_FORMAT,
            postfix=self.postfix or None,
        )
        print(text, file=self.file, flush=True)


def progress_bar(*, quiet: bool, total: int | None, description: str, unit: str) -> Any:
    """Progress on stderr, counted in ``unit`` (a plural: ``reps``): nothing when ``quiet``; on
    a terminal a bar, shown after half a second, that follows the terminal's width; elsewhere
    :class:`ProgressLines`."""
    from tqdm import tqdm

    if quiet or sys.stderr.isatty():
        return tqdm(
            total=total,
            desc=description,
            unit=unit,
            file=sys.stderr,
            delay=0.5,
            dynamic_ncols=True,
            bar_format=PROGRESS_FORMAT,
            disable=quiet,
        )
    return ProgressLines(total, description, unit)
