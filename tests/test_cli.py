"""The command line, run as a user runs it: a real process, exit codes, no tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from rolecall import __version__
from tests.conftest import ROOT, SCENARIOS, run_cli

STRIPE = SCENARIOS / "stripe-subscription.toml"


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.strip() == f"rolecall {__version__}"


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["roles"],
        ["roles", "list"],
        ["roles", "show"],
        ["roles", "validate"],
        ["route"],
        ["schema"],
        ["plan"],
        ["replay"],
        ["render"],
    ],
)
def test_help_on_every_command(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0
    assert "usage: rolecall" in result.out


def test_roles_list_default_cast() -> None:
    result = run_cli("roles", "list")
    assert result.code == 0
    assert "product-team" in result.out
    assert "@backend" in result.out and "Morgan" in result.out
    assert len([line for line in result.out.splitlines() if line.startswith(("kai", "sam"))]) == 2


def test_roles_list_other_cast_and_all() -> None:
    assert "feature-planner" in run_cli("roles", "list", "--cast", "feature-crew").out
    everything = run_cli("roles", "list", "--all").out
    assert "Product team" in everything and "implementer" in everything


def test_roles_show_by_handle() -> None:
    result = run_cli("roles", "show", "@frontend")
    assert result.code == 0
    assert "Sam (Frontend Developer)" in result.out
    assert "backend.server-actions" in result.out and "-> Morgan (@backend)" in result.out
    assert "Fallback chain:" in result.out


def test_roles_show_unknown_persona_is_a_usage_error() -> None:
    result = run_cli("roles", "show", "zed")
    assert result.code == 2
    assert "no persona 'zed'" in result.err and "Traceback" not in result.err


def test_roles_validate_shipped() -> None:
    result = run_cli("roles", "validate")
    assert result.code == 0
    assert result.out.count("ok:") == 3


def test_roles_validate_reports_every_problem(product_team: Path) -> None:
    (product_team / "drew.toml").write_text('id = "drew"\nname = [\n', encoding="utf-8")
    sam = product_team / "sam.toml"
    sam.write_text(sam.read_text(encoding="utf-8") + '\ncolour = "blue"\n', encoding="utf-8")
    morgan = product_team / "morgan.toml"
    morgan.write_text(morgan.read_text(encoding="utf-8").replace('hand_to = "taylor"', 'hand_to = "tay"', 1))
    result = run_cli("roles", "validate", product_team)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "drew.toml:" in result.err and "TOML syntax error" in result.err
    assert "sam.toml:" in result.err and "colour: unknown key 'colour'" in result.err
    assert "morgan.toml:" in result.err and "no persona 'tay'" in result.err
    assert "3 problems found" in result.err


def test_route_server_action() -> None:
    result = run_cli("route", "Add a createUser Server Action")
    assert result.code == 0
    assert "Morgan (Backend Developer) @backend" in result.out
    assert "Must not do it:" in result.out
    assert "Sam (Frontend Developer) @frontend: never its job, hand to Morgan" in result.out


def test_route_schema_request() -> None:
    result = run_cli("route", "Design the subscription schema")
    assert "Route:   Taylor" in result.out


def test_route_unknown_cast() -> None:
    result = run_cli("route", "anything", "--cast", "nope")
    assert result.code == 2 and "unknown cast 'nope'" in result.err


@pytest.mark.parametrize("name", ["persona", "cast", "scenario", "event"])
def test_schema_prints_json_schema(name: str) -> None:
    result = run_cli("schema", name)
    assert result.code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(result.out))


def test_unknown_schema_is_a_usage_error() -> None:
    result = run_cli("schema", "nope")
    assert result.code == 2 and "invalid choice" in result.err


def test_plan_prints_levels_and_times() -> None:
    result = run_cli("plan", STRIPE)
    assert result.code == 0
    assert "Levels" in result.out and "Critical path" in result.out
    assert "Sequential: 9h" in result.out and "Makespan:" in result.out


def test_replay_writes_valid_events(tmp_path: Path) -> None:
    result = run_cli("replay", STRIPE, "-o", tmp_path)
    assert result.code == 0, result.err
    assert "Outcome:    completed" in result.out
    assert (tmp_path / "transcript.md").read_text(encoding="utf-8").startswith("# Stripe subscription feature")
    schema = json.loads(run_cli("schema", "event").out)
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["kind"] == "run_started"
    for line in lines:
        jsonschema.validate(json.loads(line), schema)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary file left behind"


def test_replay_jsonl_to_stdout_matches_file(tmp_path: Path) -> None:
    printed = run_cli("replay", STRIPE, "--format", "jsonl").out
    run_cli("replay", STRIPE, "-o", tmp_path)
    assert printed == (tmp_path / "events.jsonl").read_text(encoding="utf-8")


def test_render_saved_events(tmp_path: Path) -> None:
    run_cli("replay", STRIPE, "-o", tmp_path)
    rendered = run_cli("render", tmp_path / "events.jsonl", "--format", "summary")
    assert rendered.code == 0
    assert "Outcome:    completed" in rendered.out
    again = run_cli("render", tmp_path / "events.jsonl", "--format", "jsonl")
    assert again.out == (tmp_path / "events.jsonl").read_text(encoding="utf-8")


def test_render_bad_events_file(tmp_path: Path) -> None:
    bad = tmp_path / "events.jsonl"
    bad.write_text('{"seq": 0, "at": 0}\nnot json\n', encoding="utf-8")
    result = run_cli("render", bad)
    assert result.code == 2
    assert "events.jsonl:1:" in result.err and "events.jsonl:2:" in result.err
    assert "not an event: no 'kind' field" in result.err
    assert "Traceback" not in result.err


def test_no_go_replay_exits_1(tmp_path: Path) -> None:
    scenario = tmp_path / "nogo.toml"
    text = STRIPE.read_text(encoding="utf-8").replace('"STRIPE_SECRET_KEY", ', "")
    scenario.write_text(text, encoding="utf-8")
    result = run_cli("replay", scenario)
    assert result.code == 1
    assert "NO-GO" in result.out and "STRIPE_SECRET_KEY (env-var)" in result.out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        ("name = [", "TOML syntax error"),
        ('name = "x"\ntitle = "x"\nrequest = "x"\nflavour = 1\n', "flavour: unknown key 'flavour'"),
    ],
)
def test_bad_scenarios_exit_2_without_traceback(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(content, encoding="utf-8")
    for command in ("plan", "replay"):
        result = run_cli(command, path)
        assert result.code == 2
        assert message in result.err
        assert "Traceback" not in result.err


def test_missing_scenario_file(tmp_path: Path) -> None:
    result = run_cli("replay", tmp_path / "absent.toml")
    assert result.code == 2 and "file not found" in result.err


def test_user_cast_folder_by_path(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "roles" / "product-team", tmp_path / "team")
    result = run_cli("roles", "list", "--cast", tmp_path / "team")
    assert result.code == 0 and "Morgan" in result.out


def test_roles_validate_accepts_shipped_names() -> None:
    result = run_cli("roles", "validate", "product-team")
    assert result.code == 0 and "ok:" in result.out


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_replays_with_its_documented_exit(path: Path) -> None:
    expected = 1 if "exits 1" in path.read_text(encoding="utf-8").split("\n\n")[0] else 0
    result = run_cli("replay", path, "--format", "summary")
    assert result.code == expected, result.out + result.err


def test_a_folder_named_like_a_cast_but_without_a_manifest_is_said_to_be_one(tmp_path: Path) -> None:
    (tmp_path / "agents").mkdir()
    result = run_cli("roles", "list", "--cast", "agents", cwd=tmp_path)
    assert result.code == 2
    assert "'agents' is a folder here but not a cast: it has no cast.toml" in result.err
