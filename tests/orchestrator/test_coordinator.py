from __future__ import annotations

from pathlib import Path

from rolecall import events as ev
from rolecall.events import Event, dump_events
from rolecall.orchestrator import Coordinator, plan_file
from tests.conftest import SCENARIOS, Cli
from tests.orchestrator.helpers import kinds, run, run_finished, spans


def stripe_events() -> list[Event]:
    return Coordinator(plan_file(SCENARIOS / "stripe-subscription.toml")).events()


def test_stripe_gate_comes_first_and_says_go() -> None:
    events = stripe_events()
    assert events[0].kind == "run_started"
    gate_end = next(i for i, e in enumerate(events) if e.kind == "gate_verdict")
    assert all(e.kind == "gate_checked" for e in events[1:gate_end])
    verdict = events[gate_end]
    assert isinstance(verdict, ev.GateVerdict)
    assert verdict.verdict == "GO"
    assert all(e.kind not in ("task_started", "task_assigned") for e in events[:gate_end])


def test_stripe_design_tasks_overlap_in_virtual_time() -> None:
    s = spans(stripe_events())
    design = [
        "design-stripe",
        "payment-security-requirements",
        "design-subscription-schema",
        "design-pricing-ui",
    ]
    latest_start = max(s[t][0] for t in design)
    earliest_end = min(s[t][1] for t in design)
    assert latest_start < earliest_end
    assert len({s[t][2] for t in design}) == 4


def test_stripe_morgan_never_works_on_two_tasks_at_once() -> None:
    s = spans(stripe_events())
    morgan = sorted((start, end) for start, end, who in s.values() if who == "morgan")
    assert len(morgan) == 2
    assert morgan[0][1] <= morgan[1][0]


def test_stripe_deployment_waits_for_qa_and_security() -> None:
    events = stripe_events()
    s = spans(events)
    deploy_start = s["configure-webhook-endpoint"][0]
    assert deploy_start >= s["test-subscriptions"][1]
    assert deploy_start >= s["audit-payments"][1]
    gate = next(e for e in events if e.kind == "phase_gate")
    assert gate.requires == ("test-subscriptions", "audit-payments")


def test_stripe_batches_taylors_deliverable_for_morgans_two_tasks() -> None:
    handoffs = kinds(stripe_events(), ev.Handoff)
    to_morgan = [h for h in handoffs if h.from_persona == "taylor" and h.to_persona == "morgan"]
    assert len(to_morgan) == 1
    assert to_morgan[0].feeds == ("webhook-handlers", "checkout-action")


def test_replay_is_deterministic() -> None:
    assert dump_events(stripe_events()) == dump_events(stripe_events())


def test_boundary_violation_is_redirected_to_the_owner() -> None:
    events = run(
        [
            {"id": "create-user-action", "capability": "backend.server-actions", "attempted_by": "sam"},
            {"id": "user-form", "capability": "frontend.ui"},
        ]
    )
    violation = kinds(events, ev.Violation)[0]
    redirect = kinds(events, ev.Redirect)[0]
    assert (violation.persona, violation.task) == ("sam", "create-user-action")
    assert (redirect.actor, redirect.from_persona, redirect.to_persona) == ("kai", "sam", "morgan")
    assert "Business logic implementation" in redirect.reasons
    assert "Build the UI that will call this Server Action" in redirect.instead
    assert spans(events)["create-user-action"][2] == "morgan"
    # Sam carries on with its own work at the same moment
    assert spans(events)["user-form"][0] == spans(events)["create-user-action"][0]


def test_unenforced_boundaries_let_the_violator_do_the_work() -> None:
    events = run(
        [{"id": "action", "capability": "backend.server-actions", "attempted_by": "sam"}],
        enforce_boundaries=False,
    )
    assert not kinds(events, ev.Violation) and not kinds(events, ev.Redirect)
    assert kinds(events, ev.TaskAssigned)[0].reason == "unenforced"
    assert spans(events)["action"][2] == "sam"


