"""The layers of ``sim/`` (docs/guide/contributing.md): each imports only the layers below it, and
no module imports itself back through others. The contracts are import-linter's, in
pyproject.toml; each check is shown failing on a copy of the package with one import added."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Run in a fresh interpreter whose ``sim`` is the package at the path given: the module cycles
#: of its import graph (imports under ``if TYPE_CHECKING:`` do not run, so they do not count).
CYCLES = """
import json, sys
import grimp
from scipy.sparse import lil_matrix
from scipy.sparse.csgraph import connected_components

graph = grimp.build_graph("sim", exclude_type_checking_imports=True, cache_dir=None)
modules = sorted(graph.modules)
index = {m: i for i, m in enumerate(modules)}
edges = lil_matrix((len(modules), len(modules)))
for m in modules:
    for imported in graph.find_modules_directly_imported_by(m):
        edges[index[m], index[imported]] = 1
_, label = connected_components(edges, directed=True, connection="strong")
groups = {}
for m in modules:
    groups.setdefault(int(label[index[m]]), []).append(m)
print(json.dumps(sorted(g for g in groups.values() if len(g) > 1)))
"""


def package_copy(tmp_path: Path, module: str = "", line: str = "") -> Path:
    """A copy of ``sim/`` and ``pyproject.toml`` in ``tmp_path``, with ``line`` appended to
    ``module`` (a path under ``sim/``) when given."""
    shutil.copytree(ROOT / "sim", tmp_path / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if module:
        path = tmp_path / "sim" / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return tmp_path


def run_in(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(folder), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(
        [sys.executable, *argv], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )


#: import-linter's own entry point, on the folder's pyproject.toml, without a cache file.
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    return run_in(folder, "-c", LINT)


def cycles(folder: Path) -> list[list[str]]:
    done = run_in(folder, "-c", CYCLES)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return package_copy(tmp_path_factory.mktemp("layers"))


def test_each_layer_imports_only_the_layers_below_it(checkout):
    done = lint_imports(checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("model/world.py", "import sim.outputs.figures", "sim.model is not allowed to import"),
        ("scenario/kinds.py", "import sim.model.kpis", "sim.scenario is not allowed to import"),
        (
            "validation/runner.py",
            "import sim.vignette.design",
            "sim.validation is not allowed to import sim.vignette",
        ),
    ],
)
def test_an_upward_import_breaks_the_layers(tmp_path, module, line, broken):
    done = lint_imports(package_copy(tmp_path, module, line))
    assert done.returncode == 1
    assert broken in done.stdout


def test_no_module_imports_itself_back(checkout):
    assert cycles(checkout) == []


def test_a_cycle_inside_a_layer_is_found(tmp_path):
    """``results`` writing a figure through ``plots``, which writes through ``results``: the
    cycle issue 25 removed, put back."""
    folder = package_copy(tmp_path, "outputs/results.py", "import sim.outputs.plots")
    assert cycles(folder) == [["sim.outputs.plots", "sim.outputs.results"]]
