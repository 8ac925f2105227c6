"""The transcript's parts as HTML: every value escaped, markup only from the parts' own structure.

Nothing here reads Markdown: a span's style becomes a tag, a line's list
mark becomes a list item, a table a table. The final report, which its
builder writes as Markdown for ``rolecall report``, comes in through
:func:`~rolecall.render.report_parts.report_blocks`.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _escape

from rolecall.render.parts import (
    Block,
    Details,
    Heading,
    Line,
    Message,
    Paragraph,
    Part,
    Quote,
    Report,
    Text,
    clock,
)
from rolecall.render.report_parts import report_blocks

__all__ = ["part_html"]

# A run repeats its names, handles and the templates' own words thousands of times: escape each once.
escape = lru_cache(maxsize=8192)(_escape)

_TAG = {"em": "i", "strong": "b", "code": "code", "strike": "s"}
# Messages whose kind a reviewer looks for first.
_HIGHLIGHT = {"violation": " violation", "redirect": " redirect", "task_failed": " failure", "escalation": " failure"}


def inline(said: Text) -> str:
    out = []
    for span in said:
        value = escape(span.text)
        if "\n" in value:
            value = value.replace("\n", "<br>")
        if span.style:
            tag = _TAG[span.style]
            value = f"<{tag}>{value}</{tag}>"
        out.append(value)
    return "".join(out)


def _level(item: Line) -> int:
    return len(item.indent.expandtabs(4)) // 2


def _item(item: Line) -> str:
    said = inline(item.text)
    if item.check is None:
        return f"<li>{said}"
    box = "<input type=checkbox disabled checked>" if item.check else "<input type=checkbox disabled>"
    return f"<li class=todo>{box} {said}"


def _list_tag(item: Line) -> tuple[str, str]:
    """``ul``, or ``ol`` numbered from the first item's number."""
    number = item.mark[:-1]
    if item.mark.endswith(".") and number.isdigit():
        return "ol", "" if number == "1" else f' start="{int(number)}"'
    return "ul", ""


def _list(items: list[Line]) -> str:
    """List items, nested by their indentation: a deeper item opens a list inside the item above it."""
    out: list[str] = []
    open_: list[tuple[int, str]] = []  # (level, tag) of each open list, outermost first
    for item in items:
        level = _level(item)
        if open_ and level <= open_[-1][0]:
            out.append("</li>")
            while len(open_) > 1 and level < open_[-1][0]:
                out.append(f"</{open_.pop()[1]}>")
                if level > open_[-1][0]:
                    break  # still deeper than the item above: its new list opens inside it
                out.append("</li>")
        if not open_ or level > open_[-1][0]:  # the item above, if any, stays open around the new list
            tag, start = _list_tag(item)
            out.append(f"<{tag}{start}>")
            open_.append((level, tag))
        out.append(_item(item))
    out.append("</li>")
    while open_:
        out.append(f"</{open_.pop()[1]}>" + ("</li>" if open_ else ""))
    return "".join(out)


def lines_html(lines: tuple[Line, ...]) -> str:
    """Runs of list items become lists; other lines a paragraph per run between empty lines."""
    out: list[str] = []
    run: list[Line] = []

    def close() -> None:
        if run:
            out.append(_list(run) if run[0].mark else "<p>" + "<br>".join(inline(r.text) for r in run) + "</p>")
            run.clear()

    for item in lines:
        if not item.text and not item.mark:
            close()
            continue
        if run and bool(run[0].mark) != bool(item.mark):
            close()
        run.append(item)
    close()
    return "".join(out)


def block_html(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)  # the page's own title is the one h1
        return f"<h{level}>{inline(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return lines_html(block.lines)
    if isinstance(block, Quote):
        return f"<blockquote>{lines_html(block.lines)}</blockquote>"
    if isinstance(block, Details):
        return f"<details><summary>{escape(block.summary)}</summary>{lines_html(block.lines)}</details>"
    align = [" class=r" if right else "" for right in block.right]
    head = "".join(f"<th{a}>{inline(cell)}</th>" for a, cell in zip(align, block.head, strict=False))
    rows = "".join(
        "<tr>" + "".join(f"<td{a}>{inline(cell)}</td>" for a, cell in zip(align, row, strict=False)) + "</tr>"
        for row in block.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def message_html(message: Message, kind: str, seq: int) -> str:
    who = escape(message.persona)
    stream = f"<span>[{escape(message.stream)}]</span> " if message.stream else ""
    said = f" {inline(message.text)}" if message.text else ""
    head = (
        f"<p class=said><code>[{clock(message.at, message.clock)}]</code> {stream}<b>{escape(message.name)}</b> "
        f"<span>({escape(message.handle)})</span>:{said}</p>"
    )
    body = lines_html(message.lines) + "".join(block_html(block) for block in message.blocks)
    return (
        f'<div class="msg p-{who}{_HIGHLIGHT.get(kind, "")}" data-persona="{who}" data-kind="{escape(kind)}" '
        f'data-seq="{seq}">{head}{body}</div>'
    )


def part_html(part: Part, kind: str, seq: int) -> str:
    """One part of the transcript, from the event of ``kind`` and ``seq`` that said it."""
    if isinstance(part, Message):
        return message_html(part, kind, seq)
    if isinstance(part, Report):
        return "<div class=report>" + "".join(block_html(b) for b in report_blocks(part.markdown)) + "</div>"
    return block_html(part)
