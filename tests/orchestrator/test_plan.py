from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from rolecall import InputError
from rolecall._model import Minutes
from rolecall.orchestrator import plan_file
from rolecall.orchestrator.scenario import parse_minutes
from rolecall.schemas import schema
from tests.conftest import SCENARIOS
from tests.orchestrator.helpers import plan_of

HEADER = """name = "broken"
title = "Broken"
request = "r"

[[phase]]
id = "work"
title = "Work"
"""


def _problems(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "s.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        plan_file(path)
    return [str(p) for p in info.value.problems]


def test_all_reference_problems_reported_together_with_lines(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """
[[task]]
id = "a"
phase = "wrok"
capability = "frontend.ui"
summary = "A"
expected_time = "10m"
depends_on = ["nothing"]

[[task]]
id = "b"
phase = "work"
capability = "backend.server-action"
summary = "B"
expected_time = 5
assignee = "morgan"
attempted_by = "samm"
""",
    )
    joined = "\n".join(problems)
    assert len(problems) == 4, joined
    assert "s.toml:11: task[0].phase: unknown phase 'wrok'; did you mean 'work'?" in joined
    assert "s.toml:15: task[0].depends_on[0]: unknown task 'nothing'" in joined
    assert "task[1].capability: unknown capability 'backend.server-action'" in joined
    assert "did you mean 'backend.server-actions'?" in joined
    assert "task[1].attempted_by: unknown persona 'samm'" in joined


def test_cycle_is_named(tmp_path: Path) -> None:
    body = "".join(
        f'\n[[task]]\nid = "{t}"\nphase = "work"\ncapability = "frontend.ui"\nsummary = "x"\n'
        f'expected_time = 5\ndepends_on = ["{d}"]\n'
        for t, d in (("a", "c"), ("b", "a"), ("c", "b"))
    )
    (problem,) = _problems(tmp_path, body)
    assert problem == (
        f"{tmp_path / 's.toml'}:23: task[1].depends_on[0]: dependency cycle: task 'a' -> "
        "task 'b' (by task[1].depends_on[0]) -> task 'c' (by task[2].depends_on[0]) -> "
        "task 'a' (by task[0].depends_on[0]); each waits for the one before"
    )


def test_cycle_through_phases_is_named() -> None:
    with pytest.raises(InputError, match=r"dependency cycle: .*phase 'late' start"):
        plan_of(
            [
                {
                    "id": "early-task",
                    "capability": "frontend.ui",
                    "phase": "early",
                    "depends_on": ["late-task"],
                },
                {"id": "late-task", "capability": "qa.testing", "phase": "late"},
            ],
            phase=[{"id": "early", "title": "Early"}, {"id": "late", "title": "Late"}],
        )


def test_unknown_key_and_bad_duration_reported_with_lines(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '\n[[task]]\nid = "a"\nphase = "work"\ncapability = "frontend.ui"\nsummary = "x"\n'
        'expected_time = "soon"\nowner = "sam"\n',
    )
    joined = "\n".join(problems)
    assert "s.toml:14: task[0].expected_time: 'soon' is not a duration" in joined
    assert "s.toml:15: task[0].owner: unknown key 'owner'" in joined


def test_assignee_must_own_the_capability() -> None:
    with pytest.raises(InputError, match=r"'sam' does not own 'backend.server-actions'.*attempted_by"):
        plan_of([{"id": "a", "capability": "backend.server-actions", "assignee": "sam"}])


def test_empty_and_malformed_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty.toml: file is empty"):
        plan_file(empty)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ntitle = \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.toml:2: TOML syntax error"):
        plan_file(bad)


def test_unknown_cast_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEADER.replace('request = "r"', 'request = "r"\ncast = "nope"'), encoding="utf-8")
    path.write_text(
        path.read_text() + '\n[[task]]\nid = "a"\nphase = "work"\ncapability = "x"\nsummary = "s"\nexpected_time = 1\n'
    )
    with pytest.raises(InputError, match=r"s.toml:4: cast: unknown cast 'nope'"):
        plan_file(path)


def test_levels_critical_path_and_sequential_time() -> None:
    plan = plan_of(
        [
            {"id": "schema", "capability": "database.schema", "expected_time": 30},
            {"id": "design", "capability": "ux.design", "expected_time": 20},
            {"id": "queries", "capability": "backend.queries", "expected_time": 40, "depends_on": ["schema"]},
            {
                "id": "ui",
                "capability": "frontend.ui",
                "expected_time": 30,
                "depends_on": ["design", "queries"],
            },
        ]
    )
    ids = [[plan.tasks[i].id for i in level] for level in plan.levels]
    assert ids == [["schema", "design"], ["queries"], ["ui"]]
    assert [plan.tasks[i].id for i in plan.critical_path] == ["schema", "queries", "ui"]
    assert plan.critical_time == 100
    assert plan.sequential_time == 120


@pytest.mark.parametrize(
    ("text", "minutes"),
    [(45, 45), ("45", 45), ("45m", 45), ("2h", 120), ("1h30m", 90), ("1.5h", 90), ("90 minutes", 90)],
)
def test_durations(text: object, minutes: int) -> None:
    assert parse_minutes(text) == minutes


def test_shipped_stripe_scenario_plans() -> None:
    plan = plan_file(SCENARIOS / "stripe-subscription.toml")
    assert plan.sequential_time == 540
    assert len(plan.levels) >= 4


def test_second_checkin_after_the_same_phase_is_an_error() -> None:
    with pytest.raises(InputError, match=r"checkin\[1\].after: a second check-in after phase 'work'"):
        plan_of([{"id": "a", "capability": "frontend.ui"}], checkin=[{"after": "work"}, {"after": "work"}])


