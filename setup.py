"""The build step that stamps the commit into the package (MODEL.md 16; ``sim.outputs.provenance``).

Everything else about the package is in ``pyproject.toml``. Building from a git checkout (``pip
install .``) writes ``sim/_build.json`` into the built package: the commit, whether the checkout
had uncommitted changes, the commit's date and the checkout's ``origin`` address, so that an
installed aggsim cites its exact commit away from its git history. Built without git, the package
has no stamp and says its commit is unknown.
"""

import importlib.util
import json
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def provenance():
    """``sim.outputs.provenance``, loaded from its file: the build has none of aggsim's
    dependencies, and that module needs only the standard library."""
    spec = importlib.util.spec_from_file_location(
        "provenance", ROOT / "sim" / "outputs" / "provenance.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class StampedBuild(build_py):
    """``build_py``, then the code record of the checkout written into the built package."""

    def run(self):
        super().run()
        found = provenance()
        record = found.checkout_record(ROOT)
        if record is not None:
            target = Path(self.build_lib) / "sim" / found.STAMP
            target.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


setup(cmdclass={"build_py": StampedBuild})
