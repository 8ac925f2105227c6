"""A message template rendered into quoted lines whose values stay apart from the template's own words.

The template language is :mod:`rolecall.handoffs.template`'s alone: this
module renders with stand-in tokens in place of the values, then cuts the
result at the tokens. So the lines, bullets and list expansion are exactly
what ``Template.render`` makes, while every value comes back as the styled
:data:`~rolecall.render.parts.Text` it was given, never as text to be read
for markup. A template's own lines are plain text; ``- `` at the start of a
line is the one thing read from them, because the template language writes
list items that way.

The cut-up result depends only on the template, the placeholders given and
the length of each list, so :class:`TemplateQuotes` keeps it per shape and
fills it with each message's values: a run of thousands of handoffs renders
the handoff template a few times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rolecall.handoffs import Template
from rolecall.render.parts import Line, Quote, Span, Text

__all__ = ["Said", "TemplateQuotes"]

Said = str | int | Text | list[str] | list[Text] | list[str | Text]
"""A placeholder's value: a plain string, a number, styled text, or a list (a ``list``, never a tuple) of those."""

# Control characters no template has a reason to hold; a token naming no value is kept as written.
_TOKEN = re.compile("\x01([a-z0-9_]+)(?::([0-9]+))?\x02")
_BULLET = re.compile(r"([ \t]*)- ")

_Slot = Span | tuple[str, int]  # the template's own words, or (placeholder, list index or -1)
_Skeleton = tuple[tuple[tuple[_Slot, ...], str, str], ...]  # per line: slots, list mark, indent
_CACHE_LIMIT = 4096


class TemplateQuotes:
    """``quotes(template, values)`` is the template's text with those values, as a :class:`Quote`."""

    def __init__(self) -> None:
        self._skeletons: dict[tuple[int, tuple[tuple[str, int], ...]], tuple[Template, _Skeleton]] = {}

    def __call__(self, template: Template, values: Mapping[str, Said]) -> Quote:
        # Which placeholders are given, and how long each list is: all the skeleton depends on.
        shape = tuple((name, len(value) if isinstance(value, list) else -1) for name, value in values.items())
        key = (id(template), shape)
        known = self._skeletons.get(key)
        if known is None or known[0] is not template:
            if len(self._skeletons) >= _CACHE_LIMIT:
                self._skeletons.clear()  # a run with ever new list lengths: start over rather than grow
            known = self._skeletons[key] = (template, _skeleton(template, values))
        lines: list[Line] = []
        for slots, mark, indent in known[1]:
            spans: list[Span] = []
            for slot in slots:
                if isinstance(slot, Span):
                    spans.append(slot)
                else:
                    spans += _spans(values[slot[0]], slot[1])
            lines.append(Line(tuple(spans), mark, indent))
        while lines and not lines[-1].text and not lines[-1].mark and not lines[-1].indent:
            lines.pop()  # as quoted text always has been: trailing empty lines are left out
        return Quote(tuple(lines))


def _spans(value: Said, index: int) -> Text:
    """A value, or item ``index`` of a list, as spans."""
    if index >= 0 and isinstance(value, list):
        value = value[index]
    if isinstance(value, str):
        return (Span(value),) if value else ()
    if isinstance(value, int):
        return (Span(str(value)),)
    return value if isinstance(value, tuple) else ()


def _skeleton(template: Template, values: Mapping[str, Said]) -> _Skeleton:
    stand_in: dict[str, str | list[str]] = {}
    for name, value in values.items():
        if isinstance(value, list):
            stand_in[name] = [f"\x01{name}:{i}\x02" for i in range(len(value))]
        else:
            stand_in[name] = f"\x01{name}\x02"
    skeleton: list[tuple[tuple[_Slot, ...], str, str]] = []
    for raw in template.render(stand_in).split("\n"):
        bullet = _BULLET.match(raw)
        rest = raw[bullet.end() :] if bullet else raw
        whole = _TOKEN.fullmatch(rest)
        # A value alone on its line (every line of a long list) needs no search.
        slots = (_slot(whole),) if whole and whole.group(1) in values else _slots(rest, values)
        # A value's own newlines stay inside its span: each view breaks the line where it falls.
        skeleton.append((slots, "-" if bullet else "", bullet.group(1) if bullet else ""))
    return tuple(skeleton)


def _slot(token: re.Match[str]) -> tuple[str, int]:
    index = token.group(2)
    return token.group(1), int(index) if index is not None else -1


def _slots(rest: str, values: Mapping[str, Said]) -> tuple[_Slot, ...]:
    slots: list[_Slot] = []
    pos = 0
    for match in _TOKEN.finditer(rest):
        if match.group(1) not in values:
            continue
        if match.start() > pos:
            slots.append(Span(rest[pos : match.start()]))
        slots.append(_slot(match))
        pos = match.end()
    if pos < len(rest):
        slots.append(Span(rest[pos:]))
    return tuple(slots)
