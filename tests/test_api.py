"""rolecall.replay and rolecall.check: on values built in Python, and on files as the command line uses them."""

from __future__ import annotations

import builtins
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import rolecall
from rolecall import InputError, Policy, Replay, Scenario, UsageError
from rolecall._toml import parse_toml
from rolecall.events import RunFinished, RunStarted
from rolecall.files import load_templates, read_events
from rolecall.handoffs import TemplateLibrary
from rolecall.policies.report import json_report, junit_xml, text_report
from rolecall.roles import Cast, cast_from_documents
from tests.conftest import ROOT, SCENARIOS

FIXTURES = ROOT / "tests" / "fixtures"

MANIFEST = """
name = "duo"
title = "Duo"
description = "A builder, a tester and their lead"
orchestrator = "lead"

[[capability]]
id = "orchestration.coordinate"
description = "Coordinate the work"

[[capability]]
id = "build.code"
description = "Write the code"

[[capability]]
id = "test.run"
description = "Test the code"
"""

PERSONAS = {
    "lead": """
id = "lead"
name = "Lee"
title = "Lead"
handle = "@lead"
kind = "orchestrator"
prose = { role = "Coordinates the duo" }
owns = [{ capability = "orchestration.coordinate" }]
never = [{ capability = "build.code", hand_to = "ana" }, { capability = "test.run", hand_to = "ben" }]
""",
    "ana": """
id = "ana"
name = "Ana"
title = "Builder"
handle = "@build"
hands_to = ["ben"]
prose = { role = "Writes the code" }
owns = [{ capability = "build.code" }]
""",
    "ben": """
id = "ben"
name = "Ben"
title = "Tester"
handle = "@test"
prose = { role = "Tests the code" }
owns = [{ capability = "test.run" }]
never = [{ capability = "build.code", hand_to = "ana" }]
""",
}


def _cast() -> Cast:
    return cast_from_documents(parse_toml(MANIFEST), {pid: parse_toml(text) for pid, text in PERSONAS.items()})


def _scenario(**expect: Any) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "ship-it",
            "title": "Ship it",
            "request": "Build and test the feature",
            "cast": "duo",
            "phase": [{"id": "work", "title": "Work"}],
            "task": [
                {"id": "build", "phase": "work", "capability": "build.code", "summary": "Build it",
                 "expected_time": "30m", "deliverable": "The feature is built."},
                {"id": "test", "phase": "work", "capability": "test.run", "summary": "Test it",
                 "expected_time": "15m", "depends_on": ["build"]},
            ],
            **({"expect": expect} if expect else {}),
        }
    )  # fmt: skip


