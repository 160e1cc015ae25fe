"""User text in the ODD document (sim.describe.literal): it renders as exactly that text."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
from hypothesis import given
from hypothesis import strategies as st

from sim.describe.literal import code_span, literal, plain

HOSTILE = (
    "<script>document.body.setAttribute('data-pwned','1')</script>"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\"> "
    "[click me](javascript:document.body.setAttribute('data-pwned','3')) "
    "<javascript:alert(1)> **bold** _it_ `code` # | a | b | &amp; \x01\x07 end"
)


class _Page(HTMLParser):
    """The tags and the text of a fragment of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data) -> None:
        self.text += data


def rendered(fragment: str) -> _Page:
    page = _Page()
    page.feed(markdown.markdown(fragment, extensions=["tables", "fenced_code", "toc"]))
    return page


def test_hostile_text_renders_as_text_with_no_tag_or_link():
    page = rendered(f"The scenario: {literal(HOSTILE)}")
    assert page.tags == ["p"], page.tags
    assert page.attributes == []
    assert page.text == f"The scenario: {plain(HOSTILE)}"
    assert "\x01" not in page.text and "\x07" not in page.text


def test_a_code_span_holds_any_backticks():
    page = rendered(f"run {code_span('aggsim run `x` ``y`` <b>')} here")
    assert page.tags == ["p", "code"]
    assert page.text == "run aggsim run `x` ``y`` <b> here"


@given(st.text(max_size=60))
def test_any_text_renders_as_itself(text):
    page = rendered(f"Text: {literal(text)}")
    assert set(page.tags) <= {"p"}
    assert " ".join(page.text.split()) == " ".join(f"Text: {plain(text)}".split())


def test_knockout_without_escaping_the_same_text_makes_live_markup():
    page = rendered(f"The scenario: {HOSTILE}")
    assert "script" in page.tags or "img" in page.tags
