from __future__ import annotations

from pathlib import Path

import pytest

from rolecall import InputError, UsageError
from rolecall.roles import load_cast, resolve_cast, shipped_casts
from tests.conftest import ROLES


def test_three_casts_ship() -> None:
    assert shipped_casts() == ("feature-crew", "model-tiers", "product-team")


@pytest.mark.parametrize("name", ["product-team", "feature-crew", "model-tiers"])
def test_every_shipped_cast_loads(name: str) -> None:
    cast = load_cast(ROLES / name)
    assert cast.orchestrator.kind == "orchestrator"
    for capability in cast.capabilities:
        assert cast.owners_of(capability.id), f"{capability.id} has no owner"


def test_product_team_is_the_twelve_of_the_source_in_order() -> None:
    cast = resolve_cast("product-team")
    assert [p.name for p in cast.personas] == [
        "Kai", "Reese", "Alex", "Jordan", "Drew", "Taylor",
        "Morgan", "Sam", "Riley", "Casey", "Quinn", "Avery",
    ]  # fmt: skip
    assert cast.orchestrator.id == "kai"
    assert cast.verifier is not None and cast.verifier.id == "reese"


def test_feature_crew_has_the_seven_agents_and_an_orchestrator() -> None:
    ids = {p.id for p in resolve_cast("feature-crew").personas}
    assert {
        "feature-planner", "security-auditor", "backend-architect", "ui-ux-designer",
        "devops-automator", "test-automator", "code-reviewer",
    } < ids  # fmt: skip
    assert len(ids) == 8


def test_lookup_by_id_and_handle() -> None:
    cast = resolve_cast("product-team")
    assert cast.get("morgan") is cast.get("@backend")
    assert cast.persona("@frontend").name == "Sam"
    assert cast.get("@nobody") is None
    with pytest.raises(UsageError, match=r"no persona 'zed'.*morgan \(@backend\)"):
        cast.persona("zed")


def test_owners_of_capability_and_pattern() -> None:
    cast = resolve_cast("product-team")
    assert [p.id for p in cast.owners_of("backend.server-actions")] == ["morgan"]
    assert [p.id for p in cast.owners_matching("backend.*")] == ["morgan"]
    assert {p.id for p in cast.owners_matching("security.*")} == {"riley"}
    assert [c.id for c in cast.matching("devops.*")] == ["devops.deploy", "devops.infrastructure"]


def test_sam_boundaries_follow_the_source() -> None:
    cast = resolve_cast("product-team")
    sam = cast.persona("sam")
    hand_to = {n.capability: n.hand_to for n in sam.never}
    assert hand_to["backend.server-actions"] == "morgan"
    assert hand_to["backend.api-routes"] == "morgan"
    assert hand_to["backend.queries"] == "morgan"
    assert hand_to["backend.auth-logic"] == "morgan"
    assert hand_to["database.schema"] == "taylor"
    assert hand_to["ux.design"] == "drew"
    assert hand_to["devops.deploy"] == "casey"
    assert hand_to["payments.stripe"] == "avery"
    assert sam in cast.forbidden_to("backend.server-actions")


def test_unknown_cast_name_lists_the_shipped_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown cast 'nope'.*product-team"):
        resolve_cast("nope")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_cast(folder)
    return [str(p) for p in info.value.problems]


def test_syntax_error_unknown_key_and_dangling_reference_reported_together(product_team: Path) -> None:
    (product_team / "drew.toml").write_text('id = "drew"\nname = "Drew\n', encoding="utf-8")
    sam = product_team / "sam.toml"
    lines = sam.read_text(encoding="utf-8").splitlines()
    icon_line = next(n for n, line in enumerate(lines, start=1) if line.startswith("icon ="))
    lines.insert(icon_line, 'mood = "happy"')
    sam.write_text("\n".join(lines) + "\n", encoding="utf-8")
    morgan = product_team / "morgan.toml"
    text = morgan.read_text(encoding="utf-8")
    morgan.write_text(text.replace('hand_to = "taylor"', 'hand_to = "tayler"', 1), encoding="utf-8")
    problems = _problems(product_team)
    joined = "\n".join(problems)
    assert "drew.toml:2: TOML syntax error" in joined
    assert any(f"sam.toml:{icon_line + 1}: mood: unknown key 'mood'" in p for p in problems), joined
    assert len(problems) == 3, joined  # a broken file does not cascade into 'no persona drew' errors
    assert any("morgan.toml" in p and "hand_to: no persona 'tayler'" in p for p in problems), joined


def test_structural_checks(product_team: Path) -> None:
    cast_toml = product_team / "cast.toml"
    cast_toml.write_text(
        cast_toml.read_text(encoding="utf-8") + '\n[[capability]]\nid = "ops.pager"\ndescription = "Pager duty"\n',
        encoding="utf-8",
    )
    quinn = product_team / "quinn.toml"
    quinn.write_text(quinn.read_text(encoding="utf-8").replace('handle = "@qa"', 'handle = "@backend"'))
    taylor = product_team / "taylor.toml"
    taylor.write_text(
        taylor.read_text(encoding="utf-8") + '\n[[never]]\ncapability = "database.schema"\nhand_to = "sam"\n',
        encoding="utf-8",
    )
    joined = "\n".join(_problems(product_team))
    assert "capability 'ops.pager' is owned by no persona" in joined
    assert "handle '@backend' is also used by morgan" in joined
    assert "'database.schema' is listed both in owns and in never" in joined
    assert "'sam' does not own 'database.schema' (owned by: taylor)" in joined


def test_empty_file_and_missing_manifest(tmp_path: Path, product_team: Path) -> None:
    (product_team / "alex.toml").write_text("", encoding="utf-8")
    assert any("alex.toml: file is empty" in p for p in _problems(product_team))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert any("cast.toml: missing" in p for p in _problems(empty))
    assert any("does not exist" in p for p in _problems(tmp_path / "nowhere"))
