"""pydantic's validation errors, reworded in the terms of rolecall's files.

A user reads "expected true or false, got the text "no"", never "Input should
be a valid boolean" or a regular expression; an unknown key or kind comes
with the nearest valid one.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from rolecall._locate import format_loc
from rolecall._model import PATTERN_HINTS
from rolecall.errors import Problem

__all__ = ["did_you_mean", "expected", "problems_from_errors", "problems_from_validation", "shown"]

LineOf = typing.Callable[[str], int | None]


def did_you_mean(value: str, known: typing.Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest known value, or an empty string."""
    candidates = list(known)
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    if not close:
        close = [c for c in candidates if c.lower() == value.lower()]
    return f"; did you mean '{close[0]}'?" if close else ""


def shown(value: Any) -> str:
    """A value as the user wrote it, in TOML/JSON words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        if len(text) > 60:
            text = text[:56] + '..."'
        return f"the text {text}"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    if isinstance(value, dict | Mapping):
        return "a table"
    if value is None:
        return "nothing"
    return type(value).__name__


def problems_from_validation(
    exc: ValidationError, model: Any, path: typing.Any, line_of: LineOf | None = None
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with field path, line and message in rolecall's terms."""
    return problems_from_errors(exc.errors(include_url=False), model, path, line_of)


def problems_from_errors(
    errors: typing.Sequence[Any], model: Any, path: typing.Any, line_of: LineOf | None = None
) -> list[Problem]:
    locs = [_strip_tags(model, tuple(e["loc"])) for e in errors]
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for i, error in enumerate(errors):
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            # pydantic places these at the table; the user wrote (or forgot) the tag key itself.
            locs[i] = (*locs[i], str((error.get("ctx") or {}).get("discriminator", "kind")).strip("'"))
    for error, loc in zip(errors, locs, strict=True):
        # A list whose items failed is also 'too short' after validation: noise, not a second problem.
        if error["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs):
            continue
        field = format_loc(loc)
        message = _describe(error, model, loc, tuple(error["loc"]))
        if (field, message) in seen:
            continue
        seen.add((field, message))
        problems.append(Problem(path, message, field, line_of(field) if line_of else None))
    return problems


# -- locations ---------------------------------------------------------------


def _strip_tags(model: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop what pydantic inserts for unions: the chosen tag or member type name."""
    return _walk(model, loc)[0]


def _walk(model: Any, loc: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], Any]:
    """The location without union tags, and the type found at its end.

    The location is walked alongside the type: a part is a union tag only
    where the type at that point is a union with two or more members. Keys
    the user wrote, even capitalised ones, are always kept.
    """
    out: list[str | int] = []
    current: Any = model
    for part in loc:
        members = _union_members(current)
        if members is not None:
            chosen = _member_for(members, part)
            if chosen is not None:
                current = chosen
                continue
            current = None
        out.append(part)
        current = _step(current, part)
    return tuple(out), current


def _union_members(annotation: Any) -> list[Any] | None:
    annotation = _strip_annotated(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) >= 2:
            return members
        return None
    return None


def _member_for(members: list[Any], part: str | int) -> Any:
    if not isinstance(part, str):
        return None
    for member in members:
        if _tag_of(member) == part:
            return member
        name = getattr(_strip_annotated(member), "__name__", None)
        if name == part or str(_strip_annotated(member)) == part:
            return member
    return None


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _fields(annotation: Any) -> dict[str, Any] | None:
    """Field name (or alias) -> annotation, for a pydantic model or a dataclass (events)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out: dict[str, Any] = {}
        for name, field in annotation.model_fields.items():
            out[field.alias or name] = field.annotation
        return out
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        hints = typing.get_type_hints(annotation, include_extras=True)
        return {f.name: hints.get(f.name) for f in dataclasses.fields(annotation)}
    return None


def _tag_of(annotation: Any) -> str | None:
    fields = _fields(_strip_annotated(annotation))
    if not fields or "kind" not in fields:
        return None
    args = typing.get_args(_strip_annotated(fields["kind"]))
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional down to the model or container inside."""
    while True:
        annotation = _strip_annotated(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _step(current: Any, part: str | int) -> Any:
    current = _unwrap(current)
    if current is None:
        return None
    if isinstance(part, int):
        args = typing.get_args(current)
        return args[0] if args else None
    fields = _fields(current)
    if fields is not None:
        if isinstance(current, type) and issubclass(current, BaseModel):
            for name, field in current.model_fields.items():
                if part == name:
                    return field.annotation
        return fields.get(part)
    if typing.get_origin(current) in (dict, Mapping):
        args = typing.get_args(current)
        return args[-1] if args else None
    return None


def _allowed_keys(model: Any, raw_loc: tuple[str | int, ...]) -> list[str]:
    fields = _fields(_unwrap(_walk(model, raw_loc)[1]))
    return list(fields) if fields is not None else []


# -- messages ----------------------------------------------------------------


def _describe(error: Any, model: Any, loc: tuple[str | int, ...], raw_loc: tuple[str | int, ...]) -> str:
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    got = error.get("input")
    if kind == "extra_forbidden" or kind == "unexpected_keyword_argument":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(model, raw_loc[:-1])
        hint = did_you_mean(key, allowed) or (f"; expected one of: {', '.join(allowed)}" if allowed else "")
        return f"unknown key '{key}'{hint}"
    if kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
        return (
            f"required key '{loc[-1]}' is missing" if loc and isinstance(loc[-1], str) else "required value is missing"
        )
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "union_tag_invalid":
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        tag = str(ctx.get("tag", "?"))
        name = ctx.get("discriminator", "'kind'").strip("'")
        return f"unknown {name} '{tag}'{did_you_mean(tag, tags)} (expected one of: {', '.join(tags)})"
    if kind == "union_tag_not_found":
        name = str(ctx.get("discriminator", "'kind'")).strip("'")
        return f"required key '{name}' is missing"
    if kind == "literal_error":
        options = [o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ",").split(",") if o.strip()]
        hint = did_you_mean(got, options) if isinstance(got, str) else ""
        return f"expected one of {', '.join(repr(o) for o in options)}, got {shown(got)}{hint}"
    if kind == "string_pattern_mismatch":
        what = PATTERN_HINTS.get(str(ctx.get("pattern")), "text of the documented form")
        hint = ""
        if isinstance(got, str):
            fixed = got.strip().lower().replace(" ", "-")
            if fixed != got and str(ctx.get("pattern")) in PATTERN_HINTS and re.match(str(ctx["pattern"]), fixed):
                hint = f"; did you mean '{fixed}'?"
        return f"expected {what}, got {shown(got)}{hint}"
    return _TYPE_MESSAGES.get(kind, _generic)(got, ctx, error)


def _generic(got: Any, ctx: dict[str, Any], error: Any) -> str:
    message = str(error["msg"])
    return f"{message[:1].lower()}{message[1:]} (got {shown(got)})"


def expected(what: str, got: Any) -> str:
    """``expected <what>, got <got>``, with the fix when there is an obvious one (``write true without quotes``)."""
    return _expected(what)(got, {}, {})


def _expected(what: str) -> typing.Callable[[Any, dict[str, Any], Any], str]:
    def message(got: Any, ctx: dict[str, Any], error: Any) -> str:
        extra = ""
        if what == "true or false" and isinstance(got, str) and got.strip().lower() in _BOOL_WORDS:
            extra = f"; write {_BOOL_WORDS[got.strip().lower()]} without quotes"
        if what.startswith("a list") and isinstance(got, str):
            extra = f"; write [{json.dumps(got, ensure_ascii=False)}]"
        # TOML's two table syntaxes: [[name]] adds an entry to a list, [name] is one table.
        header = ".".join(
            part for part in (error.get("loc", ()) if isinstance(error, dict) else ()) if isinstance(part, str)
        )
        if what.startswith("a list") and isinstance(got, dict) and header:
            extra = f"; write each entry as a [[{header}]] table (two brackets)"
        if what.startswith("a table") and isinstance(got, list) and header:
            extra = f"; write it as one [{header}] table (one bracket)"
        if what == "a whole number" and isinstance(got, float) and got.is_integer():
            extra = f"; write {int(got)}"
        if what in ("a whole number", "a number") and isinstance(got, str) and got.strip().isdigit():
            extra = f"; write {got.strip()} without quotes"
        return f"expected {what}, got {shown(got)}{extra}"

    return message


_BOOL_WORDS = {
    "yes": "true",
    "no": "false",
    "true": "true",
    "false": "false",
    "on": "true",
    "off": "false",
    "1": "true",
    "0": "false",
    "y": "true",
    "n": "false",
}


def _bound(word: str, key: str) -> typing.Callable[[Any, dict[str, Any], Any], str]:
    def message(got: Any, ctx: dict[str, Any], error: Any) -> str:
        return f"must be {word} {ctx.get(key)}, got {shown(got)}"

    return message


def _length(word: str, key: str, unit: str) -> typing.Callable[[Any, dict[str, Any], Any], str]:
    def message(got: Any, ctx: dict[str, Any], error: Any) -> str:
        count = ctx.get(key)
        if word == "at least" and count == 1:
            return "must not be empty"
        return f"must have {word} {count} {unit}{'' if count == 1 else 's'}"

    return message


_TYPE_MESSAGES: dict[str, typing.Callable[[Any, dict[str, Any], Any], str]] = {
    "bool_type": _expected("true or false"),
    "bool_parsing": _expected("true or false"),
    "int_type": _expected("a whole number"),
    "int_parsing": _expected("a whole number"),
    "int_from_float": _expected("a whole number"),
    "float_type": _expected("a number"),
    "float_parsing": _expected("a number"),
    "finite_number": _expected("a finite number"),
    "string_type": _expected("text in quotes"),
    "tuple_type": _expected("a list [...]"),
    "list_type": _expected("a list [...]"),
    "dict_type": _expected("a table (key = value pairs)"),
    "model_type": _expected("a table (key = value pairs)"),
    "model_attributes_type": _expected("a table (key = value pairs)"),
    "greater_than_equal": _bound("at least", "ge"),
    "greater_than": _bound("more than", "gt"),
    "less_than_equal": _bound("at most", "le"),
    "less_than": _bound("less than", "lt"),
    "string_too_short": _length("at least", "min_length", "character"),
    "string_too_long": _length("at most", "max_length", "character"),
    "too_short": _length("at least", "min_length", "item"),
    "too_long": _length("at most", "max_length", "item"),
}