def test_missing_requirement_blocks_at_the_gate() -> None:
    events = run(
        [
            {"id": "a", "capability": "frontend.ui"},
            {"id": "b", "capability": "qa.testing", "depends_on": ["a"]},
        ],
        gate={
            "requires": [
                {"kind": "env-var", "name": "STRIPE_SECRET_KEY"},
                {"kind": "database", "name": "PostgreSQL"},
            ]
        },
        environment={"databases": ["PostgreSQL"]},
    )
    verdict = kinds(events, ev.GateVerdict)[0]
    assert verdict.verdict == "NO-GO"
    assert verdict.missing == ("STRIPE_SECRET_KEY (env-var)",)
    final = run_finished(events)
    assert final.outcome == "blocked_at_gate"
    assert "STRIPE_SECRET_KEY" in final.reason
    assert not kinds(events, ev.TaskStarted)
    unreached = kinds(events, ev.TaskUnreached)
    assert [u.task for u in unreached] == ["a", "b"]
    assert all("NO-GO" in u.reason for u in unreached)


def test_retry_then_fallback_then_escalation() -> None:
    events = run([{"id": "impl", "capability": "code.implement", "fails": 4}], cast="model-tiers")
    failed = kinds(events, ev.TaskFailed)
    assert [(f.persona, f.next) for f in failed] == [
        ("implementer", "retry"),
        ("implementer", "fallback"),
        ("local", "retry"),
        ("local", "escalate"),
    ]
    escalation = kinds(events, ev.Escalation)[0]
    assert escalation.to_persona == "orchestrator"
    assert spans(events)["impl"][2] == "orchestrator"
    assert run_finished(events).outcome == "completed"


def test_exhausted_chain_fails_the_task_and_its_dependents_are_unreached() -> None:
    events = run(
        [
            {"id": "impl", "capability": "code.implement", "fails": 99},
            {"id": "review", "capability": "review.evaluate", "depends_on": ["impl"]},
        ],
        cast="model-tiers",
    )
    assert kinds(events, ev.TaskFailed)[-1].next == "give_up"
    unreached = kinds(events, ev.TaskUnreached)
    assert unreached[0].task == "review" and "failed task 'impl'" in unreached[0].reason
    assert run_finished(events).outcome == "failed"


def test_review_loop_runs_until_approved() -> None:
    events = run(
        [
            {
                "id": "refactor",
                "capability": "code.implement",
                "review": {"reviewer": "evaluator", "verdicts": ["changes-requested", "approved"]},
            }
        ],
        cast="model-tiers",
    )
    rounds = kinds(events, ev.ReviewRound)
    assert [(r.round, r.verdict) for r in rounds] == [(1, "changes-requested"), (2, "approved")]
    started = [(e.persona, e.activity) for e in kinds(events, ev.TaskStarted)]
    assert started == [
        ("implementer", "work"),
        ("evaluator", "review"),
        ("implementer", "rework"),
        ("evaluator", "review"),
    ]
    assert run_finished(events).outcome == "completed"


def test_review_loop_exhausted_escalates_and_fails() -> None:
    events = run(
        [
            {
                "id": "refactor",
                "capability": "code.implement",
                "review": {"reviewer": "evaluator", "verdicts": ["changes-requested"] * 2, "max_rounds": 2},
            }
        ],
        cast="model-tiers",
    )
    assert kinds(events, ev.Escalation)[0].reason.startswith("review loop exhausted")
    assert run_finished(events).outcome == "failed"


def _decision_run(approved: bool, on_reject: str = "stop") -> list[Event]:
    return run(
        [
            {"id": "design", "capability": "backend.architecture", "phase": "design"},
            {
                "id": "socketio",
                "capability": "backend.implementation",
                "phase": "build",
                "only_if": "ws.socketio",
            },
            {
                "id": "native",
                "capability": "backend.implementation",
                "phase": "build",
                "only_if": "ws.native",
            },
        ],
        cast="feature-crew",
        phase=[{"id": "design", "title": "Design"}, {"id": "build", "title": "Build"}],
        checkin=[
            {
                "after": "design",
                "decision": {
                    "id": "ws",
                    "question": "WebSocket library choice",
                    "options": [
                        {"id": "socketio", "label": "Socket.io"},
                        {"id": "native", "label": "Native"},
                    ],
                    "recommended": "socketio",
                    "approved": approved,
                    "on_reject": on_reject,
                },
            }
        ],
    )


