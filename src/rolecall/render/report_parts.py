"""The final report's Markdown read back into blocks, so the page can show it with real tables.

:class:`~rolecall.render.report.ReportBuilder` is the report's one writer
(``rolecall report`` prints its Markdown), and it writes a handful of
constructs: headings, tables, ``-`` and ``1.`` list items, plain lines, and
``**bold**`` and ``` `code` ``` inside them. This reads exactly those, and
nothing else; the tests check that the blocks written back as Markdown are the
report's text again, so nothing the report says is lost on the page.
"""

from __future__ import annotations

import re

from rolecall.render.parts import Block, Heading, Line, Paragraph, Span, Table, Text

__all__ = ["report_blocks"]

_INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")
_ITEM = re.compile(r"(-|[0-9]+\.) ")
_HEADING = re.compile(r"(#+) ")


def _text(raw: str) -> Text:
    spans: list[Span] = []
    pos = 0
    for match in _INLINE.finditer(raw):
        if match.start() > pos:
            spans.append(Span(raw[pos : match.start()]))
        bold = match.group(1)
        spans.append(Span(bold, "strong") if bold is not None else Span(match.group(2), "code"))
        pos = match.end()
    if pos < len(raw):
        spans.append(Span(raw[pos:]))
    return tuple(spans)


def _cells(row: str) -> tuple[Text, ...]:
    return tuple(_text(cell) for cell in row[2:-2].split(" | "))


def report_blocks(markdown: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    lines: list[Line] = []
    rows = markdown.rstrip("\n").split("\n")
    i = 0
    while i < len(rows):
        row = rows[i]
        heading = _HEADING.match(row)
        if lines and (not row or heading or row.startswith("|")):
            blocks.append(Paragraph(tuple(lines)))
            lines = []
        if heading:
            blocks.append(Heading(len(heading.group(1)), _text(row[heading.end() :])))
        elif row.startswith("|") and i + 1 < len(rows) and rows[i + 1].startswith("|-"):
            body: list[tuple[Text, ...]] = []
            end = i + 2
            while end < len(rows) and rows[end].startswith("|"):
                body.append(_cells(rows[end]))
                end += 1
            right = tuple(cell.endswith(":") for cell in rows[i + 1][1:-1].split("|"))
            blocks.append(Table(_cells(row), right, tuple(body)))
            i = end
            continue
        elif row:
            item = _ITEM.match(row)
            lines.append(Line(_text(row[item.end() :]), item.group(1)) if item else Line(_text(row)))
        i += 1
    if lines:
        blocks.append(Paragraph(tuple(lines)))
    return tuple(blocks)
