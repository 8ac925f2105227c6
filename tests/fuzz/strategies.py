"""Hypothesis strategies for the fuzz suite: broken copies of the shipped files, and files from scratch.

Every strategy produces a :class:`Case`: the files to write into a fresh folder, the files a
message must name if rolecall rejects the input (the culprits), and whether the input is
certainly invalid, in which case exit code 2 is the only right answer.

"Certainly invalid" comes from an oracle independent of rolecall's own checks wherever one
exists: the file is not UTF-8, not TOML or not JSON, or breaks the published JSON Schema of its
format (``schemas/*.schema.json``, read with integers that must be integers: ``fails = 1.0`` is a
float, not 1). Cross-file mistakes no schema sees (a dangling reference, a dependency cycle, a
duplicate id) are marked invalid by the edit that makes them. A leading byte-order mark is not
counted as a mistake: some editors start every UTF-8 file with one.

Culprit rule, the one a user expects:

- a file that is wrong on its own (bytes, syntax, schema) must be named itself;
- a file that is fine on its own but breaks an agreement between files may be reported at
  either end of the agreement: for a cast, any file of the cast folder (persona files and the
  manifest reference each other); for a scenario run with an edited cast, the scenario too. A
  scenario edited against a shipped cast must be named itself: the shipped cast is known good.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema
import tomli
import tomli_w
from hypothesis import strategies as st
from jsonschema.protocols import Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
CAST_NAME = "product-team"
CAST_DIR = ROOT / "roles" / CAST_NAME
SCENARIO_DIR = ROOT / "scenarios"
POLICY_DIR = ROOT / "policies"
TEMPLATE_DIR = ROOT / "handoffs"
GOLDEN_DIR = ROOT / "tests" / "golden"

# Injected into ids and text; an HTML page that contains SCRIPT_TAG runs the input's code.
MARKER = "</script><script>rcfuzz()</script>"
SCRIPT_TAG = "<script>rcfuzz"
GHOST = "ghost"

# Scenarios whose runs cover every event kind between them.
EVENT_SOURCES = (
    "stripe-subscription",
    "role-boundary-violation",
    "inventory-alerts",
    "evaluator-optimizer",
    "fallback-escalation",
    "prerequisites-no-go",
    "rest-api-delegation",
)


# -- cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where a message about a file must point: a line (this one, when known exactly) and a field.

    ``field`` is written the way rolecall writes field paths (``task[3].fails``); a message
    about a key inside it (``task[3].fails.x``) points there too.
    """

    file: str
    line: int | None = None
    field: str | None = None


@dataclass(frozen=True)
class Flaw:
    """Why an input is certainly invalid, and where in the file that is, when it can be told."""

    reason: str
    line: int | None = None
    located: bool = False
    field: str | None = None

    def __str__(self) -> str:
        return self.reason

    def where(self, file: str) -> Where | None:
        return Where(file, self.line, self.field) if self.located else None


@dataclass(frozen=True)
class Case:
    """Input files for one run of the command line, and what the run must do with them.

    Paths are relative to the folder the files are written to. ``slots`` name the paths the
    commands take (``scenario``, ``events``, ``templates``...); a slot may be absolute, for
    shipped files read in place.
    """

    kind: str
    files: tuple[tuple[str, bytes], ...]
    culprits: frozenset[str]
    must_fail: bool
    note: str
    slots: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    folders: tuple[str, ...] = ()
    where: Where | None = None

    def __repr__(self) -> str:
        verdict = "invalid" if self.must_fail else "maybe valid"
        return f"Case({self.kind}: {self.note} [{verdict}])"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints falsifying examples with this; the files' bytes would drown the note.
        printer.text(repr(self))

    def write(self, root: Path) -> None:
        for folder in self.folders:
            (root / folder).mkdir(parents=True, exist_ok=True)
        for rel, data in self.files:
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for rel, target in self.links:
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(target)


@dataclass(frozen=True)
class Edit:
    """One change to one file: the new bytes, what was done, and whether it surely breaks the input."""

    data: bytes
    note: str
    breaks: bool = False


def short(value: object, limit: int = 70) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else f"{text[: limit - 20]}...({len(text)} chars)"


# -- shipped inputs ----------------------------------------------------------------------------


@functools.cache
def shipped(path: Path) -> bytes:
    return path.read_bytes()


def cast_files() -> dict[str, bytes]:
    """The product-team cast, file name to bytes."""
    return {p.name: shipped(p) for p in sorted(CAST_DIR.glob("*.toml"))}


def scenario_paths() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.toml"))


def template_paths() -> list[Path]:
    return sorted(TEMPLATE_DIR.glob("*.md"))


@functools.cache
def scenario_cast(path: Path) -> str:
    return str(tomli.loads(shipped(path).decode("utf-8")).get("cast", CAST_NAME))


@functools.cache
def policy_for(cast: str) -> Path:
    return POLICY_DIR / f"{cast}.toml"


@functools.cache
def shipped_events(stem: str) -> bytes:
    """The event stream of a shipped scenario, as ``rolecall replay --format jsonl`` prints it."""
    from rolecall.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["replay", str(SCENARIO_DIR / f"{stem}.toml"), "--format", "jsonl"])
    if code not in (0, 1) or not out.getvalue():
        raise RuntimeError(f"cannot replay {stem} to seed the events fuzzer (exit {code}): {err.getvalue()}")
    return out.getvalue().encode("utf-8")


