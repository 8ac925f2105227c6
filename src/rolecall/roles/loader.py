"""A cast from its parsed files: every file validated, then the cast checked as a whole.

Pure: the files come in as parsed documents (:func:`rolecall.files.load_cast`
reads a folder into them), so a cast written in Python is checked exactly as
one on disk. All problems of all files are collected and raised together in
one :class:`~rolecall.errors.InputError`, so one run of ``rolecall roles
validate`` shows everything to fix.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from rolecall._toml import TomlDocument
from rolecall.errors import InputError, Problem
from rolecall.roles.cast import Cast
from rolecall.roles.catalogue import CastManifest
from rolecall.roles.persona import Persona
from rolecall.roles.salvage import SetAsideProblem, stand_in_persona

__all__ = ["MANIFEST_NAME", "cast_from_documents"]

MANIFEST_NAME = "cast.toml"

M = TypeVar("M", CastManifest, Persona)


def cast_from_documents(
    manifest: TomlDocument | InputError,
    personas: Mapping[str, TomlDocument | InputError],
    source: Path | None = None,
) -> Cast:
    """Validate a cast's documents and check the cast as a whole; raise InputError listing every problem.

    ``personas`` maps each persona file's name without ``.toml`` (the id the
    persona must declare) to its document, in file order. A file that could not
    be read is given as the error reading it: its problems are reported in
    their place, and references to that persona do not cascade into more.
    ``source`` is the cast folder, if any.
    """
    problems: list[Problem] = []
    manifest_doc, model = _validate(manifest, CastManifest, problems)
    persona_docs: dict[str, TomlDocument] = {}
    loaded: list[Persona] = []
    broken: set[str] = set()
    for stem, item in personas.items():
        before = len(problems)
        doc, persona = _validate(item, Persona, problems)
        if persona is None or doc is None:
            broken.add(stem)
            # Its wrong values set aside, the file's references are still checked in this run.
            stand_in = stand_in_persona(item, stem, problems[before:]) if isinstance(item, TomlDocument) else None
            if stand_in is None:
                continue
            doc, persona = stand_in
            broken.add(persona.id)
        if persona.id != stem:
            problems.append(doc.problem(f"persona id '{persona.id}' must match the file name '{stem}.toml'", "id"))
        persona_docs[persona.id] = doc
        loaded.append(persona)
    if model is None or manifest_doc is None:
        # Check what the personas say of each other anyway, so one run shows every problem.
        problems.extend(_cross_check(None, None, loaded, persona_docs, broken))
        raise InputError(_reported(problems))
    if not loaded and not problems:
        problems.append(Problem(source, "cast has no persona files (<id>.toml beside cast.toml)"))
    loaded = _ordered(model, manifest_doc, loaded, problems, broken)
    problems.extend(_cross_check(model, manifest_doc, loaded, persona_docs, broken))
    if problems:
        raise InputError(_reported(problems))
    return Cast(manifest=model, personas=tuple(loaded), source=source)


def _reported(problems: list[Problem]) -> list[Problem]:
    """All but what the checks said of values already reported as wrong (see :mod:`rolecall.roles.salvage`)."""
    return [p for p in problems if not isinstance(p, SetAsideProblem)]


def _validate(
    item: TomlDocument | InputError, model: type[M], problems: list[Problem]
) -> tuple[TomlDocument | None, M | None]:
    if isinstance(item, InputError):
        problems.extend(item.problems)
        return None, None
    try:
        return item, item.validate(model)
    except InputError as exc:
        problems.extend(exc.problems)
        return None, None


def _ordered(
    manifest: CastManifest,
    doc: TomlDocument,
    personas: list[Persona],
    problems: list[Problem],
    broken: set[str],
) -> list[Persona]:
    if not manifest.members:
        return personas
    by_id = {p.id: p for p in personas}
    for i, member in enumerate(manifest.members):
        if member not in by_id and member not in broken:
            problems.append(doc.problem(f"no persona file '{member}.toml' in the cast folder", f"members[{i}]"))
    listed = set(manifest.members)
    for persona in personas:
        if persona.id not in listed:
            problems.append(doc.problem(f"persona '{persona.id}' has a file but is not listed in members", "members"))
    ordered = [by_id[m] for m in manifest.members if m in by_id]
    return ordered + [p for p in personas if p.id not in listed]


def _cross_check(
    manifest: CastManifest | None,
    manifest_doc: TomlDocument | None,
    personas: list[Persona],
    docs: dict[str, TomlDocument],
    broken: set[str],
) -> list[Problem]:
    """Problems of the cast as a whole.

    Files that failed to load (``broken``) already have their own problems;
    references to them count as known so one typo does not cascade into a
    screenful of 'no persona' errors. Without a manifest (it failed to load),
    only what the personas say of each other is checked.
    """
    problems: list[Problem] = []
    ids = {p.id for p in personas} | broken
    declared = manifest.capability if manifest is not None else ()
    caps = {c.id for c in declared}
    owners: dict[str, list[str]] = {c: [] for c in caps}
    for persona in personas:
        for owned in persona.owns:
            owners.setdefault(owned.capability, []).append(persona.id)

    first_cap: dict[str, int] = {}
    for i, cap in enumerate(declared):
        known_at = first_cap.setdefault(cap.id, i)
        if known_at != i and manifest_doc is not None:
            problems.append(
                manifest_doc.problem(
                    f"capability '{cap.id}' is already declared at capability[{known_at}]", f"capability[{i}].id"
                )
            )
    handles = Counter(p.handle for p in personas)
    for persona in personas:
        if handles[persona.handle] > 1:
            others = [p.id for p in personas if p.handle == persona.handle and p.id != persona.id]
            problems.append(
                docs[persona.id].problem(f"handle '{persona.handle}' is also used by {', '.join(others)}", "handle")
            )
    for role, expected in (("orchestrator", "orchestrator"), ("verifier", "verifier")):
        pid = getattr(manifest, role, None)
        if pid is None or manifest_doc is None:
            continue
        if pid in broken:
            continue
        if pid not in ids:
            problems.append(manifest_doc.problem(_unknown_persona(pid, ids), role))
        elif (kind := next(p.kind for p in personas if p.id == pid)) != expected:
            problems.append(
                manifest_doc.problem(
                    f"'{pid}' is named {role} but its kind is '{kind}' (expected '{expected}')",
                    role,
                )
            )

    for persona in personas:
        doc = docs[persona.id]
        owned_ids = set(persona.owned_ids())
        for i, item in enumerate(persona.owns):
            if manifest is not None and item.capability not in caps:
                problems.append(doc.problem(_unknown_capability(item.capability, caps), f"owns[{i}].capability"))
        for i, never in enumerate(persona.never):
            where = f"never[{i}]"
            if manifest is not None and never.capability not in caps:
                problems.append(doc.problem(_unknown_capability(never.capability, caps), f"{where}.capability"))
            if never.capability in owned_ids:
                problems.append(
                    doc.problem(
                        f"'{never.capability}' is listed both in owns and in never",
                        f"{where}.capability",
                    )
                )
            if never.hand_to not in ids:
                problems.append(
                    doc.problem(
                        _unknown_persona(never.hand_to, ids),
                        f"{where}.hand_to",
                    )
                )
            elif (
                never.capability in caps
                and never.hand_to not in broken
                and never.hand_to not in owners.get(never.capability, [])
                # A persona file that failed to load may be the owner: no second, misleading problem.
                and not (broken and not owners.get(never.capability))
            ):
                has = ", ".join(owners.get(never.capability, [])) or "nobody"
                problems.append(
                    doc.problem(
                        f"'{never.hand_to}' does not own '{never.capability}' (owned by: {has})",
                        f"{where}.hand_to",
                    )
                )
        for key in ("hands_to", "fallback"):
            for i, target in enumerate(getattr(persona, key)):
                if target not in ids:
                    problems.append(
                        doc.problem(
                            _unknown_persona(target, ids),
                            f"{key}[{i}]",
                        )
                    )
                elif target == persona.id:
                    problems.append(doc.problem("a persona cannot name itself here", f"{key}[{i}]"))
    problems.extend(_check_fallbacks(personas, docs, owners))
    for persona in personas:
        problems.extend(_check_templates(persona, docs[persona.id]))
    for i, cap in enumerate(declared):
        if not owners.get(cap.id) and not broken and manifest_doc is not None:
            problems.append(
                manifest_doc.problem(
                    f"capability '{cap.id}' is owned by no persona; add it to some persona's owns",
                    f"capability[{i}].id",
                )
            )
    return problems


def _check_fallbacks(
    personas: list[Persona], docs: dict[str, TomlDocument], owners: dict[str, list[str]]
) -> list[Problem]:
    """A fallback must be allowed to do the work it takes over.

    A fallback target that neither owns nor refuses a capability is accepted:
    naming it in ``fallback`` is the cast author letting a generalist step in.
    A ``never`` entry is the more specific statement, so it wins. Escalation to
    the orchestrator is not checked here: orchestrators usually refuse every
    specialist's work, and the coordinator declines such an escalation at run
    time instead.
    """
    problems: list[Problem] = []
    by_id = {p.id: p for p in personas}
    for persona in personas:
        owned = set(persona.owned_ids())
        for i, target_id in enumerate(persona.fallback):
            target = by_id.get(target_id)
            if target is None or target is persona:
                continue  # unknown or self: reported above
            refused = [(j, n.capability) for j, n in enumerate(target.never) if n.capability in owned]
            if not refused:
                continue
            places = [(cap, _at(docs[target.id], f"never[{j}]")) for j, cap in refused]
            if len(places) == 1:
                work = f"'{places[0][0]}' is never its job ({places[0][1]})"
            else:
                listed = [f"'{cap}' ({at})" for cap, at in places]
                work = f"{', '.join(listed[:-1])} and {listed[-1]} are never its job"
            others: dict[str, list[str]] = {}
            for _, cap in refused:
                for owner in owners.get(cap, []):
                    if owner != persona.id:
                        others.setdefault(owner, []).append(f"'{cap}'")
            hint = "".join(f"; {owner} also owns {', '.join(caps)}" for owner, caps in others.items())
            message = f"'{target.id}' may not take over {persona.id}'s work: {work}{hint}"
            problems.append(docs[persona.id].problem(message, f"fallback[{i}]"))
    return problems


def _at(doc: TomlDocument, field: str) -> str:
    """``priya.toml:12: never[0]``: where another file says something, for a message."""
    name = doc.path.name if doc.path else "<input>"
    line = doc.line_of(field)
    return f"{name}:{line}: {field}" if line else f"{name}: {field}"


def _known(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) or "(none)"


def _unknown_persona(pid: str, ids: set[str]) -> str:
    close = difflib.get_close_matches(pid, sorted(ids), n=1)
    hint = f"did you mean '{close[0]}'? known: " if close else "known: "
    return f"no persona '{pid}' in this cast; {hint}{_known(ids)}"


def _unknown_capability(cap: str, caps: set[str]) -> str:
    close = difflib.get_close_matches(cap, sorted(caps), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; declare it in cast.toml [[capability]]"
    return f"unknown capability '{cap}'{hint}"


def _check_templates(persona: Persona, doc: TomlDocument) -> list[Problem]:
    """A persona's own template phrasing must use the placeholders its template offers."""
    from rolecall.handoffs.catalogue import TEMPLATES
    from rolecall.handoffs.template import parse_template

    problems: list[Problem] = []
    for name, text in persona.templates.items():
        field = f"templates.{name}"
        if name not in TEMPLATES:
            problems.append(doc.problem(f"unknown template '{name}'; known: {', '.join(TEMPLATES)}", field))
            continue
        start = doc.lines.line_of(field)
        # A multi-line string starts on the line after its key; an inline one on the key's line.
        first = (start or 1) + (1 if "\n" in text else 0)
        try:
            parse_template(text, name, TEMPLATES[name], doc.path, field, first_line=first)
        except InputError as exc:
            problems.extend(exc.problems)
    return problems
