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
    """The citation of this version of aggsim, in Markdown: a sentence and its BibTeX, with the
    commit's date and the repository's address when the code record has them
    (:func:`sim.outputs.provenance.code_version`)."""
    code = code or {}
    commit = commit_text(code or None)
    note = commit
    if code:
        dirty = " with uncommitted changes" if code.get("dirty") else ""
        note = f"commit {code['commit']}{dirty}"
    date, repository = code.get("date"), code.get("repository")
    dated = f" ({date})" if date else ""
    sentence = (
        f"{AUTHORS}. *{TITLE}*. Version {version}, {commit}{dated}. Software, {LICENCE} licence."
    )
    fields = [
        ("author", f"{{{AUTHORS}}}"),
        ("title", TITLE),
        ("version", version),
        ("note", note),
        ("license", LICENCE),
    ]
    if date:
        fields.insert(3, ("date", date))
    if repository:
        sentence += f" {repository}"
        fields.append(("url", repository))
    entries = ",\n".join(f"  {name:<7} = {{{value}}}" for name, value in fields)
    return f"{sentence}\n\n```bibtex\n@software{{aggsim,\n{entries}\n}}\n```\n"
