"""``python -m sim.cli``: the ``aggsim`` command."""

import sys

from sim.cli import main

sys.exit(main())
