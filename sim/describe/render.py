"""The ODD document as a web page or a Word document, rendered from its Markdown (MODEL.md 16):
one text, three formats.

HTML comes from Python-Markdown; the Word document is built with python-docx from that HTML
(headings, paragraphs with bold, italic and code, lists, tables and the equations' code blocks).
"""

from __future__ import annotations

import html as html_module
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #222; }
h1, h2, h3, h4 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
pre { background: #f4f4f4; padding: 0.6rem 0.8rem; overflow-x: auto; }
code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.45rem; vertical-align: top; text-align: left; }
th { background: #eee; }
"""


def to_html(markdown_text: str, title: str) -> str:
    """A whole web page, with no request beyond itself."""
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables", "fenced_code", "toc"])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_module.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _Tree(HTMLParser):
    """HTML as nested nodes (enough for what Python-Markdown writes)."""

    VOID = {"br", "hr", "img", "meta", "link", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _runs(
    paragraph: Any, node: _Node | str, bold: bool = False, italic: bool = False, code: bool = False
) -> None:
    """Add ``node``'s inline content to a python-docx paragraph as formatted runs."""
    if isinstance(node, str):
        text = node.replace("\n", " ")
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if code:
                run.font.name = "Courier New"
        return
    if node.tag == "br":
        paragraph.add_run().add_break()
        return
    bold = bold or node.tag in ("strong", "b", "th")
    italic = italic or node.tag in ("em", "i")
    code = code or node.tag == "code"
    for child in node.children:
        _runs(paragraph, child, bold, italic, code)


def _blocks(document: Any, node: _Node, list_style: str | None = None) -> None:
    from docx.shared import Pt

    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                _runs(document.add_paragraph(), child)
            continue
        tag = child.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            document.add_heading(_text(child).strip(), level=int(tag[1]) - 1)
        elif tag == "p":
            _runs(document.add_paragraph(style=list_style), child)
        elif tag in ("ul", "ol"):
            _blocks(document, child, "List Bullet" if tag == "ul" else "List Number")
        elif tag == "li":
            inline = _Node("li", {})
            inline.children = [
                c for c in child.children if isinstance(c, str) or c.tag not in ("ul", "ol", "p")
            ]
            if _text(inline).strip():
                _runs(document.add_paragraph(style=list_style or "List Bullet"), inline)
            for nested in child.children:
                if isinstance(nested, _Node) and nested.tag in ("ul", "ol", "p"):
                    _blocks(document, _wrap(nested), list_style)
        elif tag == "pre":
            for line in _text(child).rstrip("\n").split("\n"):
                run = document.add_paragraph().add_run(line)
                run.font.name = "Courier New"
                run.font.size = Pt(9)
        elif tag == "table":
            _table(document, child)
        elif tag in ("div", "blockquote", "section"):
            _blocks(document, child, list_style)
        elif tag == "hr":
            document.add_paragraph()
        else:
            _runs(document.add_paragraph(), child)


def _wrap(node: _Node) -> _Node:
    wrapper = _Node("div", {})
    wrapper.children = [node]
    return wrapper


def _table(document: Any, node: _Node) -> None:
    rows = [n for n in _descendants(node) if n.tag == "tr"]
    if not rows:
        return
    cells = [
        [c for c in row.children if isinstance(c, _Node) and c.tag in ("th", "td")] for row in rows
    ]
    width = max(len(r) for r in cells)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for row in cells:
        row_cells = table.add_row().cells  # one row at a time: table.cell() is slow on big tables
        for j, content in enumerate(row):
            _runs(row_cells[j].paragraphs[0], content)


def _descendants(node: _Node):
    for child in node.children:
        if isinstance(child, _Node):
            yield child
            yield from _descendants(child)


def write_docx(markdown_text: str, title: str, path: Path) -> None:
    """The document as a Word file at ``path`` (written by the caller atomically)."""
    import markdown
    from docx import Document

    tree = _Tree()
    tree.feed(markdown.markdown(markdown_text, extensions=["tables", "fenced_code"]))
    document = Document()
    document.core_properties.title = title
    _blocks(document, tree.root)
    document.save(str(path))
