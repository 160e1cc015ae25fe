"""The base of every error a user can cause: the command line reports it in one line, exit 2."""


class UserError(ValueError):
    """A problem with the user's input; ``str()`` is one line naming what and where."""
