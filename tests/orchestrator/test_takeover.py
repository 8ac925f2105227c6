"""Who takes over a failing task: never a persona whose `never` list covers its capability."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecall import events as ev
from rolecall.events import Event
from rolecall.orchestrator import Coordinator, build_plan
from rolecall.roles import Cast, load_cast
from tests.orchestrator.helpers import kinds, persona_file, run, run_finished, scenario, spans, write_cast


def test_escalation_to_an_orchestrator_that_never_does_the_work_is_declined() -> None:
    events = run(
        [
            {"id": "ui", "capability": "frontend.ui", "fails": 2},
            {"id": "tests", "capability": "qa.testing", "depends_on": ["ui"]},
        ]
    )
    failed = kinds(events, ev.TaskFailed)
    assert [(f.persona, f.next) for f in failed] == [("sam", "retry"), ("sam", "escalate")]
    (escalation,) = kinds(events, ev.Escalation)
    assert (escalation.from_persona, escalation.to_persona) == ("sam", "kai")
    assert escalation.reason == (
        "sam and its fallback chain could not complete the task; 'frontend.ui' is never kai's job, "
        "so kai does not take it over and the task fails"
    )
    assert not [e for e in kinds(events, ev.TaskStarted) if e.persona == "kai"]
    assert [a.reason for a in kinds(events, ev.TaskAssigned) if a.task == "ui"] == ["routed"]
    final = run_finished(events)
    assert (final.outcome, final.failed, final.unreached) == ("failed", 1, 1)
    assert kinds(events, ev.TaskUnreached)[0].reason == "depends on failed task 'ui'"


def test_unenforced_boundaries_let_the_orchestrator_take_it_over() -> None:
    events = run([{"id": "ui", "capability": "frontend.ui", "fails": 2}], enforce_boundaries=False)
    assert kinds(events, ev.TaskAssigned)[-1].reason == "escalation"
    assert spans(events)["ui"][2] == "kai"


def test_an_orchestrator_that_neither_owns_nor_refuses_the_work_still_takes_it_over() -> None:
    events = run([{"id": "impl", "capability": "code.implement", "fails": 4}], cast="model-tiers")
    assert spans(events)["impl"][2] == "orchestrator"
    assert kinds(events, ev.Escalation)[0].reason == "local and its fallback chain could not complete the task"


def _crew(tmp_path: Path, fallback: tuple[str, ...], lead_never: bool = False) -> Cast:
    """A valid cast, then Bao's fallback chain replaced: the loader refuses forbidden chains."""
    never = {"scheduling.plan": "bao"}
    cast = load_cast(
        write_cast(
            tmp_path / "crew",
            [
                persona_file(
                    "lead",
                    owns=("orchestration.coordinate",),
                    never=never if lead_never else None,
                    kind="orchestrator",
                ),
                persona_file("bao", owns=("scheduling.plan",)),
                persona_file("priya", owns=("frontend.ui",), never=never),
                persona_file("dana", owns=("frontend.ui",), never=never),
                persona_file("carol", owns=("code.review",)),
            ],
        )
    )
    personas = tuple(p.model_copy(update={"fallback": fallback}) if p.id == "bao" else p for p in cast.personas)
    return Cast(manifest=cast.manifest, personas=personas, source=cast.source)


def _run_crew(cast: Cast, fails: int) -> list[Event]:
    data = scenario([{"id": "roster", "capability": "scheduling.plan", "fails": fails}])
    return Coordinator(build_plan(data, cast)).events()


def test_a_forbidden_fallback_is_passed_over_for_the_next_in_the_chain(tmp_path: Path) -> None:
    events = _run_crew(_crew(tmp_path, ("priya", "dana", "carol")), fails=2)
    failed = kinds(events, ev.TaskFailed)
    assert [(f.persona, f.next) for f in failed] == [("bao", "retry"), ("bao", "fallback")]
    assert failed[-1].reason == (
        "attempt 2 failed; priya and dana may not take it over: 'scheduling.plan' is never their job"
    )
    assert [(a.persona, a.reason) for a in kinds(events, ev.TaskAssigned)] == [
        ("bao", "routed"),
        ("carol", "fallback"),
    ]
    assert spans(events)["roster"][2] == "carol"


def test_a_chain_of_forbidden_fallbacks_escalates(tmp_path: Path) -> None:
    events = _run_crew(_crew(tmp_path, ("priya",)), fails=2)
    failed = kinds(events, ev.TaskFailed)[-1]
    assert (failed.next, failed.reason) == (
        "escalate",
        "attempt 2 failed; priya may not take it over: 'scheduling.plan' is never its job",
    )
    assert spans(events)["roster"][2] == "lead"


def test_nobody_left_who_may_do_the_work_fails_the_task(tmp_path: Path) -> None:
    events = _run_crew(_crew(tmp_path, ("carol", "priya"), lead_never=True), fails=9)
    failed = kinds(events, ev.TaskFailed)
    assert [(f.persona, f.next) for f in failed] == [
        ("bao", "retry"),
        ("bao", "fallback"),
        ("carol", "retry"),
        ("carol", "escalate"),
    ]
    assert "priya may not take it over" in failed[-1].reason
    assert "'scheduling.plan' is never lead's job" in kinds(events, ev.Escalation)[0].reason
    assert run_finished(events).outcome == "failed"


@pytest.mark.parametrize("enforce", [True, False])
def test_the_forbidden_fallback_works_only_when_boundaries_are_not_enforced(tmp_path: Path, enforce: bool) -> None:
    data = scenario(
        [{"id": "roster", "capability": "scheduling.plan", "fails": 2}],
        enforce_boundaries=enforce,
    )
    events = Coordinator(build_plan(data, _crew(tmp_path, ("priya",)))).events()
    assert spans(events)["roster"][2] == ("lead" if enforce else "priya")


def test_an_unreached_task_names_why_it_waited_its_dependency_its_place_or_its_phase() -> None:
    events = run(
        [
            {"id": "ui", "capability": "frontend.ui", "fails": 9},
            {"id": "copy", "capability": "frontend.ui"},
            {"id": "api", "capability": "backend.server-actions", "phase": "later"},
        ],
        phase=[{"id": "work", "title": "Work", "mode": "sequential"}, {"id": "later", "title": "Later"}],
    )
    reasons = {u.task: u.reason for u in kinds(events, ev.TaskUnreached)}
    assert reasons == {
        "copy": "comes after (in sequential phase 'work') failed task 'ui'",  # no depends_on: its place
        "api": "phase 'later' never started: phase 'work' had failures",  # the phase, not a task in it
    }
