"""How to cite aggsim: the exact version and commit (MODEL.md 16; ``CITATION.cff``)."""

from __future__ import annotations

from sim import __version__

TITLE = "aggsim: a discrete-event simulation of service failures on aggregator platforms"
AUTHORS = "The aggsim developers"
LICENCE = "MIT"


def commit_text(code: dict | None) -> str:
    """The commit as a citation names it: ``8ef8743`` (with ``, with uncommitted changes``), or
    why it is unknown."""
    if not code:
        return "commit unknown (installed without its git history)"
    text = f"commit {code['commit'][:7]}"
    return text + " with uncommitted changes" if code.get("dirty") else text


def citation(code: dict | None, version: str = __version__) -> str:
    """The citation of this version of aggsim, in Markdown: a sentence and its BibTeX."""
    commit = commit_text(code)
    note = commit
    if code:
        dirty = " with uncommitted changes" if code.get("dirty") else ""
        note = f"commit {code['commit']}{dirty}"
    return (
        f"{AUTHORS}. *{TITLE}*. Version {version}, {commit}. Software, {LICENCE} licence.\n\n"
        "```bibtex\n"
        "@software{aggsim,\n"
        f"  author  = {{{{{AUTHORS}}}}},\n"
        f"  title   = {{{TITLE}}},\n"
        f"  version = {{{version}}},\n"
        f"  note    = {{{note}}},\n"
        f"  license = {{{LICENCE}}}\n"
        "}\n"
        "```\n"
    )
