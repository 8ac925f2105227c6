"""The structured form both views format: templates cut at their values, the report read back, lists and quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecall.handoffs import SPEAKER, TEMPLATES, load_templates, parse_template
from rolecall.render.html_parts import block_html, inline
from rolecall.render.markdown import block_lines
from rolecall.render.parts import Details, Line, Paragraph, Quote, Span, Text, em, strong, text
from rolecall.render.report import ReportBuilder
from rolecall.render.report_parts import report_blocks
from rolecall.render.template_parts import Said, TemplateQuotes
from tests.conftest import SCENARIOS
from tests.render.runs import events_of

# Values a template must pass through untouched: list marks, markup, braces, tokens, newlines.
AWKWARD = ["- not a bullet", "*not emphasis* and `not code`", "{recipient} {{x}}", "a\nb", "\x01task\x02", ""]


def _quoted(text: str) -> list[str]:
    """How the transcript has always quoted a template's text."""
    return [f"> {line}" if line else ">" for line in text.rstrip("\n").split("\n")]


def _values(names: frozenset[str], width: int) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {}
    for i, name in enumerate(sorted(names)):
        odd = AWKWARD[i % len(AWKWARD)]
        is_list = name in {"deliverables", "requirements", "reasons", "instead", "subtasks", "checks", "missing"}
        is_list |= name in {"agents", "completed", "in_progress", "upcoming", "blockers", "options"}
        values[name] = [f"{odd} {n}" for n in range(width)] if is_list else odd
    return values


@pytest.mark.parametrize("name", sorted(SPEAKER))
@pytest.mark.parametrize("width", [0, 1, 3])
def test_a_template_quote_is_the_templates_own_text(name: str, width: int) -> None:
    template = load_templates().for_speaker(name, "nobody")
    values = _values(TEMPLATES[name], width)
    said: dict[str, Said] = dict(values)
    quote = TemplateQuotes()(template, said)
    assert block_lines(quote) == _quoted(template.render(values))


def test_values_keep_their_style_and_the_template_its_lines() -> None:
    source = "Hi {who}:\n  {items}\n- {n} done\n\nBoth: {items}"
    template = parse_template(source, "t", frozenset({"who", "items", "n"}), None)
    items: list[str | Text] = ["a", text(em("b"))]
    quote = TemplateQuotes()(template, {"who": text(strong("Kai")), "items": items, "n": 2})
    assert quote.lines == (
        Line((Span("Hi "), Span("Kai", "strong"), Span(":"))),
        Line((Span("a"),), "-", "  "),
        Line((Span("b", "em"),), "-", "  "),
        Line((Span("2"), Span(" done")), "-"),
        Line(()),
        Line((Span("Both: "), Span("a"), Span(", "), Span("b", "em"))),
    )
    assert block_lines(quote) == ["> Hi **Kai**:", ">   - a", ">   - *b*", "> - 2 done", ">", "> Both: a, *b*"]
    html = block_html(quote)
    assert html == (
        "<blockquote><p>Hi <b>Kai</b>:</p><ul><li>a</li><li><i>b</i></li><li>2 done</li></ul>"
        "<p>Both: a, <i>b</i></p></blockquote>"
    )


def test_one_template_with_lists_of_every_length_renders_each_right() -> None:
    template = load_templates().for_speaker("phase-start", "kai")
    quotes = TemplateQuotes()
    for width in (2, 0, 2, 5):
        values = _values(TEMPLATES["phase-start"], width)
        assert block_lines(quotes(template, dict(values))) == _quoted(template.render(values))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_the_report_read_back_is_the_report(path: Path) -> None:
    builder = ReportBuilder()
    for event in events_of(path):
        builder(event)
    report = builder.markdown(heading_level=2)
    blocks = report_blocks(report)
    assert "\n\n".join("\n".join(block_lines(b)) for b in blocks) + "\n" == report


def test_html_escapes_text_and_breaks_lines() -> None:
    assert inline(text("<a href='x'>", em("&"), "\nnext")) == "&lt;a href=&#x27;x&#x27;&gt;<i>&amp;</i><br>next"


def test_nested_lists_and_todo_items() -> None:
    ledger = Details(
        "Progress ledger",
        (
            Line(text("Design"), "-"),
            Line(text("done ✓"), "-", "  ", True),
            Line(text("open"), "-", "  ", False),
            Line(text("Build"), "-"),
        ),
    )
    assert block_lines(ledger) == [
        "<details><summary>Progress ledger</summary>", "", "- Design", "  - [x] done ✓", "  - [ ] open", "- Build",
        "", "</details>",
    ]  # fmt: skip
    assert block_html(ledger) == (
        "<details><summary>Progress ledger</summary><ul><li>Design<ul>"
        "<li class=todo><input type=checkbox disabled checked> done ✓</li>"
        "<li class=todo><input type=checkbox disabled> open</li></ul></li><li>Build</li></ul></details>"
    )
    uneven = Paragraph((Line(text("a"), "-"), Line(text("b"), "-", "    "), Line(text("c"), "-", "  ")))
    assert block_html(uneven) == "<ul><li>a<ul><li>b</li></ul><ul><li>c</li></ul></li></ul>"
    numbered = Paragraph((Line(text("first"), "1."), Line(text("second"), "2.")))
    assert block_html(numbered) == "<ol><li>first</li><li>second</li></ol>"
    assert block_html(Quote((Line(text("a")), Line(text("b")), Line(()), Line(text("c"))))) == (
        "<blockquote><p>a<br>b</p><p>c</p></blockquote>"
    )