@functools.cache
def report_text() -> bytes:
    """An ORCHESTRATOR REPORT block as an agent writes it, taken from a golden transcript."""
    lines = shipped(GOLDEN_DIR / "rest-api-delegation.md").decode("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("> === ORCHESTRATOR REPORT"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("> === END REPORT"))
    body = [line[2:] if line.startswith("> ") else line.lstrip(">") for line in lines[start : end + 1]]
    return ("Here is my answer.\n\n" + "\n".join(body) + "\n").encode("utf-8")


# -- oracles -----------------------------------------------------------------------------------


def _is_integer(_checker: object, instance: object) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_VALIDATOR: type[Validator] = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@functools.cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _validator(name: str, kind: str | None = None) -> Any:
    whole = schema(name)
    if kind is None:
        return _VALIDATOR(whole)
    ref = whole["discriminator"]["mapping"][kind]
    return _VALIDATOR({"$ref": ref, "$defs": whole["$defs"]})


def field_path(parts: Iterable[object]) -> str:
    """A JSON Schema error path as rolecall writes field paths: ``task[3].fails``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_problem(name: str, data: object, kind: str | None = None) -> Flaw | None:
    try:
        # best_match descends into oneOf branches to say which value is wrong ...
        error = jsonschema.exceptions.best_match(_validator(name, kind).iter_errors(data))
    except RecursionError:
        return Flaw("nested too deep to validate")
    if error is None:
        return None
    # ... but which branch it picks is a guess: a message need only point where validation
    # failed before branching (``rule[3]``, not ``rule[3].forbid`` when its kind is unknown).
    top = error
    while top.parent is not None:
        top = top.parent
    where = field_path(top.absolute_path)
    detail = field_path(error.absolute_path) or "(top)"
    return Flaw(f"schema: {detail}: {short(error.message, 90)}", located=bool(where), field=where or None)


def toml_problem(data: bytes, schema_name: str) -> Flaw | None:
    """Why ``data`` is certainly not a valid file of this format, or None if it may be."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Flaw("not UTF-8")
    # A byte-order mark is how some editors start UTF-8 files: reading past it is no mistake.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Flaw("empty")
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        # tomli gives no line for an error "at end of document".
        located = isinstance(line, int) and "at line" in str(exc)
        return Flaw(f"TOML syntax: {short(str(exc), 60)}", line if located else None, located)
    except RecursionError:
        return Flaw("TOML nested too deep")
    return schema_problem(schema_name, doc)


_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@functools.cache
def template_placeholders() -> dict[str, frozenset[str]]:
    """Template name to the placeholders docs/handoffs.md allows in it."""
    from rolecall.handoffs.catalogue import TEMPLATES

    return {name: frozenset(allowed) for name, allowed in TEMPLATES.items()}


def template_problem(data: bytes, name: str) -> Flaw | None:
    """The documented template language: known ``{name}``s, ``{{``/``}}`` for braces, no lone brace."""
    allowed = template_placeholders().get(name)
    if allowed is None:
        return Flaw(f"unknown template name {name!r}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Flaw("not UTF-8")
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _TOKEN.finditer(line):
            token = match.group(0)
            if token in ("{", "}"):
                return Flaw(f"lone {token!r} on line {number}", number, located="\r" not in text)
            if match.group(1) is not None and match.group(1).strip() not in allowed:
                return Flaw(
                    f"unknown placeholder {short(token, 30)} on line {number}", number, located="\r" not in text
                )
    return None


@functools.lru_cache(maxsize=8192)
def event_line_problem(line: str) -> str | None:
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return "not JSON"
    if not isinstance(obj, dict):
        return "not a JSON object"
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in schema("event")["discriminator"]["mapping"]:
        return f"unknown kind {short(kind, 30)}"
    flaw = schema_problem("event", obj, kind)
    return None if flaw is None else flaw.reason


def _events_problem_split(lines: Iterable[str]) -> Flaw | None:
    seqs: list[object] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem = event_line_problem(line)
        if problem is not None:
            return Flaw(f"line {number}: {problem}", number, located=True)
        seqs.append(json.loads(line)["seq"])
    if not seqs:
        return Flaw("no events")
    for expected, seq in enumerate(seqs):
        if seq != expected or isinstance(seq, bool):
            return Flaw(f"seq {short(seq, 20)} where {expected} was expected")
    return None


def events_problem(data: bytes) -> Flaw | None:
    """Why ``data`` is certainly not an event stream (docs/events.md), or None if it may be one.

    Lines are split both on '\\n' alone and on universal newlines; a stream is certainly invalid
    only when it is invalid read either way, so the oracle does not depend on how rolecall reads.
    A message must then give the first bad line, unless the two readings number lines differently.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Flaw("not UTF-8")
    text = text.removeprefix("\ufeff")
    plain = _events_problem_split(text.split("\n"))
    if plain is None:
        return None
    universal = _events_problem_split(io.StringIO(text, newline=None))
    if universal is None:
        return None
    return plain if plain.line == universal.line else replace(plain, located=False)


# -- values --------------------------------------------------------------------------------------

# TOML literals, as written after ``key =``.
_WRONG_FOR: dict[type, tuple[str, ...]] = {
    bool: ('"yes"', '"no"', '"true"', '"false"', '"on"', "1", "0", '"1"', "1.0", "[]"),
    int: ("1.0", "2.0", "0.5", '"1"', '"one"', "true", "false", "[1]", "{}", "nan", "inf"),
    float: ('"1.5"', "true", "[]", '"fast"'),
    str: ("true", "false", "1", "0", "-1", "1.5", "[]", '["a"]', "{}", "{ a = 1 }", "1979-05-27T07:32:00Z"),
    list: ('"a"', '""', "1", "true", "{}", "[[]]", "[{}]", "[1, 2]", "[true]"),
    dict: ('"a"', "1", "[]", "true"),
}
_ODD_VALUES = (
    '""',
    '" "',
    '"\\u0000"',
    '"\\u001b[31m"',
    '"\\u202e"',
    '"../../etc/passwd"',
    '"/"',
    '"."',
    '"*"',
    '"Sam"',
    '"sam "',
    '"@"',
    '"a.b.c.d"',
    f'"{GHOST}"',
    json.dumps(MARKER),
    "-1",
    "0",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "1e308",
    "-inf",
    "[]",
    '["", ""]',
    '["a", "a"]',
    "07:32:00",
    "1979-05-27",
)


def _toml_string(text: str) -> str:
    # JSON string syntax is TOML basic-string syntax for everything json.dumps emits.
    return json.dumps(text)


def _toml_value(value: object) -> str:
    """A Python value as a one-line TOML literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_string(str(k))} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return _toml_string(str(value))


def _deep(depth: int, style: str) -> str:
    if style == "array":
        return "[" * depth + "]" * depth
    if style == "table":
        return "{ a = " * depth + "1" + " }" * depth
    return "[{ a = " * depth + "1" + " }]" * depth


_BYTES = (
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\x80",
    b"\xef\xbb\xbf",
    b"\r",
    b"\n",
    b"\t",
    b"\x1b",
    b"\x7f",
    b'"',
    b"'",
    b"[",
    b"]",
    b"{",
    b"}",
    b"=",
    b"#",
    b"\\",
    b'"""',
    b"[[",
    b"\xe2\x80\xae",
    MARKER.encode("utf-8"),
)
byte_chunks = st.one_of(st.sampled_from(_BYTES), st.binary(min_size=1, max_size=8))


def _key_variants(key: str) -> list[str]:
    bare = key.strip('"')
    variants = {
        bare.upper(),
        bare.capitalize(),
        bare[:-1],
        bare[1:],
        bare + "s",
        bare + "_",
        "x" + bare,
        bare.replace("_", "-"),
        bare.replace("-", "_"),
        bare[::-1],
        f'"{bare} "',
        f'"{bare}"',
    }
    if len(bare) > 2:
        variants.add(bare[:1] + bare[2] + bare[1] + bare[3:])
        variants.add(bare[:2] + bare[1:])
    # A quoted key is the same key as the bare one: not a change.
    return sorted(variants - {"", bare, f'"{bare}"'})


# -- TOML edits ----------------------------------------------------------------------------------

_ASSIGN = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z0-9_-]+|\"[^\"\n]*\")\s*=\s*(?P<value>.*)$")
_HEADER = re.compile(r"^\s*(?P<open>\[\[?)\s*(?P<name>[^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class Assignment:
    index: int
    indent: str
    key: str
    value_text: str
    value: Any
    table: str


def scan(lines: Sequence[str]) -> tuple[list[Assignment], list[int]]:
    """The one-line ``key = value`` assignments and the table header lines of a TOML text."""
    found: list[Assignment] = []
    headers: list[int] = []
    table = ""
    closing: str | None = None
    for index, raw in enumerate(lines):
        if closing is not None:
            if closing in raw:
                closing = None
            continue
        header = _HEADER.match(raw)
        if header:
            table = header.group("name")
            headers.append(index)
            continue
        match = _ASSIGN.match(raw)
        if not match:
            continue
        value_text = match.group("value")
        try:
            value = tomli.loads("v = " + value_text)["v"]
        except (tomli.TOMLDecodeError, RecursionError):
            start = value_text.lstrip()
            closing = '"""' if start.startswith('"""') else "'''" if start.startswith("'''") else None
            if closing is None and start.startswith("["):
                closing = "]"
            continue
        found.append(Assignment(index, match.group("indent"), match.group("key"), value_text, value, table))
    return found, headers


def _join(lines: Sequence[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def _replaced(rel: str, lines: list[str], index: int, new: str) -> Edit:
    old = lines[index]
    out = [*lines[:index], new, *lines[index + 1 :]]
    return Edit(_join(out), f"{rel}:{index + 1}: `{short(old)}` -> `{short(new)}`")


def _string_targets(value: Any) -> list[int | None]:
    if isinstance(value, str):
        return [None]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(range(len(value)))
    return []


@st.composite
def toml_line_edit(draw: st.DrawFn, rel: str, text: str) -> Edit:
    lines = text.split("\n")
    found, headers = scan(lines)
    if not found:
        return draw(byte_edit(rel, text.encode("utf-8")))
    a = draw(st.sampled_from(found))
    ops = ["delete", "duplicate", "rename", "retype", "odd", "huge", "deep", "insert"]
    if _string_targets(a.value):
        ops.append("reference")
    if headers:
        ops += ["header"]
    op = draw(st.sampled_from(ops))
    if op == "delete":
        return Edit(
            _join([*lines[: a.index], *lines[a.index + 1 :]]),
            f"{rel}:{a.index + 1}: deleted `{short(lines[a.index])}`",
        )
    if op == "duplicate":
        out = [*lines[: a.index + 1], lines[a.index], *lines[a.index + 1 :]]
        return Edit(_join(out), f"{rel}:{a.index + 1}: duplicated `{short(lines[a.index])}`")
    if op == "rename":
        new_key = draw(st.one_of(st.sampled_from(_key_variants(a.key)), st.sampled_from(known_keys())))
        return _replaced(rel, lines, a.index, f"{a.indent}{new_key} = {a.value_text}")
    if op == "retype":
        pool = _WRONG_FOR.get(type(a.value), _WRONG_FOR[str])
        literal = draw(st.sampled_from(pool))
        return _replaced(rel, lines, a.index, f"{a.indent}{a.key} = {literal}")
    if op == "odd":
        literal = draw(
            st.one_of(st.sampled_from(_ODD_VALUES), st.integers().map(str), st.text(max_size=12).map(_toml_string))
        )
        return _replaced(rel, lines, a.index, f"{a.indent}{a.key} = {literal}")
    if op == "huge":
        size = draw(st.sampled_from([5_000, 100_000, 1_000_000]))
        literal = draw(
            st.sampled_from([_toml_string("x" * size), "[" + ", ".join(['"x"'] * (size // 50)) + "]", "9" * 400])
        )
        edit = _replaced(rel, lines, a.index, f"{a.indent}{a.key} = {literal}")
        return replace(edit, note=f"{rel}:{a.index + 1}: `{a.key}` set to a {len(literal)}-character value")
    if op == "deep":
        depth = draw(st.sampled_from([64, 1_000, 5_000, 100_000]))
        style = draw(st.sampled_from(["array", "table", "mixed"]))
        edit = _replaced(rel, lines, a.index, f"{a.indent}{a.key} = {_deep(depth, style)}")
        return replace(edit, note=f"{rel}:{a.index + 1}: `{a.key}` = {style} nested {depth} deep", breaks=True)
    if op == "insert":
        key = draw(st.one_of(st.sampled_from(known_keys()), st.sampled_from(["a", "deep", "Id", "ID"])))
        literal = draw(st.one_of(st.sampled_from(_ODD_VALUES), st.sampled_from(_WRONG_FOR[str])))
        new = f"{a.indent}{key} = {literal}"
        out = [*lines[: a.index + 1], new, *lines[a.index + 1 :]]
        return Edit(_join(out), f"{rel}:{a.index + 2}: inserted `{short(new)}`")
    if op == "reference":
        targets = _string_targets(a.value)
        at = draw(st.sampled_from(targets))
        ghost = draw(st.sampled_from([GHOST, f"{GHOST}.work", MARKER, "", "Kai", "kai ", "*", "../kai", "a" * 300]))
        value: Any = ghost if at is None else [ghost if i == at else v for i, v in enumerate(a.value)]
        return _replaced(rel, lines, a.index, f"{a.indent}{a.key} = {_toml_value(value)}")
    # header
    index = draw(st.sampled_from(headers))
    header = lines[index]
    how = draw(st.sampled_from(["delete", "duplicate", "rename", "array"]))
    if how == "delete":
        return Edit(_join([*lines[:index], *lines[index + 1 :]]), f"{rel}:{index + 1}: deleted header `{header}`")
    if how == "duplicate":
        out = [*lines[: index + 1], header, *lines[index + 1 :]]
        return Edit(_join(out), f"{rel}:{index + 1}: duplicated header `{header}`")
    if how == "array":
        flipped = (
            header.replace("[[", "[").replace("]]", "]")
            if "[[" in header
            else header.replace("[", "[[").replace("]", "]]")
        )
        return _replaced(rel, lines, index, flipped)
    match = _HEADER.match(header)
    assert match is not None
    name = match.group("name")
    new_name = draw(st.sampled_from(_key_variants(name.split(".")[-1])))
    prefix = name.rsplit(".", 1)[0] + "." if "." in name else ""
    return _replaced(rel, lines, index, header.replace(name, prefix + new_name.strip('"')))


@st.composite
def byte_edit(draw: st.DrawFn, rel: str, data: bytes) -> Edit:
    """Edits below the syntax: truncation, stray bytes, encodings, whole-file replacements."""
    op = draw(st.sampled_from(["truncate", "insert", "insert", "overwrite", "whole", "deep-line"]))
    if op == "truncate":
        cut = draw(st.integers(0, max(0, len(data) - 1)))
        return Edit(data[:cut], f"{rel}: truncated at byte {cut} of {len(data)}")
    if op in ("insert", "overwrite"):
        chunk = draw(byte_chunks)
        at = draw(st.integers(0, len(data)))
        line = data[:at].count(b"\n") + 1
        tail = data[at + len(chunk) :] if op == "overwrite" else data[at:]
        return Edit(data[:at] + chunk + tail, f"{rel}:{line}: {op} {chunk!r} at byte {at}")
    if op == "deep-line":
        depth = draw(st.sampled_from([1_000, 5_000, 100_000]))
        style = draw(st.sampled_from(["array", "table", "mixed"]))
        return Edit(
            f"deep = {_deep(depth, style)}\n".encode() + data,
            f"{rel}:1: added `deep = ...` ({style} nested {depth} deep)",
        )
    how = draw(
        st.sampled_from(
            ["empty", "blank", "comment", "bom", "crlf", "cr", "utf16", "latin1", "twice", "no-final-newline", "nul"]
        )
    )
    text_ok = True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text_ok = False
        text = data.decode("utf-8", "replace")
    result = {
        "empty": b"",
        "blank": b"\n  \n\t\n",
        "comment": b"# nothing but a comment\n",
        "bom": b"\xef\xbb\xbf" + data,
        "crlf": data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
        "cr": data.replace(b"\n", b"\r"),
        "utf16": text.encode("utf-16"),
        "latin1": text.replace("e", "é").encode("latin-1", "replace") if text_ok else data,
        "twice": data + b"\n" + data,
        "no-final-newline": data.rstrip(b"\n"),
        "nul": data.replace(b"\n", b"\x00\n", 1),
    }[how]
    return Edit(result, f"{rel}: whole file {how}")


# -- semantic edits: parsed, changed, written back ------------------------------------------------

SemanticOp = Callable[[st.DrawFn, dict[str, Any]], tuple[str, bool]]


def _ids(items: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(i["id"]) for i in items if "id" in i]


def _scenario_ops(doc: dict[str, Any]) -> list[SemanticOp]:
    tasks: list[dict[str, Any]] = doc.get("task", [])
    phases: list[dict[str, Any]] = doc.get("phase", [])
    task_ids = set(_ids(tasks))
    ops: list[SemanticOp] = []

    def pick(draw: st.DrawFn, items: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        i = draw(st.integers(0, len(items) - 1))
        return i, items[i]

    def dangling_phase(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i, t = pick(draw, d["task"])
        t["phase"] = GHOST
        return f"task[{i}] '{t['id']}'.phase = '{GHOST}' (no such phase)", True

    def dangling_dep(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i, t = pick(draw, d["task"])
        target = draw(st.sampled_from([GHOST, *(p for p in _ids(phases) if p not in task_ids)]))
        t["depends_on"] = [*t.get("depends_on", []), target]
        return f"task[{i}] '{t['id']}'.depends_on += ['{target}'] (no such task)", True

    def self_dep(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i, t = pick(draw, d["task"])
        t["depends_on"] = [*t.get("depends_on", []), t["id"]]
        return f"task[{i}] '{t['id']}' depends on itself", True

    def cycle(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        with_deps = [(i, t) for i, t in enumerate(d["task"]) if any(x in task_ids for x in t.get("depends_on", []))]
        if not with_deps:
            return self_dep(draw, d)
        _i, t = draw(st.sampled_from(with_deps))
        dep = draw(st.sampled_from([x for x in t["depends_on"] if x in task_ids]))
        other = next(o for o in d["task"] if o["id"] == dep)
        other["depends_on"] = [*other.get("depends_on", []), t["id"]]
        return f"cycle: '{t['id']}' depends on '{dep}', now '{dep}' also depends on '{t['id']}'", True

    def duplicate_task(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        _i, t = pick(draw, d["task"])
        d["task"].append(copy.deepcopy(t))
        return f"task '{t['id']}' declared twice", True

    def duplicate_phase(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        _i, p = pick(draw, d["phase"])
        d["phase"].append(copy.deepcopy(p))
        return f"phase '{p['id']}' declared twice", True

    def unknown_capability(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i, t = pick(draw, d["task"])
        cap = str(t.get("capability", "x.y"))
        new = draw(st.sampled_from([f"{GHOST}.work", cap + "s", cap.replace(".", "-"), cap.split(".")[0]]))
        if new == cap:
            new = f"{GHOST}.work"
        t["capability"] = new
        return f"task[{i}] '{t['id']}'.capability = '{new}' (unknown)", True

    def ghost_persona(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i, t = pick(draw, d["task"])
        key = draw(st.sampled_from(["assignee", "attempted_by"]))
        t[key] = GHOST
        return f"task[{i}] '{t['id']}'.{key} = '{GHOST}' (no such persona)", True

    def phase_after(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i, p = pick(draw, d["phase"])
        p["after"] = [*p.get("after", []), GHOST]
        return f"phase[{i}] '{p['id']}'.after += ['{GHOST}'] (no such phase)", True

    def phase_cycle(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        a, b = d["phase"][0], d["phase"][1]
        a["after"], b["after"] = [b["id"]], [a["id"]]
        return f"phase cycle: '{a['id']}' after '{b['id']}' after '{a['id']}'", True

    def cast_name(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        name = draw(
            st.sampled_from(
                [f"{GHOST}-cast", "../ghost", "/", ".", "..", "a" * 300, "nul\x00cast", "Product-Team", "product-team ",
                 "~", "*", "roles/product-team", "product-team/", MARKER, "con", "\t"]
            )
        )  # fmt: skip
        d["cast"] = name
        return f"cast = {name!r}", True

    def inject(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        where = draw(
            st.sampled_from(["title", "request", "description", "summary", "deliverable", "subtasks", "files"])
        )
        if where in ("title", "request", "description"):
            d[where] = f"{d.get(where, '')} {MARKER}"
            return f"{where} += {MARKER!r}", False
        i, t = pick(draw, d["task"])
        t[where] = [MARKER] if where in ("subtasks", "files") else f"{t.get(where, '')} {MARKER}"
        return f"task[{i}] '{t['id']}'.{where} carries {MARKER!r}", False

    def drop_tasks_of_phase(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        _i, p = pick(draw, d["phase"])
        d["task"] = [t for t in d["task"] if t.get("phase") != p["id"]] or d["task"]
        return f"every task of phase '{p['id']}' removed", False

    ops += [dangling_phase, dangling_dep, self_dep, cycle, duplicate_task, unknown_capability, ghost_persona]
    ops += [duplicate_phase, phase_after, cast_name, inject, drop_tasks_of_phase]
    if len(phases) >= 2 and not phases[0].get("stream") and not phases[1].get("stream"):
        ops.append(phase_cycle)
    gate = doc.get("gate")
    if isinstance(gate, dict):

        def gate_verifier(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
            d["gate"]["verifier"] = GHOST
            return f"gate.verifier = '{GHOST}'", True

        ops.append(gate_verifier)
    if any(isinstance(p.get("gate"), dict) for p in phases):

        def gate_requires(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
            p = next(p for p in d["phase"] if isinstance(p.get("gate"), dict))
            p["gate"]["requires"] = [*p["gate"].get("requires", []), GHOST]
            return f"phase '{p['id']}'.gate.requires += ['{GHOST}']", True

        ops.append(gate_requires)
    if any(isinstance(t.get("review"), dict) for t in tasks):

        def reviewer(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
            t = next(t for t in d["task"] if isinstance(t.get("review"), dict))
            t["review"]["reviewer"] = GHOST
            return f"task '{t['id']}'.review.reviewer = '{GHOST}'", True

        ops.append(reviewer)
    if doc.get("checkin"):

        def checkin_after(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
            d["checkin"][0]["after"] = GHOST
            return f"checkin[0].after = '{GHOST}'", True

        ops.append(checkin_after)
    if any(isinstance(c.get("decision"), dict) for c in doc.get("checkin", [])):

        def recommended(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
            c = next(c for c in d["checkin"] if isinstance(c.get("decision"), dict))
            c["decision"]["recommended"] = GHOST
            return f"decision '{c['decision'].get('id')}'.recommended = '{GHOST}' (no such option)", True

        ops.append(recommended)
    if any("only_if" in t for t in tasks):

        def only_if(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
            t = next(t for t in d["task"] if "only_if" in t)
            t["only_if"] = f"{GHOST}.option"
            return f"task '{t['id']}'.only_if = '{GHOST}.option' (no such decision)", True

        ops.append(only_if)
    return ops


def _persona_ops(doc: dict[str, Any], others: Mapping[str, dict[str, Any]]) -> list[SemanticOp]:
    pid = str(doc.get("id", ""))
    handles = sorted({str(o["handle"]) for o in others.values() if "handle" in o and o.get("id") != pid})

    def id_mismatch(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        new = draw(st.sampled_from([GHOST, *(o for o in others if o != pid)]))
        d["id"] = new
        return f"id = '{new}' in {pid}.toml", True

    def duplicate_handle(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        d["handle"] = draw(st.sampled_from(handles))
        return f"handle = '{d['handle']}' (another persona's)", True

    def ghost_list(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        key = draw(st.sampled_from(["hands_to", "fallback"]))
        value = draw(st.sampled_from([GHOST, pid]))
        d[key] = [*d.get(key, []), value]
        return f"{key} += ['{value}']", True

    def owns_ghost(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        d["owns"] = [*d.get("owns", []), {"capability": f"{GHOST}.work"}]
        return f"owns += {{capability = '{GHOST}.work'}}", True

    def never_ghost(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        how = draw(st.sampled_from(["capability", "hand_to", "self"]))
        entry = {"capability": f"{GHOST}.work", "hand_to": "kai" if pid != "kai" else "reese"}
        if how == "hand_to":
            entry = {"capability": "frontend.ui", "hand_to": GHOST}
        elif how == "self" and d.get("owns"):
            entry = {"capability": d["owns"][0]["capability"], "hand_to": "kai" if pid != "kai" else "reese"}
        d["never"] = [*d.get("never", []), entry]
        return f"never += {entry}", True

    def template(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        name, text = draw(
            st.sampled_from(
                [
                    ("redirect", "STOP {violator}: {bogus}"),
                    ("redirect", "STOP {violator"),
                    ("redirect", "{violator.name}"),
                    ("ghost-template", "hello"),
                    ("clean-handoff", "{task}} done"),
                    ("clean-handoff", f"{{task}} {MARKER}"),
                    ("redirect", f"STOP {{violator}} {MARKER}"),
                ]
            )
        )
        d["templates"] = {**d.get("templates", {}), name: text}
        bad = template_problem(text.encode("utf-8"), name) is not None
        return f"templates.{name} = {text!r}", bad

    def kind(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        new = draw(st.sampled_from(["orchestrator", "verifier", "specialist"]))
        old = d.get("kind", "specialist")
        d["kind"] = new
        # The manifest names kai the orchestrator and reese the verifier.
        breaks = (pid == "kai" and new != "orchestrator") or (pid == "reese" and new != "verifier")
        return f"kind '{old}' -> '{new}'", breaks

    return [id_mismatch, duplicate_handle, ghost_list, owns_ghost, never_ghost, template, kind]


def _manifest_ops(doc: dict[str, Any]) -> list[SemanticOp]:
    def role(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        key = draw(st.sampled_from(["orchestrator", "verifier"]))
        value = draw(st.sampled_from([GHOST, "sam", "morgan"]))
        d[key] = value
        return f"{key} = '{value}'", True

    def members(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        how = draw(st.sampled_from(["ghost", "drop", "twice", "reverse"]))
        current = list(d.get("members", []))
        if how == "ghost":
            d["members"] = [*current, GHOST]
        elif how == "drop" and current:
            d["members"] = current[1:]
        elif how == "twice" and current:
            d["members"] = [*current, current[-1]]
        else:
            d["members"] = current[::-1]
        return f"members: {how}", how in ("ghost", "drop")

    def capability(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        caps = d["capability"]
        i = draw(st.integers(0, len(caps) - 1))
        how = draw(st.sampled_from(["twice", "rename", "drop", "orphan"]))
        old = caps[i]["id"]
        if how == "twice":
            caps.append(copy.deepcopy(caps[i]))
        elif how == "rename":
            caps[i]["id"] = old + "-renamed"
        elif how == "drop":
            del caps[i]
        else:
            caps.append({"id": f"{GHOST}.work", "description": "Nobody owns this"})
        return f"capability '{old}': {how}", True

    return [role, members, capability]


def _policy_ops(doc: dict[str, Any]) -> list[SemanticOp]:
    def duplicate_rule(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i = draw(st.integers(0, len(d["rule"]) - 1))
        d["rule"].append(copy.deepcopy(d["rule"][i]))
        return f"rule '{d['rule'][i]['id']}' declared twice", True

    def gate_shape(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        gates = [r for r in d["rule"] if r.get("kind") == "gate"]
        if not gates:
            return duplicate_rule(draw, d)
        r = gates[0]
        how = draw(st.sampled_from(["both", "neither", "nothing-required"]))
        if how == "both":
            r["before_phase"], r["before_capability"] = "design", "devops.deploy"
        elif how == "neither":
            r.pop("before_phase", None)
            r.pop("before_capability", None)
        else:
            for key in ("requires", "requires_tasks", "requires_approval", "requires_go"):
                r.pop(key, None)
        return f"gate rule '{r['id']}': {how}", True

    def route_text(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        text = draw(
            st.sampled_from(["sam => morgan", "sam ->", "-> morgan", "sam -> morgan -> quinn", "Sam -> Morgan", ""])
        )
        d["rule"].append({"id": "fuzz-route", "kind": "route", "message": "m", "allow": [text]})
        return f"route rule allow = [{text!r}]", True

    def empty_rule(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        kind = draw(st.sampled_from(["route", "order", "gate"]))
        extra: dict[str, Any] = {"capability": "qa.testing"} if kind == "order" else {}
        if kind == "gate":
            extra = {"before_capability": "devops.deploy"}
        d["rule"].append({"id": "fuzz-empty", "kind": kind, "message": "m", **extra})
        return f"{kind} rule with nothing to check", True

    def inject(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        i = draw(st.integers(0, len(d["rule"]) - 1))
        d["rule"][i]["message"] = MARKER
        return f"rule[{i}].message = {MARKER!r}", False

    def cast(draw: st.DrawFn, d: dict[str, Any]) -> tuple[str, bool]:
        d["cast"] = draw(st.sampled_from([GHOST, "feature-crew"]))
        return f"cast = '{d['cast']}'", False

    return [duplicate_rule, gate_shape, route_text, empty_rule, inject, cast]


@st.composite
def semantic_edit(
    draw: st.DrawFn, rel: str, data: bytes, ops_for: Callable[[dict[str, Any]], list[SemanticOp]]
) -> Edit:
    doc = tomli.loads(data.decode("utf-8"))
    ops = ops_for(doc)
    op = draw(st.sampled_from(ops))
    changed = copy.deepcopy(doc)
    note, breaks = op(draw, changed)
    return Edit(tomli_w.dumps(changed).encode("utf-8"), f"{rel}: {note}", breaks)


def toml_edit(
    rel: str, data: bytes, ops_for: Callable[[dict[str, Any]], list[SemanticOp]] | None
) -> st.SearchStrategy[Edit]:
    text = data.decode("utf-8")
    choices: list[st.SearchStrategy[Edit]] = [
        toml_line_edit(rel, text),
        toml_line_edit(rel, text),
        byte_edit(rel, data),
    ]
    if ops_for is not None:
        choices += [semantic_edit(rel, data, ops_for)] * 2
    return st.one_of(choices)


# -- case strategies -----------------------------------------------------------------------------


def _culprits(own_problem: Flaw | None, edited: str, related: Iterable[str]) -> frozenset[str]:
    return frozenset({edited}) if own_problem is not None else frozenset({edited, *related})


def _with_problem(note: str, problem: Flaw | None) -> str:
    return note if problem is None else f"{note} [{problem}]"


@st.composite
def cast_cases(draw: st.DrawFn) -> Case:
    """The product-team cast with one file edited, beside a scenario that uses it."""
    files = cast_files()
    name = draw(st.sampled_from(sorted(files)))
    docs = {n.removesuffix(".toml"): tomli.loads(b.decode("utf-8")) for n, b in files.items() if n != "cast.toml"}
    if name == "cast.toml":
        ops: Callable[[dict[str, Any]], list[SemanticOp]] = _manifest_ops
    else:

        def ops(doc: dict[str, Any]) -> list[SemanticOp]:
            return _persona_ops(doc, docs)

    rel = f"{CAST_NAME}/{name}"
    edit = draw(toml_edit(rel, files[name], ops))
    return cast_case(name, edit)


def cast_case(name: str, edit: Edit) -> Case:
    files = cast_files()
    problem = toml_problem(edit.data, "cast" if name == "cast.toml" else "persona")
    written = {f"{CAST_NAME}/{n}": b for n, b in files.items()} | {f"{CAST_NAME}/{name}": edit.data}
    scenario = shipped(SCENARIO_DIR / "authentication.toml")
    related = [*written, "scenario.toml"]
    return Case(
        kind="cast",
        files=(*sorted(written.items()), ("scenario.toml", scenario)),
        culprits=_culprits(problem, f"{CAST_NAME}/{name}", related),
        must_fail=edit.breaks or problem is not None,
        note=_with_problem(edit.note, problem),
        slots=(("cast", CAST_NAME), ("scenario", "scenario.toml")),
        where=problem.where(f"{CAST_NAME}/{name}") if problem else None,
    )


@st.composite
def scenario_cases(draw: st.DrawFn) -> Case:
    path = draw(st.sampled_from(scenario_paths()))
    edit = draw(toml_edit(path.name, shipped(path), _scenario_ops))
    return scenario_case(path, edit)


def scenario_case(path: Path, edit: Edit) -> Case:
    problem = toml_problem(edit.data, "scenario")
    return Case(
        kind="scenario",
        files=((path.name, edit.data),),
        culprits=frozenset({path.name}),
        must_fail=edit.breaks or problem is not None,
        note=_with_problem(edit.note, problem),
        slots=(("scenario", path.name),),
        where=problem.where(path.name) if problem else None,
    )


def _policy_pairs() -> list[tuple[Path, Path, str]]:
    """(policy, a scenario of its cast, a scenario of its cast with a stored run)."""
    pairs = []
    for policy in sorted(POLICY_DIR.glob("*.toml")):
        cast = policy.stem
        scenarios = [p for p in scenario_paths() if scenario_cast(p) == cast]
        runs = [s for s in EVENT_SOURCES if scenario_cast(SCENARIO_DIR / f"{s}.toml") == cast]
        if scenarios and runs:
            pairs.append((policy, scenarios[0], runs[0]))
    return pairs


@st.composite
def policy_cases(draw: st.DrawFn) -> Case:
    policy, scenario, run = draw(st.sampled_from(_policy_pairs()))
    edit = draw(toml_edit("policy.toml", shipped(policy), _policy_ops))
    return policy_case(scenario, run, edit)


def policy_case(scenario: Path, run: str, edit: Edit) -> Case:
    problem = toml_problem(edit.data, "policy")
    return Case(
        kind="policy",
        files=(("policy.toml", edit.data), ("events.jsonl", shipped_events(run))),
        culprits=frozenset({"policy.toml"}),
        must_fail=edit.breaks or problem is not None,
        note=_with_problem(edit.note, problem),
        slots=(("policy", "policy.toml"), ("scenario", str(scenario)), ("events", "events.jsonl")),
        where=problem.where("policy.toml") if problem else None,
    )


# -- templates -----------------------------------------------------------------------------------

_TEMPLATE_TOKENS = (
    "{bogus}",
    "{task.attr}",
    "{task[0]}",
    "{0}",
    "{}",
    "{ task }",
    "{",
    "}",
    "{{",
    "}}",
    "{{{",
    "}}}",
    "{TASK}",
    "{task",
    "task}",
    "{task!r}",
    "{task:>10}",
    "{__class__}",
    "{" * 500,
    "}" * 500,
    MARKER,
    "\x00",
    "\r\n",
)


@st.composite
def template_edit(draw: st.DrawFn, rel: str, name: str, data: bytes) -> Edit:
    op = draw(st.sampled_from(["token", "token", "other-placeholder", "bytes", "lines"]))
    text = data.decode("utf-8")
    if op == "bytes":
        return draw(byte_edit(rel, data))
    if op == "lines":
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["delete", "duplicate", "huge"]))
        if how == "delete":
            out = [*lines[:i], *lines[i + 1 :]]
        elif how == "duplicate":
            out = [*lines[: i + 1], lines[i], *lines[i + 1 :]]
        else:
            out = [*lines[:i], lines[i] * 2000, *lines[i + 1 :]]
        return Edit(_join(out), f"{rel}:{i + 1}: {how} line `{short(lines[i])}`")
    if op == "other-placeholder":
        everything = sorted(set().union(*template_placeholders().values()))
        token = "{" + draw(st.sampled_from(everything)) + "}"
    else:
        token = draw(st.one_of(st.sampled_from(_TEMPLATE_TOKENS), st.text(max_size=6).map(lambda s: "{" + s + "}")))
    at = draw(st.integers(0, len(text)))
    line = text[:at].count("\n") + 1
    return Edit((text[:at] + token + text[at:]).encode("utf-8"), f"{rel}:{line}: inserted {token!r}")


@st.composite
def template_cases(draw: st.DrawFn) -> Case:
    """A copy of handoffs/ with one template edited, added, removed or misnamed."""
    paths = template_paths()
    files = {f"handoffs/{p.name}": shipped(p) for p in paths}
    op = draw(st.sampled_from(["edit", "edit", "edit", "misnamed", "removed"]))
    path = draw(st.sampled_from(paths))
    rel = f"handoffs/{path.name}"
    if op == "removed":
        del files[rel]
        return template_case(files, rel, f"{rel} removed (falls back to the default)", False, draw(_event_source()))
    if op == "misnamed":
        names = {
            path.stem.capitalize(),
            path.stem[:-1],
            path.stem + "s",
            path.stem.replace("-", "_"),
            path.stem.upper(),
        }
        new_name = draw(st.sampled_from(sorted(names - set(template_placeholders()))))
        new_rel = f"handoffs/{new_name}.md"
        files[new_rel] = shipped(path)
        return template_case(files, new_rel, f"extra template file {new_rel}", True, draw(_event_source()))
    edit = draw(template_edit(rel, path.stem, shipped(path)))
    files[rel] = edit.data
    problem = template_problem(edit.data, path.stem)
    note = _with_problem(edit.note, problem)
    where = problem.where(rel) if problem else None
    return template_case(files, rel, note, edit.breaks or problem is not None, draw(_event_source()), where)


def template_case(
    files: Mapping[str, bytes], culprit: str, note: str, must_fail: bool, run: str, where: Where | None = None
) -> Case:
    return Case(
        kind="templates",
        files=(*sorted(files.items()), ("events.jsonl", shipped_events(run))),
        culprits=frozenset({culprit}),
        must_fail=must_fail,
        note=note,
        slots=(
            ("templates", "handoffs"),
            ("events", "events.jsonl"),
            ("scenario", str(SCENARIO_DIR / f"{run}.toml")),
            ("policy", str(policy_for(scenario_cast(SCENARIO_DIR / f"{run}.toml")))),
        ),
        folders=("handoffs",),
        where=where,
    )


# -- events --------------------------------------------------------------------------------------

_TASK_FIELDS = ("task", "phase", "tasks", "requires", "in_progress", "upcoming", "blockers", "feeds", "continues_with")
_PERSONA_FIELDS = ("actor", "persona", "from_persona", "to_persona", "reviewer", "author", "owners", "orchestrator")
_TEXT_FIELDS = ("title", "summary", "deliverable", "request", "description", "reason", "question", "detail", "phrase")
_JSON_ODD: tuple[Any, ...] = (
    None,
    True,
    False,
    -1,
    0,
    1.5,
    1.0,
    2**64,
    "",
    "1",
    "x" * 10_000,
    [],
    [1],
    [None],
    {},
    {"a": 1},
    MARKER,
)


def _event_source() -> st.SearchStrategy[str]:
    return st.sampled_from(EVENT_SOURCES)


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _ghost_like(value: Any, ghost: str) -> Any:
    if isinstance(value, list):
        return [ghost, *value[1:]] if value and isinstance(value[0], str) else [ghost]
    return ghost


@st.composite
def event_edit(draw: st.DrawFn, data: bytes) -> Edit:
    lines = data.decode("utf-8").rstrip("\n").split("\n")
    objs: list[dict[str, Any]] = [json.loads(line) for line in lines]
    n = len(lines)
    op = draw(
        st.sampled_from(
            ["drop", "duplicate", "swap", "seq", "at", "task", "persona", "field-type", "drop-field", "extra-field",
             "kind", "run-started", "inject", "break-json", "bytes", "deep", "layout"]
        )
    )  # fmt: skip
    i = draw(st.integers(0, n - 1))
    where = f"events.jsonl:{i + 1}"

    def rewrite(index: int, obj: dict[str, Any], note: str, breaks: bool = False) -> Edit:
        out = [*lines[:index], _dump(obj), *lines[index + 1 :]]
        return Edit(("\n".join(out) + "\n").encode("utf-8"), note, breaks)

    def lines_edit(out: list[str], note: str) -> Edit:
        return Edit(("\n".join(out) + "\n").encode("utf-8"), note)

    if op == "drop":
        return lines_edit([*lines[:i], *lines[i + 1 :]], f"{where}: line dropped ({objs[i]['kind']})")
    if op == "duplicate":
        return lines_edit([*lines[: i + 1], lines[i], *lines[i + 1 :]], f"{where}: line duplicated ({objs[i]['kind']})")
    if op == "swap":
        j = draw(st.integers(0, n - 1))
        out = list(lines)
        out[i], out[j] = out[j], out[i]
        return lines_edit(out, f"events.jsonl: lines {i + 1} and {j + 1} swapped")
    obj = copy.deepcopy(objs[i])
    if op == "seq":
        obj["seq"] = draw(st.sampled_from([-1, i + 1, i - 1, n + 3, str(i), float(i), None, True, 2**64]))
        return rewrite(i, obj, f"{where}: seq {i} -> {obj['seq']!r}")
    if op == "at":
        obj["at"] = draw(st.sampled_from([-1, 0, 10**12, str(obj["at"]), 1.5, None, max(0, obj["at"] - 100)]))
        return rewrite(i, obj, f"{where}: at -> {obj['at']!r}")
    if op in ("task", "persona"):
        names = _TASK_FIELDS if op == "task" else _PERSONA_FIELDS
        candidates = [(k, o) for k, o in enumerate(objs) if any(f in o for f in names)]
        k, target = draw(st.sampled_from(candidates))
        fld = draw(st.sampled_from([f for f in names if f in target]))
        ghost = draw(st.sampled_from([GHOST, MARKER, "", "Kai"]))
        changed = copy.deepcopy(target)
        changed[fld] = _ghost_like(changed[fld], ghost)
        return rewrite(
            k, changed, f"events.jsonl:{k + 1}: {changed['kind']}.{fld} -> {changed[fld]!r} (never introduced)"
        )
    if op == "field-type":
        fld = draw(st.sampled_from(sorted(obj)))
        obj[fld] = draw(st.sampled_from(_JSON_ODD))
        return rewrite(i, obj, f"{where}: {obj['kind']}.{fld} -> {short(obj[fld], 40)}")
    if op == "drop-field":
        fld = draw(st.sampled_from(sorted(obj)))
        del obj[fld]
        return rewrite(i, obj, f"{where}: {objs[i]['kind']}.{fld} removed")
    if op == "extra-field":
        obj[draw(st.sampled_from(["extra", "Seq", "kind ", ""]))] = 1
        return rewrite(i, obj, f"{where}: unknown field added")
    if op == "kind":
        kinds = sorted(schema("event")["discriminator"]["mapping"])
        obj["kind"] = draw(st.sampled_from([*kinds, GHOST, "", "RUN_STARTED"]))
        return rewrite(i, obj, f"{where}: kind {objs[i]['kind']!r} -> {obj['kind']!r}")
    if op == "run-started":
        first = copy.deepcopy(objs[0])
        how = draw(
            st.sampled_from(
                ["no-personas", "twice", "bad-template", "marker-template", "tasks", "no-plan", "no-phases",
                 "orchestrator", "mode", "title", "times"]
            )
        )  # fmt: skip
        personas: list[dict[str, Any]] = first.get("personas", [])
        if how == "no-personas":
            first["personas"] = []
        elif how == "twice" and personas:
            first["personas"] = [*personas, personas[0]]
        elif how in ("bad-template", "marker-template") and personas:
            text = "STOP {violator}: {bogus}" if how == "bad-template" else f"STOP {{violator}} {MARKER}"
            personas[0]["templates"] = {**personas[0].get("templates", {}), "redirect": text}
        elif how == "tasks":
            first["tasks"] = draw(st.sampled_from([-1, 0, 10**9]))
        elif how == "no-plan":
            first["plan"] = []
        elif how == "no-phases":
            first["phases"] = []
        elif how == "orchestrator":
            first["orchestrator"] = GHOST
        elif how == "mode":
            first["mode"] = "weird"
        elif how == "title":
            first["title"] = MARKER
        else:
            first["sequential_time"], first["critical_time"] = -5, 10**12
        return rewrite(0, first, f"events.jsonl:1: run_started {how}")
    if op == "inject":
        fields = [f for f in (*_TEXT_FIELDS, "actor") if isinstance(obj.get(f), str)] or ["actor"]
        fld = draw(st.sampled_from(fields))
        obj[fld] = f"{obj.get(fld, '')}{MARKER}"
        return rewrite(i, obj, f"{where}: {obj['kind']}.{fld} += {MARKER!r}")
    if op == "break-json":
        line = lines[i]
        broken = [line[: len(line) // 2], line + "}", line + " x", "[]", "null", "1", '"x"', "{}"]
        broken += [line.replace('"', "'", 2), line.replace(":", "=", 1), "\ufeff" + line, line + "," + line]
        new = draw(st.sampled_from(broken))
        out = [*lines[:i], new, *lines[i + 1 :]]
        return lines_edit(out, f"{where}: `{short(new, 50)}`")
    if op == "deep":
        depth = draw(st.sampled_from([100, 1_000, 100_000]))
        fld = draw(st.sampled_from(sorted(obj)))
        nested = "[" * depth + "]" * depth
        sentinel = "@@rcfuzz-deep@@"
        out = [*lines[:i], _dump({**obj, fld: sentinel}).replace(f'"{sentinel}"', nested, 1), *lines[i + 1 :]]
        return Edit(("\n".join(out) + "\n").encode("utf-8"), f"{where}: {fld} nested {depth} deep", True)
    if op == "layout":
        how = draw(st.sampled_from(["crlf", "blank-lines", "no-final-newline", "empty", "blank"]))
        body = "\n".join(lines) + "\n"
        result = {
            "crlf": body.replace("\n", "\r\n"),
            "blank-lines": body.replace("\n", "\n\n"),
            "no-final-newline": body.rstrip("\n"),
            "empty": "",
            "blank": "\n \n",
        }[how]
        return Edit(result.encode("utf-8"), f"events.jsonl: {how}")
    return draw(byte_edit("events.jsonl", data))


@st.composite
def event_cases(draw: st.DrawFn) -> Case:
    run = draw(_event_source())
    edit = draw(event_edit(shipped_events(run)))
    return events_case(run, edit)


def events_case(run: str, edit: Edit) -> Case:
    problem = events_problem(edit.data)
    cast = scenario_cast(SCENARIO_DIR / f"{run}.toml")
    return Case(
        kind="events",
        files=(("events.jsonl", edit.data),),
        culprits=frozenset({"events.jsonl"}),
        must_fail=edit.breaks or problem is not None,
        note=_with_problem(f"[{run}] {edit.note}", problem),
        slots=(("events", "events.jsonl"), ("policy", str(policy_for(cast)))),
        where=problem.where("events.jsonl") if problem else None,
    )


# -- golden transcripts and agent answers ------------------------------------------------------


@st.composite
def text_edit(draw: st.DrawFn, rel: str, data: bytes) -> Edit:
    lines = data.decode("utf-8").split("\n")
    op = draw(st.sampled_from(["delete", "duplicate", "replace", "bytes", "bytes"]))
    if op == "bytes":
        return draw(byte_edit(rel, data))
    i = draw(st.integers(0, len(lines) - 1))
    if op == "delete":
        out = [*lines[:i], *lines[i + 1 :]]
    elif op == "duplicate":
        out = [*lines[: i + 1], lines[i], *lines[i + 1 :]]
    else:
        new = draw(
            st.one_of(st.text(max_size=40), st.sampled_from(["## Analysis", "=== END REPORT ===", "##", MARKER]))
        )
        out = [*lines[:i], new, *lines[i + 1 :]]
    return Edit(_join(out), f"{rel}:{i + 1}: {op} `{short(lines[i])}`")


def golden_stems() -> list[str]:
    return sorted(p.stem for p in GOLDEN_DIR.glob("*.md") if (SCENARIO_DIR / f"{p.stem}.toml").is_file())


@st.composite
def golden_cases(draw: st.DrawFn) -> Case:
    stem = draw(st.sampled_from(golden_stems()))
    rel = f"golden/{stem}.md"
    return golden_case(stem, draw(text_edit(rel, shipped(GOLDEN_DIR / f"{stem}.md"))))


def golden_case(stem: str, edit: Edit) -> Case:
    rel = f"golden/{stem}.md"
    return Case(
        kind="golden",
        files=((rel, edit.data),),
        culprits=frozenset({rel}),
        must_fail=edit.breaks,
        note=edit.note,
        slots=(("golden", "golden"), ("scenario", str(SCENARIO_DIR / f"{stem}.toml"))),
    )


@st.composite
def report_cases(draw: st.DrawFn) -> Case:
    return report_case(draw(text_edit("answer.txt", report_text())))


def report_case(edit: Edit) -> Case:
    return Case(
        kind="report",
        files=(("answer.txt", edit.data),),
        culprits=frozenset({"answer.txt"}),
        must_fail=edit.breaks,
        note=edit.note,
        slots=(("answer", "answer.txt"),),
    )


# -- from scratch --------------------------------------------------------------------------------


@functools.cache
def known_keys() -> tuple[str, ...]:
    """Every property name of every published schema: the keys a random file is most likely to hit."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                names.update(props)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(SCHEMAS.glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return tuple(sorted(names))


_TABLES = (
    "task", "phase", "gate", "gate.requires", "environment", "expect", "rule", "capability", "owns", "never",
    "prose", "templates", "checkin", "checkin.decision", "task.review", "task.report", "task.report.sections",
)  # fmt: skip

_bare_keys = st.one_of(st.sampled_from(known_keys()), st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True))
_toml_scalars = st.one_of(
    st.booleans().map(_toml_value),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(lambda f: repr(f).replace("e+", "e")),
    st.text(max_size=24).map(_toml_string),
    st.sampled_from(["kai", "sam", "product-team", "frontend.ui", "design", "parallel", "30m", GHOST]).map(
        _toml_string
    ),
    st.sampled_from(_ODD_VALUES),
)
_toml_values = st.recursive(
    _toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(_bare_keys, inner), max_size=3).map(
            lambda kvs: "{ " + ", ".join(f"{k} = {v}" for k, v in kvs) + " }"
        ),
    ),
    max_leaves=8,
)
_toml_lines = st.one_of(
    st.tuples(_bare_keys, _toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.tuples(_bare_keys, _toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.sampled_from(_TABLES).map(lambda t: f"[{t}]"),
    st.sampled_from(_TABLES).map(lambda t: f"[[{t}]]"),
    st.text(max_size=30),
    st.just("# comment"),
)
toml_documents = st.lists(_toml_lines, max_size=25).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass"))


@st.composite
def generated_toml_cases(draw: st.DrawFn) -> Case:
    """A TOML-ish file from scratch, as a scenario, a persona, a cast manifest or a policy."""
    data = draw(toml_documents)
    role = draw(st.sampled_from(["scenario", "persona", "cast", "policy"]))
    if role == "scenario":
        return scenario_case(SCENARIO_DIR / "generated.toml", Edit(data, "generated.toml from scratch"))
    if role == "policy":
        return policy_case(
            SCENARIO_DIR / "authentication.toml", "stripe-subscription", Edit(data, "policy.toml from scratch")
        )
    name = "cast.toml" if role == "cast" else draw(st.sampled_from(sorted(n for n in cast_files() if n != "cast.toml")))
    return cast_case(name, Edit(data, f"{CAST_NAME}/{name} from scratch"))


@functools.cache
def _event_fields() -> dict[str, dict[str, Any]]:
    whole = schema("event")
    mapping: dict[str, str] = whole["discriminator"]["mapping"]
    return {kind: whole["$defs"][ref.rsplit("/", 1)[1]] for kind, ref in mapping.items()}


_ID_POOL = ("kai", "sam", "morgan", "reese", GHOST, "design", "t1", "build-ui", MARKER, "")


def _json_for(prop: Mapping[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of the type a schema property asks for, mostly; sometimes anything."""
    if "const" in prop:
        return st.just(prop["const"])
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    if "$ref" in prop and depth < 2:
        ref = schema("event")["$defs"][str(prop["$ref"]).rsplit("/", 1)[1]]
        props = ref.get("properties", {})
        return st.fixed_dictionaries({k: _json_for(v, depth + 1) for k, v in props.items()})
    if "anyOf" in prop:
        return st.one_of([_json_for(p, depth) for p in prop["anyOf"]])
    kind = prop.get("type")
    if kind == "string":
        return st.one_of(st.sampled_from(_ID_POOL), st.text(max_size=16))
    if kind == "integer":
        return st.integers(min_value=-2, max_value=600)
    if kind == "number":
        return st.floats(allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array" and depth < 2:
        return st.lists(_json_for(prop.get("items", {}), depth + 1), max_size=3)
    if kind == "object":
        return st.dictionaries(st.sampled_from(["redirect", "clean-handoff", GHOST]), st.text(max_size=20), max_size=2)
    return st.one_of(st.none(), st.integers(), st.text(max_size=8))


@st.composite
def _generated_event(draw: st.DrawFn, seq: int) -> str:
    fields = _event_fields()
    kind = draw(st.sampled_from(sorted(fields)))
    if draw(st.integers(0, 9)) == 0:
        return draw(st.one_of(st.text(max_size=40), st.sampled_from(["{}", "[]", "null", '{"kind": "run_started"}'])))
    props: dict[str, Any] = fields[kind].get("properties", {})
    obj: dict[str, Any] = {"seq": seq, "at": draw(st.integers(0, 300)), "actor": draw(st.sampled_from(_ID_POOL))}
    obj["kind"] = kind
    for name, prop in props.items():
        if name in obj:
            continue
        if draw(st.integers(0, 19)) == 0:
            continue
        obj[name] = draw(_json_for(prop))
    if draw(st.integers(0, 9)) == 0:
        obj["seq"] = draw(st.sampled_from([seq + 1, -1, str(seq), None]))
    return _dump(obj)


@st.composite
def generated_event_cases(draw: st.DrawFn) -> Case:
    """A stream from scratch: lines shaped like events, the first one often a real run_started."""
    n = draw(st.integers(0, 8))
    lines = [draw(_generated_event(seq)) for seq in range(n)]
    real_start: bool = draw(st.booleans())
    if lines and real_start:
        first = json.loads(shipped_events(draw(_event_source())).split(b"\n", 1)[0])
        lines[0] = _dump(first)
    data = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8", "surrogatepass")
    return events_case("stripe-subscription", Edit(data, f"{n} generated events"))


# -- the causes known when the fuzz suite was written ----------------------------------------------


def _edit_text(path: Path, old: str, new: str, rel: str | None = None) -> Edit:
    text = shipped(path).decode("utf-8")
    if old not in text:
        raise LookupError(f"{path.name} no longer contains {old!r}")
    line = text[: text.index(old)].count("\n") + 1
    note = f"{rel or path.name}:{line}: `{short(old)}` -> `{short(new)}`"
    return Edit(text.replace(old, new, 1).encode("utf-8"), note)


def _event_line_edit(run: str, kind: str, change: Callable[[dict[str, Any]], str]) -> Edit:
    lines = shipped_events(run).decode("utf-8").rstrip("\n").split("\n")
    index = next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == kind)
    obj = json.loads(lines[index])
    note = change(obj)
    lines[index] = _dump(obj)
    return Edit(("\n".join(lines) + "\n").encode("utf-8"), f"events.jsonl:{index + 1}: {note}")


def known_cases() -> dict[str, Case]:
    """One case per cause of a traceback known when this suite was written, by name."""
    scenario = SCENARIO_DIR / "role-boundary-violation.toml"
    auth = SCENARIO_DIR / "authentication.toml"
    sam = CAST_DIR / "sam.toml"

    def set_in(obj: dict[str, Any], key: str, value: Any) -> str:
        obj[key] = value
        return f"{obj.get('kind', 'persona')}.{key} = {short(value, 40)}"

    def bad_persona_template(obj: dict[str, Any]) -> str:
        obj["personas"][0]["templates"] = {"redirect": "{bogus}"}
        return "run_started.personas[0].templates.redirect = '{bogus}'"

    redirect = TEMPLATE_DIR / "redirect.md"
    cases = {
        "enforce_boundaries is a string": scenario_case(
            scenario,
            _edit_text(scenario, 'cast = "product-team"\n', 'cast = "product-team"\nenforce_boundaries = "no"\n'),
        ),
        "stream is a string": scenario_case(auth, _edit_text(auth, "stream = true", 'stream = "yes"')),
        "fails is a float": scenario_case(
            auth, _edit_text(auth, 'expected_time = "40m"\n', 'expected_time = "40m"\nfails = 1.0\n')
        ),
        "scenario nested 100000 deep": scenario_case(
            auth,
            Edit(
                b"deep = " + _deep(100_000, "array").encode() + b"\n" + shipped(auth),
                "authentication.toml:1: deep = [[[...]]] x100000",
                True,
            ),
        ),
        "scenario inline tables nested 5000 deep": scenario_case(
            auth,
            Edit(
                b"deep = " + _deep(5_000, "table").encode() + b"\n" + shipped(auth),
                "authentication.toml:1: deep = {a = {a = ...}} x5000",
                True,
            ),
        ),
        "persona nested 100000 deep": cast_case(
            "sam.toml",
            Edit(
                shipped(sam) + b"\ndeep = " + _deep(100_000, "array").encode() + b"\n",
                "product-team/sam.toml: deep = [[[...]]] x100000",
                True,
            ),
        ),
        "cast name too long": scenario_case(
            auth, _edit_text(auth, 'cast = "product-team"', 'cast = "' + "a" * 300 + '"')
        ),
        "cast name with NUL": scenario_case(
            auth, _edit_text(auth, 'cast = "product-team"', 'cast = "product\\u0000team"')
        ),
        "cast name is a path to a file": scenario_case(
            auth, _edit_text(auth, 'cast = "product-team"', 'cast = "/proc/self/status"')
        ),
        "template not UTF-8": template_case(
            {f"handoffs/{p.name}": shipped(p) for p in template_paths()}
            | {"handoffs/redirect.md": b"STOP \xff {violator}\n"},
            "handoffs/redirect.md",
            "handoffs/redirect.md:1: byte 0xff",
            True,
            "role-boundary-violation",
        ),
        "template unknown placeholder": template_case(
            {f"handoffs/{p.name}": shipped(p) for p in template_paths()}
            | {"handoffs/redirect.md": shipped(redirect) + b"\n{attachment}\n"},
            "handoffs/redirect.md",
            "handoffs/redirect.md: {attachment}",
            True,
            "role-boundary-violation",
            Where("handoffs/redirect.md", shipped(redirect).count(b"\n") + 2),
        ),
        "golden not UTF-8": golden_case(
            "authentication",
            Edit(
                b"\xff\xfe" + shipped(GOLDEN_DIR / "authentication.md"), "golden/authentication.md:1: bytes 0xff 0xfe"
            ),
        ),
        "answer not UTF-8": report_case(Edit(b"\xff" + report_text(), "answer.txt:1: byte 0xff")),
        "handoff names an unknown task": events_case(
            "stripe-subscription",
            _event_line_edit("stripe-subscription", "handoff", lambda o: set_in(o, "feeds", [GHOST])),
        ),
        "handoff names an unknown persona": events_case(
            "stripe-subscription",
            _event_line_edit("stripe-subscription", "handoff", lambda o: set_in(o, "to_persona", GHOST)),
        ),
        "task_finished names an unknown task": events_case(
            "stripe-subscription",
            _event_line_edit("stripe-subscription", "task_finished", lambda o: set_in(o, "task", GHOST)),
        ),
        "run_started without personas": events_case(
            "stripe-subscription",
            _event_line_edit("stripe-subscription", "run_started", lambda o: set_in(o, "personas", [])),
        ),
        "run_started without plan": events_case(
            "stripe-subscription",
            _event_line_edit("stripe-subscription", "run_started", lambda o: set_in(o, "plan", [])),
        ),
        "run_started with a negative task count": events_case(
            "stripe-subscription",
            _event_line_edit("stripe-subscription", "run_started", lambda o: set_in(o, "tasks", -1)),
        ),
        "run_started persona template with unknown placeholder": events_case(
            "role-boundary-violation",
            _event_line_edit("role-boundary-violation", "run_started", bad_persona_template),
        ),
        "script tag in an actor": events_case(
            "role-boundary-violation",
            _event_line_edit("role-boundary-violation", "redirect", lambda o: set_in(o, "actor", MARKER)),
        ),
        "events not UTF-8": events_case(
            "stripe-subscription",
            Edit(shipped_events("stripe-subscription") + b"\xff\n", "events.jsonl: trailing byte 0xff", True),
        ),
    }
    return cases
