"""The source cast of seed 002 imports with Sam's boundaries: what the frontend must never do, and to whom it goes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rolecall.cli import main
from rolecall.roles import Cast, load_cast, resolve_cast
from tests.interop.conftest import SEEDS, SOURCE_CAST, RunCli

GENERATIONS = [".claude/agents", ".claude-code/agents/fullstack-team/agents"]

# Seed 002: Server Actions, API routes, database queries and auth logic go to the backend developer,
# schema to the database architect, UX flows to the designer, deployment to DevOps, Stripe to payments.
SAM_NEVER = [
    (r"server actions", "backend"),
    (r"api routes", "backend"),
    (r"database queries", "backend"),
    (r"authentication logic", "backend"),
    (r"schema", "database"),
    (r"ux flow", "designer"),
    (r"deployment", "devops"),
    (r"stripe", "payment"),
]


@pytest.fixture(scope="module", params=GENERATIONS)
def source_cast(request: pytest.FixtureRequest, corpora: Path, tmp_path_factory: pytest.TempPathFactory) -> Cast:
    """Each generation of the source cast's files, imported once for this module."""
    out = tmp_path_factory.mktemp("source") / "source-cast"
    assert main(["import", "role-boundaries", str(SOURCE_CAST / request.param), "-o", str(out)]) == 0
    assert main(["roles", "validate", str(out)]) == 0
    return load_cast(out)


def test_frontend_never_entries_hand_to_the_owners_seed_002_names(source_cast: Cast) -> None:
    sam = source_cast.persona("@frontend")
    assert (sam.id, sam.name, sam.title) == ("frontend", "Sam", "Frontend Developer")
    for pattern, target in SAM_NEVER:
        matching = [n for n in sam.never if re.search(pattern, n.phrase, re.IGNORECASE)]
        assert matching, f"no never entry for {pattern!r}"
        assert {n.hand_to for n in matching} == {target}, pattern
    # every target owns what it receives, as the cast checks demand
    for entry in sam.never:
        assert source_cast.owns(entry.hand_to, entry.capability)


def test_frontend_hands_work_to_the_same_roles_as_the_shipped_product_team(source_cast: Cast) -> None:
    imported = source_cast.persona("@frontend")
    shipped = resolve_cast("product-team").persona("@frontend")
    handles = {source_cast.persona(n.hand_to).handle for n in imported.never}
    assert handles == {resolve_cast("product-team").persona(n.hand_to).handle for n in shipped.never}


def test_phrases_and_notes_of_the_source_are_kept(source_cast: Cast) -> None:
    sam = source_cast.persona("frontend")
    ux = next(n for n in sam.never if n.phrase == "Design UX flows")
    assert ux.instead == ("I implement their designs",)
    owned = [o.phrase for o in sam.owns]
    assert "Implement UI pages with Next.js App Router" in owned
    assert sam.prose.principles[0] == "Performance is a feature (Lighthouse score >90)"


def test_personas_without_their_own_boundaries_get_the_orchestrators_view(source_cast: Cast) -> None:
    designer = source_cast.persona("designer")
    assert [(n.phrase, n.hand_to) for n in designer.never][:2] == [
        ("Implement components in code", "frontend"),
        ("Write business logic", "backend"),
    ]


def test_orchestrator_file_closed_early_by_markdown_is_read_on(corpora: Path, tmp_path: Path, rolecall: RunCli) -> None:
    run = rolecall("import", "role-boundaries", SOURCE_CAST / ".claude/agents", "-o", tmp_path / "c")
    assert "warnings  orchestrator.md -> persona 'orchestrator' (Kai)" in run.out
    assert "front matter closed early by markdown; read on to line 1546" in run.out
    kai = load_cast(tmp_path / "c").persona("orchestrator")
    assert kai.kind == "orchestrator"
    assert kai.prose.role == "Technical Project Orchestrator + Team Coordinator"


def test_seed_002_describes_the_boundary_the_import_enforces() -> None:
    seeds = sorted(SEEDS.glob("002_*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"seed 002 is not beside the repository ({SEEDS})")
    text = seeds[0].read_text(encoding="utf-8")
    assert "Frontend Developer attempts to implement Server Action" in text
    assert "I'm redirecting this to Morgan (Backend Developer)" in text
