"""The errors a user sees as one line: their input (exit 2) or a fault that is understood (exit 1).

Anything else reaching the command line is an internal fault: one line naming it, exit 1, and the
traceback with ``--debug``.
"""


class UserError(ValueError):
    """A problem with the user's input; ``str()`` is one line naming what and where."""


class Fault(RuntimeError):
    """A failure that is not the user's input, understood well enough to say in one line what
    happened and what to do (exit 1): a sweep whose parts lack planned runs, a lost cluster."""
