"""The classroom app's log: one line a message (``aggsim app``).

Tornado and Bokeh log a malformed request — a websocket without Bokeh's subprotocol, a frame
that is not a Bokeh message — with its traceback, dozens of lines a time in a teacher's terminal.
:func:`one_line_logs` makes every record of the app's log one line: its message and the
exception's type and text.
"""

from __future__ import annotations

import logging


class OneLine(logging.Filter):
    """A record as one line: the message and its exception's type and text, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            message = f"{message}: {type(error).__name__}: {error}"
        record.msg = " ".join(message.split())
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def one_line_logs() -> None:
    """Make every handler of the log (the root's, and any a library gave its own logger) write
    one line a record; without a handler (Python's last resort, which prints tracebacks), the
    root logger gets one, on standard error."""
    root = logging.getLogger()
    if not root.handlers:
        stderr = logging.StreamHandler()
        stderr.setLevel(logging.WARNING)
        stderr.setFormatter(logging.Formatter("aggsim app: %(levelname)s: %(name)s: %(message)s"))
        root.addHandler(stderr)
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, OneLine) for f in handler.filters):
                handler.addFilter(OneLine())
