"""The pages of study folders (sim.inference.pages) need no pyabc: ``aggsim validate`` and
``aggsim report`` work without the extra ``[calibrate]``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: ``aggsim validate`` of an exact pattern, then ``aggsim report`` of its folder, in an
#: interpreter where importing pyabc fails as it does where the extra is not installed.
WITHOUT_PYABC = """
import sys
sys.modules["pyabc"] = None
from sim.cli import main
folder = sys.argv[1]
argv = ["validate", "--pattern", "justice_order", "--executor", "inprocess", "--quiet"]
assert main([*argv, "--out", folder]) == 0
assert main(["report", folder]) == 0
"""


def test_validate_and_report_run_without_pyabc(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_PYABC, str(tmp_path / "v")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "v" / "report.html").is_file()
