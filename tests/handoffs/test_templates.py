from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rolecall import InputError
from rolecall.handoffs import TEMPLATES, load_templates, parse_template
from rolecall.roles import load_cast
from tests.conftest import ROOT, SCENARIOS, run_cli


def test_placeholders_lists_and_escapes() -> None:
    template = parse_template(
        "Hi {name}, {{literal}}\n  {items}\nall: {items}", "t", frozenset({"name", "items"}), None
    )
    assert template.render({"name": "Sam", "items": ["a", "b"]}) == "Hi Sam, {literal}\n  - a\n  - b\nall: a, b"
    assert template.render({"name": "Sam", "items": []}) == "Hi Sam, {literal}\nall: "


def test_unknown_placeholder_and_stray_brace_reported_with_lines() -> None:
    with pytest.raises(InputError) as info:
        parse_template("ok {name}\n{nmae}\nbroken } here", "t", frozenset({"name"}), Path("t.md"))
    problems = [str(p) for p in info.value.problems]
    assert problems[0].startswith("t.md:2: unknown placeholder '{nmae}'")
    assert problems[1].startswith("t.md:3: unmatched '}'")


def test_templates_cannot_run_code() -> None:
    for attempt in ("{name.__class__}", "{name[0]}", "{__import__('os')}"):
        with pytest.raises(InputError, match="not a placeholder name"):
            parse_template(attempt, "t", frozenset({"name"}), None)


def test_every_template_ships_and_loads() -> None:
    library = load_templates()
    for name in TEMPLATES:
        assert (ROOT / "handoffs" / f"{name}.md").is_file()
        library.for_speaker(name, "anyone")


def test_unknown_template_file_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "redirct.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown template 'redirct'"):
        load_templates(tmp_path)


def _copy_handoffs(tmp_path: Path) -> Path:
    folder = tmp_path / "handoffs"
    shutil.copytree(ROOT / "handoffs", folder)
    return folder


def test_edited_template_changes_the_transcript(tmp_path: Path) -> None:
    folder = _copy_handoffs(tmp_path)
    redirect = folder / "redirect.md"
    redirect.write_text(redirect.read_text(encoding="utf-8").replace("STOP:", "HALT:"), encoding="utf-8")
    scenario = SCENARIOS / "role-boundary-violation.toml"
    edited = run_cli("replay", scenario, "--templates", folder)
    assert edited.code == 0
    assert "HALT: Sam, this task is outside your role." in edited.out
    assert "HALT:" not in run_cli("replay", scenario).out


def test_template_with_unknown_placeholder_fails_at_load(tmp_path: Path) -> None:
    folder = _copy_handoffs(tmp_path)
    (folder / "clean-handoff.md").write_text("{task} done\nsee {attachment}\n", encoding="utf-8")
    result = run_cli("replay", SCENARIOS / "stripe-subscription.toml", "--templates", folder, "-o", tmp_path / "o")
    assert result.code == 2
    assert "clean-handoff.md:2: unknown placeholder '{attachment}'" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "o").exists(), "nothing is written when templates are broken"


def test_persona_override_is_used_and_checked(tmp_path: Path) -> None:
    cast = tmp_path / "team"
    shutil.copytree(ROOT / "roles" / "product-team", cast)
    kai = cast / "kai.toml"
    kai.write_text(
        kai.read_text(encoding="utf-8") + '\n[templates]\nredirect = "Hold on, {violator}: {specialist} owns this."\n',
        encoding="utf-8",
    )
    result = run_cli("replay", SCENARIOS / "role-boundary-violation.toml", "--cast", cast)
    assert "Hold on, Sam: Morgan owns this." in result.out
    kai.write_text(kai.read_text(encoding="utf-8").replace("{specialist} owns", "{owner} owns"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cast(cast)
    (problem,) = info.value.problems
    assert "kai.toml" in str(problem) and "templates.redirect" in str(problem) and "'{owner}'" in str(problem)
    assert problem.line is not None
