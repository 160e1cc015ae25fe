"""The living specification, ``docs/MODEL.md``, read by section number (MODEL.md 16).

The ODD document of a scenario quotes the specification rather than restating it, so that there
is one copy of every equation. The file travels inside the package (``sim/describe/MODEL.md`` is
the same file), so an installed aggsim describes itself without its source tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sim.errors import Fault

#: A numbered heading: ``## 5. Submodels``, ``### 5.6b Price fairness under surge``.
HEADING = re.compile(r"^(#{2,6}) (\d+(?:\.\d+)?[a-z]?)\.? (.+)$")


@dataclass(frozen=True)
class Section:
    """One numbered section: its number, title, heading level and text (without the heading;
    up to the next heading of the same or a higher level, so a section holds its subsections)."""

    number: str
    title: str
    level: int
    text: str


def specification_text() -> str:
    """The text of MODEL.md as shipped with this version of aggsim."""
    try:
        return resources.files("sim.describe").joinpath("MODEL.md").read_text(encoding="utf-8")
    except OSError as error:  # a broken installation, not the user's input
        raise Fault(f"the model specification (MODEL.md) is missing from aggsim: {error}") from None


@cache
def sections() -> dict[str, Section]:
    """Every numbered section of the specification, by number."""
    lines = specification_text().splitlines()
    found: list[tuple[int, str, str, int]] = []  # line, number, title, level
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            found.append((index, match.group(2), match.group(3).strip(), len(match.group(1))))
    result: dict[str, Section] = {}
    for position, (start, number, title, level) in enumerate(found):
        end = next((line for line, _, _, lv in found[position + 1 :] if lv <= level), len(lines))
        text = "\n".join(lines[start + 1 : end]).strip("\n")
        result[number] = Section(number, title, level, text)
    return result


def section(number: str) -> Section:
    """The section numbered ``number`` (``"5.3"``, ``"14.1"``, ``"15.1"``)."""
    try:
        return sections()[number]
    except KeyError:
        raise Fault(f"MODEL.md has no section {number}") from None


def subsections(number: str) -> list[Section]:
    """The direct subsections of a section, in order (``"5"`` → 5.1, 5.2, …, 5.6b, …)."""
    parent = section(number)
    return [
        s
        for s in sections().values()
        if s.level == parent.level + 1 and s.number.split(".")[0] == number
    ]


def demoted(text: str, level: int) -> str:
    """``text`` with its headings moved down so that the highest is at ``level``."""
    headings = [len(m.group(1)) for m in re.finditer(r"^(#+) ", text, re.M)]
    if not headings:
        return text
    shift = max(0, level - min(headings))

    def moved(match: re.Match[str]) -> str:
        return "#" * min(6, len(match.group(1)) + shift) + " "

    return re.sub(r"^(#+) ", moved, text, flags=re.M)