def _policy(*allow: str) -> Policy:
    return Policy.model_validate(
        {
            "name": "duo-rules",
            "cast": "duo",
            "rule": [
                {"id": "routes", "kind": "route", "message": "Handoffs follow the routes.", "allow": list(allow)},
                {"id": "owners", "kind": "boundary", "message": "Work is done by its owners.", "persona": "*",
                 "capability": "*", "except_owners": True},
            ],
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def templates() -> TemplateLibrary:
    """The shipped templates, read once before any test forbids the disk."""
    return load_templates()


@pytest.fixture
def no_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails the test if rolecall reaches a file in any way while it runs."""
    touched: list[str] = []

    def watch(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            # A module imported on first use is read too; that is Python's business, not a user file.
            if not (args and str(args[0]).endswith((".py", ".pyc"))):
                touched.append(f"{name}{args!r}")
            return original(*args, **kwargs)  # forwarded: a failing test's report still reads its source

        return call

    for owner, name in ((builtins, "open"), (io, "open"), (os, "open"), (os, "stat"), (os, "lstat"),
                        (os, "scandir"), (os, "listdir")):  # fmt: skip
        monkeypatch.setattr(owner, name, watch(name, getattr(owner, name)))
    yield
    monkeypatch.undo()
    assert touched == [], "rolecall touched the disk"


def test_a_cast_scenario_and_policy_built_in_python_replay_and_check_without_the_disk(
    templates: TemplateLibrary, no_disk: None
) -> None:
    cast = _cast()
    run = rolecall.replay(_scenario(outcome="completed"), cast=cast, templates=templates)
    assert isinstance(run, Replay) and run.completed and run.written == ()
    assert isinstance(run.events[0], RunStarted) and run.events[-1] == run.final
    assert isinstance(run.final, RunFinished) and run.final.makespan == 45
    assert "**Ana** (@build)" in run.markdown()
    assert run.html().startswith("<!doctype html>")
    (result,) = rolecall.check(run, policies=[_policy("ana -> ben")], templates=templates)
    assert result.passed and result.findings == () and result.target == "ship-it"
    assert result.rules == ("routes", "owners")
    assert [e.name for e in result.expectations] == ["outcome is completed"]


def test_a_passing_check_renders_no_transcript(templates: TemplateLibrary, no_disk: None) -> None:
    plan = rolecall.build_plan(_scenario(), _cast())
    results = rolecall.check(plan, policies=_policy("ana -> ben"), templates=templates)
    report = text_report(results) + json_report(results) + junit_xml(results)
    assert "1 passed, 0 failed" in report
    assert not results[0].transcript.rendered


def test_a_finding_carries_its_event_and_a_report_asks_for_its_line(templates: TemplateLibrary, no_disk: None) -> None:
    run = rolecall.replay(_scenario(), cast=_cast(), templates=templates)
    (result,) = rolecall.check(run, policies=[_policy("ben -> ana")], templates=templates)
    (finding,) = result.findings
    assert (finding.rule, finding.personas) == ("routes", ("ana", "ben"))
    assert finding.detail == "handoff ana -> ben is not an allowed route"
    handoff = run.events[finding.seq or 0]
    assert handoff.kind == "handoff" and finding.at == handoff.at
    assert not result.transcript.rendered, "evaluating the run rendered nothing"
    line = result.line_of(finding)
    assert result.transcript.rendered and line is not None
    assert "**Ana**" in run.markdown().split("\n")[line - 1]
    assert f">> {line:5d} |" in result.excerpt(line)
    assert f"transcript line {line}" in text_report([result])


def test_expected_findings_do_not_fail_and_missing_ones_do(templates: TemplateLibrary, no_disk: None) -> None:
    caught = rolecall.check(_scenario(findings=["routes"]), cast=_cast(), policies=[_policy("ben -> ana")])
    assert caught[0].passed and [f.rule for f in caught[0].expected_findings] == ["routes"]
    missed = rolecall.check(_scenario(findings=["routes"]), cast=_cast(), policies=[_policy("ana -> ben")])
    assert not missed[0].passed and missed[0].failed_expectations


def test_a_run_no_rule_applies_to_fails_unless_allowed(templates: TemplateLibrary, no_disk: None) -> None:
    other = _policy("ana -> ben").model_copy(update={"cast": "someone-else"})
    plan = rolecall.build_plan(_scenario(), _cast())
    assert rolecall.check(plan, policies=[other])[0].unchecked
    assert rolecall.check(plan, policies=[other], allow_empty=True)[0].passed


def test_a_policy_naming_a_persona_the_cast_lacks_is_bad_input(no_disk: None) -> None:
    with pytest.raises(InputError, match="no persona 'cleo' in cast 'duo'"):
        rolecall.check(rolecall.build_plan(_scenario(), _cast()), policies=[_policy("ana -> cleo")])


def test_a_plan_keeps_its_cast_and_a_replay_without_events_cannot_be_checked(no_disk: None) -> None:
    plan = rolecall.build_plan(_scenario(), _cast())
    with pytest.raises(UsageError, match="already planned"):
        rolecall.replay(plan, cast=_cast())
    bare = rolecall.replay(plan, keep_events=False)
    assert bare.events == () and bare.completed
    with pytest.raises(UsageError, match="keep_events=True"):
        rolecall.check(bare, policies=[_policy("ana -> ben")])
    with pytest.raises(UsageError, match="keep_events=True"):
        bare.markdown()
    with pytest.raises(UsageError, match="output folder"):
        rolecall.replay(plan, events_only=True)


def test_sinks_see_every_event_as_it_happens(no_disk: None) -> None:
    seen: list[str] = []
    run = rolecall.replay(rolecall.build_plan(_scenario(), _cast()), sinks=[lambda e: seen.append(e.kind)])
    assert seen == [e.kind for e in run.events]


# -- files, as the command line uses them ----------------------------------------


def test_replay_writes_the_files_the_command_line_writes(tmp_path: Path) -> None:
    run = rolecall.replay(SCENARIOS / "role-boundary-violation.toml", output=tmp_path / "out")
    names = [p.name for p in run.written]
    assert names == ["events.jsonl", "transcript.md", "transcript.html"]
    assert run.markdown() == (tmp_path / "out" / "transcript.md").read_text(encoding="utf-8")
    assert run.html() == (tmp_path / "out" / "transcript.html").read_text(encoding="utf-8")
    assert list(run.events) == read_events(tmp_path / "out" / "events.jsonl")
    only = rolecall.replay(SCENARIOS / "role-boundary-violation.toml", output=tmp_path / "e", events_only=True)
    assert [p.name for p in only.written] == ["events.jsonl"]
    assert sorted(p.name for p in (tmp_path / "e").iterdir()) == ["events.jsonl"]


def test_replay_checks_its_output_folder_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        rolecall.replay(tmp_path / "no-such-scenario.toml", output=tmp_path / "taken")


def test_a_run_checked_from_its_file_its_replay_and_its_saved_events_gets_one_verdict(tmp_path: Path) -> None:
    scenario = FIXTURES / "boundary-unenforced.toml"
    run = rolecall.replay(scenario, output=tmp_path)
    from_file, from_replay, from_events = rolecall.check([scenario, run, tmp_path / "events.jsonl"])
    assert from_file.findings == from_replay.findings == from_events.findings != ()
    lines = {tuple(r.line_of(f) for f in r.findings) for r in (from_file, from_replay, from_events)}
    assert len(lines) == 1 and None not in next(iter(lines))
    assert from_file.target == from_replay.target == scenario and from_events.target == tmp_path / "events.jsonl"
    assert from_file.expectations == from_replay.expectations and from_events.expectations == ()


def test_check_takes_folders_strings_and_policy_files() -> None:
    results = rolecall.check(str(SCENARIOS), policies=[ROOT / "policies" / "product-team.toml"], allow_empty=True)
    assert len(results) == len(list(SCENARIOS.glob("*.toml"))) and all(r.passed for r in results)
    with pytest.raises(InputError, match=r"no-such\.toml"):
        rolecall.check(SCENARIOS, policies=[ROOT / "policies" / "no-such.toml"])


def test_the_readme_example_runs_and_prints_what_it_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("## Use it from Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    said = [m.group(1) for m in re.finditer(r"print\(.*\)\s+# (.+)$", code, re.MULTILINE)]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout.splitlines() == said


STRIPE_FILE = SCENARIOS / "stripe-subscription.toml"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rolecall.replay(42), "scenario: expected a path, a Scenario or a Plan, got int 42"),  # type: ignore[arg-type]
        (lambda: rolecall.replay(None), "scenario: expected a path, a Scenario or a Plan, got NoneType"),  # type: ignore[arg-type]
        (lambda: rolecall.replay({"name": "x"}), "scenario: expected a path, a Scenario or a Plan, got dict"),  # type: ignore[arg-type]
        (lambda: rolecall.replay(STRIPE_FILE, output=5), "output: expected a folder path, got int 5"),  # type: ignore[arg-type]
        (lambda: rolecall.replay(STRIPE_FILE, templates=3), "templates: expected a folder or a TemplateLibrary"),  # type: ignore[arg-type]
        (lambda: rolecall.replay(STRIPE_FILE, cast=1), "cast: expected a cast name, a folder or a Cast"),  # type: ignore[arg-type]
        (lambda: rolecall.replay(STRIPE_FILE, sinks=[1]), "sinks: each sink is called with every event; got int 1"),  # type: ignore[list-item]
        (lambda: rolecall.replay(STRIPE_FILE, sinks=1), "sinks: expected one value or a list of them, got int 1"),  # type: ignore[arg-type]
        (lambda: rolecall.replay(STRIPE_FILE, backend="x"), "backend: expected a Backend (rolecall.backends), got str"),  # type: ignore[arg-type]
        (lambda: rolecall.check(42), "targets: expected one value or a list of them, got int 42"),  # type: ignore[arg-type]
        (lambda: rolecall.check([None]), "targets: expected a path, a Scenario, a Plan or a Replay, got NoneType"),  # type: ignore[list-item]
        (lambda: rolecall.check({"name": "x"}), "targets: expected one value or a list of them, got dict"),
        (lambda: rolecall.check(STRIPE_FILE, policies=3), "policies: expected one value or a list of them, got int 3"),  # type: ignore[arg-type]
        (lambda: rolecall.check(STRIPE_FILE, policies={"rule": []}), "policies: expected one value or a list of them"),
    ],
)
def test_a_wrong_argument_is_a_usage_error_naming_it(call: Callable[[], object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        call()
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_planned_or_replayed_run_refuses_another_cast_in_check_as_in_replay() -> None:
    plan = rolecall.replay(STRIPE_FILE).plan
    run = rolecall.replay(STRIPE_FILE)
    for target in (plan, run):
        with pytest.raises(UsageError, match="already"):
            rolecall.check(target, cast="feature-crew")
