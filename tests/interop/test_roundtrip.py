"""Export then import gives the same cast back: personas, boundaries, capabilities and instructions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolecall.interop.claude_code import import_claude_code
from rolecall.interop.crewai import CrewFiles, import_crewai
from rolecall.interop.exporters import claude_code_files, crewai_files
from rolecall.interop.imported import Imported, ImportOptions
from rolecall.interop.instructions import Instructions
from rolecall.interop.sources import SourceFile
from rolecall.roles import Cast, load_cast, resolve_cast, shipped_casts
from rolecall.roles.catalogue import Capability, CastManifest
from rolecall.roles.persona import NeverJob, OwnedCapability, Persona, Prose
from tests.interop.conftest import RunCli

OPTIONS = ImportOptions(default_name="elsewhere", source="exported")

ident = st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)
segment = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
# Any text at all: every script, symbols, quotes, control characters, YAML and TOML syntax.
line = st.text(st.characters(codec="utf-8"), min_size=1, max_size=24)
maybe = st.one_of(st.just(""), line)
lines = st.lists(line, max_size=3).map(tuple)
body = st.lists(st.one_of(line, st.just("")), max_size=4).map("\n".join)


@st.composite
def casts(draw: st.DrawFn) -> tuple[Cast, dict[str, Instructions]]:
    ids = draw(st.lists(ident, min_size=2, max_size=5, unique=True))
    owned: dict[str, list[str]] = {}
    capabilities: list[Capability] = []
    for pid in ids:
        count = draw(st.integers(1, 3))
        owned[pid] = []
        for name in draw(st.lists(segment, min_size=count, max_size=count, unique=True)):
            cap_id = f"{pid.replace('_', '-')}.{name}"
            owned[pid].append(cap_id)
            capabilities.append(
                Capability(id=cap_id, description=draw(line), reasons=draw(lines), keywords=draw(lines))
            )
    if draw(st.booleans()):  # a tool several personas may use
        capabilities.append(Capability(id="tool.read", description="May use the Read tool"))
        for pid in draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)):
            owned[pid].append("tool.read")
    owner = {cap: pid for pid, caps in owned.items() for cap in caps}
    personas = []
    verifier = ids[1] if len(ids) > 2 and draw(st.booleans()) else None
    for i, pid in enumerate(ids):
        others = [c for c in owner if c not in owned[pid] and not c.startswith("tool.")]
        never_caps = draw(st.lists(st.sampled_from(others), unique=True, max_size=3)) if others else []
        peers = [p for p in ids if p != pid]
        personas.append(
            Persona(
                id=pid,
                name=draw(line),
                title=draw(line),
                handle=f"@{pid}",
                icon=draw(maybe),
                kind="orchestrator" if i == 0 else "verifier" if pid == verifier else "specialist",
                capacity=draw(st.integers(1, 1000)),
                hands_to=tuple(draw(st.lists(st.sampled_from(peers), unique=True, max_size=2))),
                fallback=tuple(draw(st.lists(st.sampled_from(peers), unique=True, max_size=2))),
                instead=draw(lines),
                prose=Prose(
                    role=draw(line), identity=draw(maybe), communication_style=draw(maybe), principles=draw(lines)
                ),
                owns=tuple(OwnedCapability(capability=c, phrase=draw(maybe)) for c in owned[pid]),
                never=tuple(
                    NeverJob(capability=c, hand_to=owner[c], phrase=draw(maybe), instead=draw(lines))
                    for c in never_caps
                ),
                templates=draw(st.sampled_from([{}, {"clean-handoff": "{task} is done; over to {recipient}"}])),
            )
        )
    manifest = CastManifest(
        name=draw(ident),
        title=draw(line),
        description=draw(line),
        orchestrator=ids[0],
        verifier=verifier,
        members=tuple(ids),
        capability=tuple(draw(st.permutations(capabilities))),
    )
    instructions = {}
    for pid in draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)):
        instructions[pid] = Instructions(draw(body), draw(st.sampled_from([{}, {"model": "sonnet", "color": "blue"}])))
    return Cast(manifest=manifest, personas=tuple(personas)), instructions


def _for_tool(instructions: dict[str, Instructions], tool: str) -> dict[str, Instructions]:
    """What the export carries for ``tool``: the body, and that tool's settings."""
    out = {}
    for pid, own in instructions.items():
        kept = Instructions(own.body, {tool: dict(own.settings[tool])} if own.settings.get(tool) else {})
        if kept.body or kept.settings:
            out[pid] = kept
    return out


def _assert_same(cast: Cast, imported: Imported) -> None:
    assert imported.cast is not None, imported.report.text()
    assert imported.cast.personas == cast.personas
    assert imported.cast.manifest == cast.manifest
    assert imported.report.counts()["imported"] == len(imported.report.outcomes)


def _claude_code(cast: Cast, instructions: dict[str, Instructions]) -> Imported:
    files = claude_code_files(cast, instructions)
    return import_claude_code([SourceFile(n, t) for n, t in sorted(files.items())], OPTIONS)


def _crewai(cast: Cast, instructions: dict[str, Instructions]) -> Imported:
    files = crewai_files(cast, instructions)
    return import_crewai(CrewFiles(SourceFile("agents.yaml", files["agents.yaml"]), None), OPTIONS, "..")


@pytest.mark.parametrize(
    ("tool", "roundtrip"), [("claude-code", _claude_code), ("crewai", _crewai)], ids=["claude-code", "crewai"]
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=casts())
def test_export_then_import_gives_the_same_cast(
    tool: str,
    roundtrip: Callable[[Cast, dict[str, Instructions]], Imported],
    drawn: tuple[Cast, dict[str, Instructions]],
) -> None:
    cast, instructions = drawn
    settings_for = {pid: Instructions(own.body, {tool: own.settings}) for pid, own in instructions.items()}
    imported = roundtrip(cast, settings_for)
    _assert_same(cast, imported)
    assert imported.cast is not None
    assert imported.cast.instructions == _for_tool(settings_for, tool)


@pytest.mark.parametrize("fmt", ["claude-code", "crewai"])
@pytest.mark.parametrize("name", shipped_casts())
def test_shipped_casts_survive_export_and_import_on_disk(name: str, fmt: str, tmp_path: Path, rolecall: RunCli) -> None:
    exported = tmp_path / "exported"
    assert rolecall("export", fmt, name, "-o", exported).code == 0
    source = exported if fmt == "claude-code" else exported / "agents.yaml"
    run = rolecall("import", fmt, source, "-o", tmp_path / "again")
    assert run.code == 0, run.err
    assert "Fill in:" not in run.out
    original, again = resolve_cast(name), load_cast(tmp_path / "again")
    assert again.personas == original.personas
    assert again.manifest == original.manifest
    assert not (tmp_path / "again" / "instructions").exists()
