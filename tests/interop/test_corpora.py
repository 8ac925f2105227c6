"""Real persona files from public repositories import into casts that validate, with a report for every file.

The corpora live beside the repository (``../shared/corpora``); each test
prints its per-corpus counts so a change in what imports shows in the run.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from rolecall.roles import load_cast
from tests.interop.conftest import RunCli

_LINE = re.compile(r"^(imported|warnings|skipped) +(.+?)(?: -> |: |$)")
_RANK = {"skipped": 0, "warnings": 1, "imported": 2}


def _manifest(corpora: Path) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for line in (corpora / "MANIFEST.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        files.setdefault(entry["corpus"], []).append(entry["file"])
    return files


def _statuses(out: str, prefix: str = "") -> dict[str, str]:
    found = {}
    for line in out.splitlines():
        match = _LINE.match(line)
        if match:
            found[prefix + match.group(2)] = match.group(1)
    return found


def _print_counts(capsys: pytest.CaptureFixture[str], corpus: str, statuses: dict[str, str]) -> Counter[str]:
    counts = Counter(statuses.values())
    with capsys.disabled():
        print(
            f"\n[corpus] {corpus}: {len(statuses)} files: {counts['imported']} imported, "
            f"{counts['warnings']} imported with warnings, {counts['skipped']} skipped"
        )
    return counts


@pytest.mark.parametrize("corpus", ["wshobson-agents", "VoltAgent-awesome-claude-code-subagents"])
def test_claude_code_corpus_imports_into_a_valid_cast(
    corpus: str, corpora: Path, tmp_path: Path, rolecall: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cast"
    run = rolecall("import", "claude-code", corpora / corpus, "-o", out)
    assert run.code == 0, run.err
    statuses = _statuses(run.out)
    assert sorted(statuses) == sorted(_manifest(corpora)[corpus])  # every file is reported
    counts = _print_counts(capsys, corpus, statuses)
    assert counts["imported"] + counts["warnings"] >= 0.95 * len(statuses)
    assert run.counts() == (len(statuses), counts["imported"], counts["warnings"], counts["skipped"])
    assert rolecall("roles", "validate", out).code == 0


def test_claude_code_files_that_strict_yaml_refuses_import_with_warnings(
    corpora: Path, tmp_path: Path, rolecall: RunCli
) -> None:
    run = rolecall("import", "claude-code", corpora / "VoltAgent-awesome-claude-code-subagents", "-o", tmp_path / "c")
    warned = {name for name, status in _statuses(run.out).items() if status == "warnings"}
    assert "categories/04-quality-security/gdpr-ccpa-compliance.md" in warned
    assert len(warned) == 8
    gdpr = load_cast(tmp_path / "c").persona("gdpr-ccpa-compliance")
    assert "Triggers on: 'GDPR', 'CCPA'" in gdpr.prose.role


def _crew_runs(corpora: Path) -> list[tuple[Path, Path]]:
    """(what to import, config folder): every config folder, and each extra agents file on its own."""
    folders = sorted({p.parent for p in (corpora / "crewAI-examples").rglob("*.y*ml")})
    runs = []
    for folder in folders:
        runs.append((folder, folder))
        for extra in sorted(folder.glob("*.y*ml")):
            stem = extra.stem.lower()
            if stem.endswith(("agents", "crew")) and stem not in ("agents", "crew"):
                runs.append((extra, folder))
    return runs


def test_every_crewai_pair_imports_with_a_scenario_that_plans(
    corpora: Path, tmp_path: Path, rolecall: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    root = corpora / "crewAI-examples"
    statuses: dict[str, str] = {}
    pairs = 0
    for i, (source, folder) in enumerate(_crew_runs(corpora)):
        out = tmp_path / f"crew-{i}"
        run = rolecall("import", "crewai", source, "-o", out)
        assert run.code == 0, (source, run.err)
        prefix = folder.relative_to(root).as_posix() + "/"
        for name, status in _statuses(run.out, prefix).items():
            if _RANK[status] >= _RANK.get(statuses.get(name, "skipped"), 0):
                statuses[name] = status
        assert rolecall("roles", "validate", out).code == 0
        scenarios = list((out / "scenarios").glob("*.toml"))
        if scenarios:
            pairs += 1
            assert rolecall("plan", scenarios[0]).code == 0, scenarios[0]
    assert sorted(statuses) == sorted(_manifest(corpora)["crewAI-examples"])
    counts = _print_counts(capsys, "crewAI-examples", statuses)
    # Every agents file with a tasks file beside it is a pair; all of them import, tasks included.
    agents = [n for n in statuses if Path(n).stem.lower().endswith(("agents", "crew"))]
    assert all(statuses[n] != "skipped" for n in agents)
    # 20 crews at HEAD and 14 in history (HPagents/HPTasks and myagents/mytasks share a folder)
    assert pairs == 34
    skipped = {n for n, s in statuses.items() if s == "skipped"}
    assert skipped == {"crews/game-builder-crew/src/game_builder_crew/config/gamedesign.yaml"}
    assert counts["skipped"] == 1


def test_crewai_context_becomes_depends_on(corpora: Path, tmp_path: Path, rolecall: RunCli) -> None:
    config = corpora / "crewAI-examples/_history/crews/kyb_compliance_crew/src/kyb_compliance_crew/config"
    assert rolecall("import", "crewai", config, "-o", tmp_path / "kyb").code == 0
    text = (tmp_path / "kyb" / "scenarios" / "kyb.toml").read_text(encoding="utf-8")
    assert 'depends_on = [\n    "company_lookup",\n]' in text
    assert 'assignee = "compliance_screener"' in text


def test_whole_source_cast_repository_imports_both_generations_once(
    corpora: Path, tmp_path: Path, rolecall: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = "shageevan-nextjs-saas-fullstack-dev-team"
    run = rolecall("import", "role-boundaries", corpora / corpus, "-o", tmp_path / "source")
    assert run.code == 0, run.err
    statuses = _statuses(run.out)
    assert sorted(statuses) == sorted(_manifest(corpora)[corpus])
    counts = _print_counts(capsys, corpus, statuses)
    assert counts["imported"] + counts["warnings"] == 12  # the twelve personas, the newer copies skipped
    assert "duplicate persona 'frontend'" in run.out
    cast = load_cast(tmp_path / "source")
    assert [p.name for p in cast.personas if p.kind != "specialist"] == ["Kai", "Reese"]
    assert cast.orchestrator.id == "orchestrator" and cast.manifest.verifier == "resource-verifier"


def test_source_cast_as_claude_code_imports_with_warnings(corpora: Path, tmp_path: Path, rolecall: RunCli) -> None:
    run = rolecall("import", "claude-code", corpora / "shageevan-nextjs-saas-fullstack-dev-team", "-o", tmp_path / "c")
    assert run.code == 0, run.err
    assert "no description: prose.role and the capability description are marked FILL IN" in run.out
    assert "skipped   .claude/commands/kai.md: no front matter" in run.out
    assert rolecall("roles", "validate", tmp_path / "c").code == 0
    assert load_cast(tmp_path / "c").persona("frontend").name == "Sam"
