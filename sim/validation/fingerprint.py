"""The fingerprint of the code a validation's rows depend on (MODEL.md 7.4: same code, scenario
and seed, same numbers).

A validation of the baseline is deterministic: its rows follow from the model's code, the
catalogue and the built-in scenario (which is code too). :func:`code_fingerprint` hashes that
code — every module of the layers a validation stands on, which the layers contract in
``pyproject.toml`` keeps it from reaching beyond — as parsed syntax with its docstrings removed,
so that rewording a docstring or a comment leaves it as it is while any change of what runs
changes it. The published rows of the validation guide carry the fingerprint of the code that
wrote them (:mod:`sim.validation.published`): rows whose fingerprint is this code's are the rows
this code writes, without running the two-and-a-half-minute validation again to find out.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

#: The layers a validation stands on (the layers contract in pyproject.toml), as paths under sim/.
LAYERS = ("validation", "experiments", "outputs", "model", "scenario", "errors.py", "__init__.py")

PACKAGE = Path(__file__).resolve().parents[1]


def _without_docstrings(tree: ast.AST) -> ast.AST:
    """``tree`` with the docstring of every module, class and function removed."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            if docstring and isinstance(first.value.value, str):  # type: ignore[union-attr]
                node.body = node.body[1:] or [ast.Pass()]
    return tree


def _sources(package: Path) -> list[Path]:
    found: list[Path] = []
    for layer in LAYERS:
        path = package / layer
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def code_fingerprint(package: Path = PACKAGE) -> str:
    """SHA-256 of the syntax, docstrings removed, of every module of :data:`LAYERS` under
    ``package`` (default: this installation's ``sim``), with their paths."""
    digest = hashlib.sha256()
    for path in _sources(package):
        tree = _without_docstrings(ast.parse(path.read_text(encoding="utf-8")))
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(ast.dump(tree).encode())
    return digest.hexdigest()