def test_approved_decision_runs_the_recommended_branch() -> None:
    events = _decision_run(approved=True)
    checkin = kinds(events, ev.CheckInHeld)[0]
    assert (checkin.phase_index, checkin.tasks_done, checkin.tasks_total) == (1, 1, 3)
    assert kinds(events, ev.DecisionMade)[0].outcome == "continue"
    assert "socketio" in spans(events)
    assert [s.task for s in kinds(events, ev.TaskSkipped)] == ["native"]


def test_rejected_decision_reroutes_or_stops() -> None:
    rerouted = _decision_run(approved=False, on_reject="native")
    assert kinds(rerouted, ev.DecisionMade)[0].outcome == "reroute"
    assert "native" in spans(rerouted) and "socketio" not in spans(rerouted)
    stopped = _decision_run(approved=False)
    assert run_finished(stopped).outcome == "stopped_at_decision"
    assert "WebSocket library choice" in run_finished(stopped).reason
    assert {u.task for u in kinds(stopped, ev.TaskUnreached)} == {"socketio", "native"}


def test_sequential_mode_runs_one_task_at_a_time() -> None:
    tasks = [{"id": f"t{i}", "capability": c} for i, c in enumerate(["frontend.ui", "qa.testing", "database.schema"])]
    parallel = run(tasks)
    sequential = run(tasks, mode="sequential")
    assert run_finished(parallel).makespan == 10
    assert run_finished(sequential).makespan == 30
    s = spans(sequential)
    assert [s[f"t{i}"][0] for i in range(3)] == [0, 10, 20]


def test_sequential_phase_orders_its_tasks() -> None:
    events = run(
        [{"id": "a", "capability": "frontend.ui"}, {"id": "b", "capability": "qa.testing"}],
        phase=[{"id": "work", "title": "Work", "mode": "sequential"}],
    )
    s = spans(events)
    assert s["b"][0] == s["a"][1]


def test_stream_phase_runs_alongside_and_blocks_only_at_its_gate() -> None:
    events = run(
        [
            {"id": "build", "capability": "frontend.ui", "phase": "build", "expected_time": 30},
            {"id": "tests", "capability": "qa.testing", "phase": "qa", "expected_time": 50},
            {"id": "ship", "capability": "devops.deploy", "phase": "deploy"},
        ],
        phase=[
            {"id": "build", "title": "Build"},
            {"id": "qa", "title": "QA", "stream": True},
            {"id": "deploy", "title": "Deploy", "gate": {"name": "Deployment gate", "requires": ["tests"]}},
        ],
    )
    s = spans(events)
    assert s["tests"][0] == s["build"][0] == 0
    assert s["ship"][0] == 50


def test_events_file_written_by_replay_is_identical_twice(tmp_path: Path, cli: Cli) -> None:
    for out in ("one", "two"):
        assert cli("replay", SCENARIOS / "stripe-subscription.toml", "-o", tmp_path / out).code == 0
    first = (tmp_path / "one" / "events.jsonl").read_bytes()
    assert first == (tmp_path / "two" / "events.jsonl").read_bytes()


def test_sequential_time_counts_the_work_actually_done() -> None:
    events = run([{"id": "impl", "capability": "code.implement", "fails": 1}], cast="model-tiers")
    final = run_finished(events)
    assert final.sequential_time == 20  # two 10-minute attempts
    assert final.makespan == 20


def test_attempt_by_an_owner_is_no_violation() -> None:
    events = run([{"id": "ui", "capability": "frontend.ui", "attempted_by": "sam"}])
    assert not kinds(events, ev.Violation)
    assert spans(events)["ui"][2] == "sam"
