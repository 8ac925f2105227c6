"""Importing persona files with ``role_boundaries`` into a cast, boundaries included.

- ``strictly_my_job`` (or, without it, ``responsibilities``) gives the
  persona's capabilities, one per duty, its wording kept as the phrase.
- ``never_my_job`` ("X (that's Role - note)") and ``must_handoff_to``
  (``role_key: [work]``) give ``[[never]]`` entries: the role is resolved to a
  persona, the work to the capability of that persona it matches, or a new one
  that persona owns; the note after the dash becomes ``instead``.
- An orchestrator's ``role_boundaries_enforcement.forbidden_actions`` fills in
  the boundaries of personas whose own file declares none.
"""

from __future__ import annotations

from collections.abc import Sequence

from rolecall.interop.draft import CastDraft
from rolecall.interop.imported import Imported, ImportOptions, finish_import
from rolecall.interop.naming import core_phrase, humanize, keywords_for, match_tokens
from rolecall.interop.persona_draft import DraftNever, DraftPersona, fill_in
from rolecall.interop.report import ImportReport
from rolecall.interop.role_files import NeverItem, SourcePersona, read_persona_file
from rolecall.interop.role_refs import RoleDirectory
from rolecall.interop.sources import SourceFile
from rolecall.roles.persona import PersonaKind

__all__ = ["FORMAT", "import_role_boundaries"]

FORMAT = "role-boundaries"


def _kind(found: SourcePersona) -> PersonaKind:
    words = set(f"{found.id} {found.title}".lower().replace("-", " ").split())
    if "orchestrator" in words:
        return "orchestrator"
    return "verifier" if "verifier" in words else "specialist"


def _draft(found: SourcePersona) -> DraftPersona:
    title = found.title or found.role or humanize(found.id)
    persona = DraftPersona(
        id=found.id,
        source=found.outcome.name,
        name=found.name or humanize(found.id),
        title=title,
        role=found.role or title,
        icon=found.icon,
        kind=_kind(found),
        identity=found.identity,
        communication_style=found.communication_style,
        principles=found.principles,
    )
    if not found.role and not found.title:
        persona.role = fill_in("what this persona does (the file has no persona.role)")
    return persona


class _Builder:
    def __init__(self, draft: CastDraft, found: list[SourcePersona]) -> None:
        self.draft = draft
        self.found = found
        self.directory = RoleDirectory()
        for item in found:
            role_key = item.title.lower().replace("/", "_").replace(" ", "_")
            self.directory.add(item.id, item.id, item.title, item.name, item.role, role_key)

    def duties(self, persona: DraftPersona, duties: list[str]) -> None:
        seen: set[str] = set()
        for duty in duties:
            core = core_phrase(duty)
            if core in seen:
                continue
            seen.add(core)
            cap = self.draft.capability(persona.id, core, duty, keywords_for(duty))
            persona.own(cap, duty)

    def _capability_for(self, target: DraftPersona, work: str, origin: str) -> str:
        """The target's capability ``work`` names, or a new one it owns."""
        wanted = match_tokens(core_phrase(work))
        best, best_score = None, 0.0
        for cap_id, phrase in target.owns:
            if cap_id.startswith("tool."):
                continue
            have = match_tokens(phrase or self.draft.capabilities[cap_id].description)
            if not wanted or not have:
                continue
            shared = len(wanted & have)
            score = 2.0 if wanted <= have else shared / len(wanted | have)
            if score > best_score:
                best, best_score = cap_id, score
        if best is not None and best_score >= 0.5:
            return best
        cap = self.draft.capability(target.id, core_phrase(work), work, keywords_for(work))
        target.own(cap, work, origin)
        return cap

    def never(self, persona: DraftPersona, items: list[NeverItem], source: SourcePersona, origin: str = "") -> None:
        for item in items:
            first = item.target.split(" + ")[0] if item.target else ""
            target_id = self.directory.resolve(first) if first else None
            target = self.draft.get(target_id) if target_id else None
            where = f"{item.where} '{item.work}'"
            if target is None:
                named = f"'{item.target}' names" if item.target else "names"
                source.outcome.warn(f"{where}: {named} no single persona of this cast; left out")
                continue
            if target.id == persona.id:
                source.outcome.warn(f"{where}: hands the work to this persona itself; left out")
                continue
            made_from = f"from {source.outcome.name} {item.where}"
            cap = self._capability_for(target, item.work, made_from)
            instead = (item.note,) if item.note else ()
            persona.never.append(DraftNever(cap, target.id, item.work, instead, origin))

    def collaborators(self, persona: DraftPersona, names: list[str]) -> None:
        by_name = {p.name.lower(): p.id for p in self.draft.personas}
        for name in names:
            pid = by_name.get(name.strip().lower())
            if pid is not None and pid != persona.id and pid not in persona.hands_to:
                persona.hands_to.append(pid)


def import_role_boundaries(files: Sequence[SourceFile], options: ImportOptions) -> Imported:
    report = ImportReport()
    draft = CastDraft(report)
    found: list[SourcePersona] = []
    first_file: dict[str, str] = {}
    for source in files:
        outcome = report.file(source.name)
        persona = read_persona_file(source, outcome)
        if persona is None:
            continue
        if persona.id in first_file:
            outcome.skip(f"duplicate persona '{persona.id}': already imported from {first_file[persona.id]}")
            continue
        first_file[persona.id] = source.name
        outcome.result = f"persona '{persona.id}'" + (f" ({persona.name})" if persona.name else "")
        found.append(persona)
        draft.add(_draft(persona))
    builder = _Builder(draft, found)
    drafts = {item.id: draft_persona for item in found if (draft_persona := draft.get(item.id)) is not None}
    for item in found:
        builder.duties(drafts[item.id], item.duties or [item.role or drafts[item.id].title])
    for item in found:
        builder.never(drafts[item.id], item.never, item)
        builder.collaborators(drafts[item.id], item.collaborators)
    for item in found:
        for role_key, items in item.forbidden.items():
            target_id = builder.directory.resolve(role_key)
            target = draft.get(target_id) if target_id else None
            if target is None:
                item.outcome.warn(f"forbidden_actions.{role_key}: names no single persona of this cast; left out")
                continue
            own = next(f for f in found if f.id == target.id)
            if not own.has_boundaries:
                origin = f"from {item.outcome.name} role_boundaries_enforcement.forbidden_actions.{role_key}"
                builder.never(target, items, item, origin)
    verifier = next((p.id for p in draft.personas if p.kind == "verifier"), None)
    built = finish_import(draft, options, "role-boundary persona files", verifier=verifier)
    return Imported(FORMAT, options.source, built, report)