def test_decision_made_after_the_tasks_own_phase_is_a_cycle() -> None:
    decision = {
        "id": "lib",
        "question": "Which library?",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        "recommended": "a",
    }
    with pytest.raises(InputError) as info:
        plan_of(
            [{"id": "t", "capability": "frontend.ui", "only_if": "lib.a"}],
            checkin=[{"after": "work", "decision": decision}],
        )
    (problem,) = info.value.problems
    assert problem.field == "task[0].only_if"
    assert problem.message == (
        "dependency cycle: task 't' -> phase 'work' end (by task[0].phase) -> "
        "task 't' (by task[0].only_if -> checkin[0].after); each waits for the one before"
    )


def _cycle(tasks: list[dict[str, object]], phases: list[dict[str, object]], **extra: Any) -> tuple[str, str]:
    with pytest.raises(InputError) as info:
        plan_of(tasks, phase=phases, **extra)
    (problem,) = info.value.problems
    return problem.field, problem.message


def test_a_cycle_through_phase_after_names_each_after() -> None:
    field, message = _cycle(
        [
            {"id": "x", "capability": "frontend.ui", "phase": "a"},
            {"id": "y", "capability": "qa.testing", "phase": "b"},
        ],
        [{"id": "a", "title": "A", "after": ["b"]}, {"id": "b", "title": "B", "after": ["a"]}],
    )
    assert field == "phase[1].after[0]"
    assert message == (
        "dependency cycle: task 'x' -> phase 'a' end (by task[0].phase) -> phase 'b' start (by phase[1].after[0]) "
        "-> task 'y' (by task[1].phase) -> phase 'b' end (by task[1].phase) -> phase 'a' start "
        "(by phase[0].after[0]) -> task 'x' (by task[0].phase); each waits for the one before"
    )


def test_a_phase_gate_on_its_own_task_is_reported_at_the_gate() -> None:
    field, message = _cycle(
        [{"id": "x", "capability": "frontend.ui", "phase": "p"}],
        [{"id": "p", "title": "P", "gate": {"name": "G", "requires": ["x"]}}],
    )
    assert field == "phase[0].gate.requires[0]"
    assert "task 'x' -> phase 'p' start (by phase[0].gate.requires[0]) -> task 'x' (by task[0].phase)" in message


def test_a_sequential_phase_edge_is_named_by_its_mode() -> None:
    field, message = _cycle(
        [
            {"id": "a", "capability": "frontend.ui", "depends_on": ["b"]},
            {"id": "b", "capability": "qa.testing"},
        ],
        [{"id": "work", "title": "Work", "mode": "sequential"}],
    )
    assert field == "phase[0].mode"
    assert message.startswith(
        "dependency cycle: task 'a' -> task 'b' (by phase[0].mode = \"sequential\") -> "
        "task 'a' (by task[0].depends_on[0])"
    )


def test_the_default_phase_order_is_named_but_the_field_written_is_reported() -> None:
    field, message = _cycle(
        [
            {"id": "early", "capability": "frontend.ui", "phase": "p0", "depends_on": ["late"]},
            {"id": "late", "capability": "qa.testing", "phase": "p1"},
        ],
        [{"id": "p0", "title": "P0"}, {"id": "p1", "title": "P1"}],
    )
    assert field == "task[0].depends_on[0]"
    assert "phase 'p1' start (by phase[1].after: the phase declared before it, by default)" in message


def test_a_checkin_after_a_later_phase_names_the_checkin(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """
[[phase]]
id = "later"
title = "Later"

[[checkin]]
after = "later"

[checkin.decision]
id = "lib"
question = "Which library?"
options = [{ id = "a", label = "A" }, { id = "b", label = "B" }]
recommended = "a"

[[task]]
id = "t"
phase = "work"
capability = "frontend.ui"
summary = "x"
expected_time = 5
only_if = "lib.a"

[[task]]
id = "u"
phase = "later"
capability = "qa.testing"
summary = "y"
expected_time = 5
""",
    )
    assert problems == [
        f"{tmp_path / 's.toml'}:28: task[0].only_if: dependency cycle: task 't' -> phase 'work' end "
        "(by task[0].phase) -> phase 'later' start (by phase[1].after: the phase declared before it, by default) -> "
        "task 'u' (by task[1].phase) -> phase 'later' end (by task[1].phase) -> "
        "task 't' (by task[0].only_if -> checkin[0].after); each waits for the one before"
    ]


def test_boolean_is_not_a_duration() -> None:
    with pytest.raises(ValueError, match="true is not a duration"):
        parse_minutes(True)


@pytest.mark.parametrize(
    "value", ["45", "45m", "2h", "1h30m", "1.5h", "2 hours", "30 mins", "1H30M", " 5m ", 0, 10_000_000]
)
def test_a_duration_the_loader_accepts_the_schema_accepts(value: object) -> None:
    assert _schema_accepts(value)
    TypeAdapter(Minutes).validate_python(value, strict=True)


@pytest.mark.parametrize("value", ["", "45mx", "3 months", "1h30m0s", "soon", "-5", -5, 10_000_001])
def test_a_duration_the_schema_accepts_the_loader_accepts(value: object) -> None:
    """The published schema is what editors check files with: it must refuse what the loader refuses."""
    assert not _schema_accepts(value)
    with pytest.raises(ValidationError):
        TypeAdapter(Minutes).validate_python(value, strict=True)


def _schema_accepts(value: object) -> bool:
    import jsonschema

    task = schema("scenario")["$defs"]["Task"]["properties"]["expected_time"]
    return jsonschema.Draft202012Validator(task).is_valid(value)
