"""The message templates rolecall renders, and the placeholders each one offers."""

from __future__ import annotations

__all__ = ["SPEAKER", "TEMPLATES"]

_HANDOFF = {"sender", "sender_handle", "sender_title", "recipient", "recipient_handle", "recipient_title"}

_TASK = {
    "task",
    "phase",
    "persona",
    "capability",
    "summary",
    "subtasks",
    "context",
    "files",
    "feedback",
    "report",
    "orchestrator",
    "attempt",
}

TEMPLATES: dict[str, frozenset[str]] = {
    # A finished deliverable travels to the persona whose task it feeds.
    "clean-handoff": frozenset(_HANDOFF | {"task", "deliverables", "next"}),
    # Work that needs another persona's expertise (after a redirect).
    "context-handoff": frozenset(_HANDOFF | {"task", "requirements", "context", "continues_with"}),
    # The orchestrator stops a persona working outside its role.
    "redirect": frozenset(
        {
            "orchestrator",
            "violator",
            "violator_handle",
            "specialist",
            "specialist_title",
            "specialist_handle",
            "task",
            "capability",
            "reasons",
            "instead",
            "subtasks",
        }
    ),
    # The verifier's prerequisites report and verdict.
    "gate-report": frozenset({"verifier", "verifier_handle", "checks", "verdict", "missing", "next_phase"}),
    "phase-start": frozenset({"orchestrator", "phase", "title", "mode", "count", "team", "agents"}),
    # A stream starts: it runs alongside the phases, so it is announced apart from them.
    "stream-start": frozenset({"orchestrator", "phase", "title", "mode", "count", "team", "agents"}),
    "phase-finish": frozenset({"orchestrator", "phase", "title", "finished", "failed", "skipped", "duration"}),
    "checkin": frozenset(
        {
            "orchestrator",
            "title",
            "completed",
            "in_progress",
            "upcoming",
            "blockers",
            "phase_index",
            "phases_total",
            "tasks_done",
            "tasks_total",
            "percent",
            "elapsed",
        }
    ),
    # ``approval``: who approved (the user, as scripted) and what the orchestrator does next.
    "decision": frozenset({"question", "options", "recommendation", "answer", "approval", "outcome"}),
    # Live runs: the persona's system prompt, built from its file.
    "system-prompt": frozenset(
        {"name", "title", "handle", "orchestrator", "role", "identity", "principles", "owns", "never", "hands_to"}
    ),
    # Live runs: the task prompt an agent receives (seed 000's PLANNING TASK and IMPLEMENTATION TASK).
    "planning-task": frozenset(_TASK),
    "implementation-task": frozenset(_TASK),
    # Live runs: a reviewer's prompt; the answer starts with APPROVED or CHANGES REQUESTED.
    "review-task": frozenset(
        {"task", "summary", "persona", "author", "round", "max_rounds", "deliverable", "orchestrator"}
    ),
    "run-summary": frozenset(
        {
            "orchestrator",
            "title",
            "outcome",
            "reason",
            # ``result`` and ``figures`` are whole sentences (a blocked run words them differently);
            # the figures' names and meanings are those of rolecall.figures.
            "result",
            "figures",
            "planned_work",
            "work_done",
            "critical_path",
            "makespan",
            "sequential",
            "speedup",
            "faster",
            "finished",
            "failed",
            "tasks",
            "handoffs",
            "redirects",
            "personas",
        }
    ),
}

SPEAKER: dict[str, str] = {
    "clean-handoff": "sender",
    "context-handoff": "sender",
    "redirect": "orchestrator",
    "gate-report": "verifier",
    "phase-start": "orchestrator",
    "stream-start": "orchestrator",
    "phase-finish": "orchestrator",
    "checkin": "orchestrator",
    "decision": "orchestrator",
    "run-summary": "orchestrator",
    "system-prompt": "orchestrator",
    "planning-task": "orchestrator",
    "implementation-task": "orchestrator",
    "review-task": "orchestrator",
}
"""Whose voice each template is; that persona's own phrasing overrides the folder's."""
