"""Text from a user — a scenario's description, a path, a command line — put into the ODD
document's Markdown so that it renders as exactly that text, in every format (MODEL.md 16).

Everything a user wrote passes through :func:`literal` (running text) or :func:`code_span`
(inside backticks) on its way into the document: HTML's signs become entities, Markdown's own
signs are escaped, so that neither a tag (``<script>``, ``<img onerror=…>``) nor a link
(``[x](javascript:…)``) can form, whatever renders the Markdown; characters XML cannot hold
(control characters, which a Word document refuses) are dropped and line breaks become spaces.
"""

from __future__ import annotations

import re

#: Characters no XML document (and so no Word document) may hold.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
#: HTML's signs, as entities every Markdown renderer shows as the sign.
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Markdown's signs of emphasis, code, links and tables, anywhere in a line.
MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]|])")
#: Markdown's signs of headings, lists and rules, at the start of a line.
LINE_START = re.compile(r"^(\d+)?([#+\-!.)])")


def plain(text: object) -> str:
    """``text`` on one line, without the characters XML cannot hold."""
    return " ".join(CONTROL.sub("", str(text)).split())


def literal(text: object) -> str:
    """``text`` as Markdown running text that renders as exactly ``text`` (on one line)."""
    escaped = "".join(ENTITIES.get(c, c) for c in plain(text))
    return LINE_START.sub(r"\1\\\2", MARKDOWN_SIGNS.sub(r"\\\1", escaped))


def code_span(text: object) -> str:
    """``text`` as a Markdown code span (its delimiter longer than any run of backticks in it,
    so that none ends it early)."""
    text = plain(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
