"""The prompts of a live run: a persona's system prompt from its file, a task prompt per activity.

Both are rendered from the editable templates of ``handoffs/``
(``system-prompt``, ``planning-task``, ``implementation-task``,
``review-task``), so a team words them as it words its handoffs. A task prompt
carries the deliverables of the tasks it depends on; a report block inside a
deliverable is passed on as headed sections, without its markers, so the only
``=== ORCHESTRATOR REPORT ===`` block in a prompt is the one to fill in.
"""

from __future__ import annotations

from collections.abc import Mapping

from rolecall.backends.base import Activity
from rolecall.handoffs import TemplateLibrary
from rolecall.handoffs.report_block import BEGIN, END, REPORT_SECTIONS, parse_report
from rolecall.orchestrator.plan import Plan
from rolecall.orchestrator.scenario import Task
from rolecall.roles import Cast

__all__ = ["report_kind", "system_prompt", "task_prompt"]


def system_prompt(cast: Cast, persona_id: str, templates: TemplateLibrary) -> str:
    persona = cast.persona(persona_id)
    orchestrator = cast.orchestrator
    owns = [f"{o.capability}: {o.phrase or _described(cast, o.capability)}" for o in persona.owns]
    never = [
        f"{n.phrase or _described(cast, n.capability)} ({n.capability}): hand it to {_who(cast, n.hand_to)}"
        for n in persona.never
    ]
    receivers = ", ".join(_who(cast, h) for h in persona.hands_to)
    hands_to = f"your deliverable goes on to {receivers}" if receivers else "decides where your deliverable goes next"
    values = {
        "name": persona.name,
        "title": persona.title,
        "handle": persona.handle,
        "orchestrator": _who(cast, orchestrator.id),
        "role": persona.prose.role,
        "identity": persona.prose.identity,
        "principles": list(persona.prose.principles),
        "owns": owns,
        "never": never,
        "hands_to": hands_to,
    }
    return templates.for_speaker("system-prompt", orchestrator.id).render(values) + "\n"


def report_kind(task: Task) -> str:
    """The report a task's answer must end with: the one its scenario states, else an implementation report."""
    return task.report.kind if task.report is not None else "implementation"


def task_prompt(
    plan: Plan,
    activity: Activity,
    templates: TemplateLibrary,
    deliverables: Mapping[int, str],
    feedback: str = "",
) -> str:
    """The prompt of one activity. ``deliverables``: what each finished task delivered, by plan index."""
    cast = plan.cast
    task = plan.tasks[activity.task]
    orchestrator = cast.orchestrator.id
    if activity.activity == "review":
        review = task.review
        assert review is not None
        values: dict[str, str | int | list[str]] = {
            "task": task.id,
            "summary": task.summary,
            "persona": _who(cast, activity.persona),
            "author": _who(cast, plan.performer[activity.task]),
            "round": activity.attempt,
            "max_rounds": review.max_rounds,
            "deliverable": _passed_on(deliverables.get(activity.task, "")) or "(nothing was delivered)",
            "orchestrator": _who(cast, orchestrator),
        }
        return templates.for_speaker("review-task", orchestrator).render(values) + "\n"
    kind = report_kind(task)
    context = [
        f"{plan.tasks[p].id} ({_who(cast, plan.performer[p])}):\n{_passed_on(deliverables[p])}"
        for p in plan.task_preds[activity.task]
        if deliverables.get(p)
    ]
    values = {
        "task": task.id,
        "phase": task.phase,
        "persona": _who(cast, activity.persona),
        "capability": task.capability,
        "summary": task.summary,
        "subtasks": list(task.subtasks),
        "context": context or ["(none: this task starts from the request)"],
        "files": list(task.files),
        "feedback": f"The reviewer asked for changes:\n{feedback.strip()}" if feedback.strip() else "",
        "report": _skeleton(kind),
        "orchestrator": _who(cast, orchestrator),
        "attempt": activity.attempt,
    }
    name = "planning-task" if kind == "planning" else "implementation-task"
    return templates.for_speaker(name, orchestrator).render(values) + "\n"


def _skeleton(kind: str) -> str:
    sections = "\n\n".join(f"## {name}\n..." for name in REPORT_SECTIONS[kind])
    return f"{BEGIN}\n{sections}\n{END}"


def _passed_on(deliverable: str) -> str:
    """A deliverable as context: a report block becomes headed sections, without the markers."""
    report = parse_report(deliverable)
    if not report.found:
        return deliverable.strip()
    before = deliverable[: deliverable.find(BEGIN)].strip()
    body = "\n\n".join(f"### {name}\n{text.strip()}" for name, text in report.sections.items())
    return f"{before}\n\n{body}".strip() if before else body


def _who(cast: Cast, persona_id: str) -> str:
    persona = cast.get(persona_id)
    return f"{persona.name} ({persona.handle})" if persona is not None else persona_id


def _described(cast: Cast, capability_id: str) -> str:
    capability = cast.capability(capability_id)
    return capability.description if capability is not None else capability_id
