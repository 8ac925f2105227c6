"""Reference checks of a scenario against its cast: every problem, with its field path.

Besides names that must exist, a scenario may not ask the cast for something
its own files rule out: a review by the task's author, or by a persona that
owns no review capability of a cast that declares some.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from rolecall.errors import Problem
from rolecall.orchestrator.scenario import Scenario, Task
from rolecall.roles.cast import Cast

__all__ = ["Author", "check_references", "is_review_capability"]

Report = Callable[[str, str], None]

Author = tuple[str, str]
"""Who submits a task's work for review, and how it got the task: ``""`` (planned),
``"fallback"`` or ``"escalate"`` (after the scripted failures)."""


def is_review_capability(capability: str) -> bool:
    """``security.review``, ``review.code``: a capability with a ``review`` segment is reviewing work."""
    return "review" in capability.split(".")


class _Hints:
    """Did-you-mean hints, bounded: each costs a fuzzy match against every known id.

    A scenario with thousands of dangling references would make that quadratic,
    so only the first :data:`FUZZY_LIMIT` distinct names get a fuzzy match; the
    rest get the plain list of known ids, which is enough to fix a systematic error.
    """

    FUZZY_LIMIT = 20
    CANDIDATES = 1000

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], str] = {}

    def __call__(self, name: str, known: list[str]) -> str:
        key = (name, id(known))
        if key in self._cache:
            return self._cache[key]
        close: list[str] = []
        if len(self._cache) < self.FUZZY_LIMIT:
            close = difflib.get_close_matches(name, self._candidates(name, known), n=1)
        if close:
            hint = f"; did you mean '{close[0]}'?"
        else:
            shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            hint = f"; known: {shown}" if known else ""
        self._cache[key] = hint
        return hint

    def _candidates(self, name: str, known: list[str]) -> list[str]:
        """Known ids of about the same length and first letter; at most CANDIDATES of them."""
        near = [k for k in known if abs(len(k) - len(name)) <= 3 and k[:1] == name[:1]]
        return near[: self.CANDIDATES] or known[: self.CANDIDATES]


def check_references(
    scenario: Scenario,
    cast: Cast,
    problem: Callable[[str, str], Problem],
    author_of: Callable[[Task], Author | None],
) -> list[Problem]:
    """Check ids, references and boundaries; ``problem(message, field)`` locates each one.

    ``author_of`` tells who would submit a task's work for review; it is asked
    only about tasks whose capability, assignee and attempt are known.
    """
    out: list[Problem] = []
    _hint = _Hints()

    def report(message: str, field: str) -> None:
        out.append(problem(message, field))

    personas = [p.id for p in cast.personas]
    phases = [p.id for p in scenario.phase]
    tasks = [t.id for t in scenario.task]
    phase_set, task_set = set(phases), set(tasks)

    def persona_ref(pid: str | None, field: str) -> bool:
        if pid is None:
            return False
        if pid not in cast:
            report(f"unknown persona '{pid}' in cast '{cast.name}'{_hint(pid, personas)}", field)
            return False
        return True

    _duplicates(phases, "phase", "phase[{}].id", report)
    _duplicates(tasks, "task", "task[{}].id", report)
    if scenario.gate is not None:
        persona_ref(scenario.gate.verifier, "gate.verifier")
        if scenario.gate.verifier is None and cast.verifier is None and scenario.gate.requires:
            report(f"cast '{cast.name}' has no verifier; name one with gate.verifier", "gate")
    for i, phase in enumerate(scenario.phase):
        for j, after in enumerate(phase.after or ()):
            if after not in phase_set:
                report(f"unknown phase '{after}'{_hint(after, phases)}", f"phase[{i}].after[{j}]")
            elif after == phase.id:
                report("a phase cannot come after itself", f"phase[{i}].after[{j}]")
        if phase.gate is not None:
            for j, req in enumerate(phase.gate.requires):
                if req not in task_set:
                    report(f"unknown task '{req}'{_hint(req, tasks)}", f"phase[{i}].gate.requires[{j}]")
    decisions = {c.decision.id: c.decision for c in scenario.checkin if c.decision is not None}
    reviewers = _reviewers(cast)
    for i, task in enumerate(scenario.task):
        where = f"task[{i}]"
        if task.phase not in phase_set:
            report(f"unknown phase '{task.phase}'{_hint(task.phase, phases)}", f"{where}.phase")
        capability = cast.capability(task.capability)
        if capability is None:
            known = [c.id for c in cast.capabilities]
            report(
                f"unknown capability '{task.capability}' in cast '{cast.name}'" + _hint(task.capability, known),
                f"{where}.capability",
            )
        elif not cast.owners_of(task.capability):
            report(
                f"capability '{task.capability}' is owned by no persona of cast '{cast.name}'",
                f"{where}.capability",
            )
        listed: set[str] = set()
        for j, dep in enumerate(task.depends_on):
            if dep not in task_set:
                report(f"unknown task '{dep}'{_hint(dep, tasks)}", f"{where}.depends_on[{j}]")
            elif dep == task.id:
                report("a task cannot depend on itself", f"{where}.depends_on[{j}]")
            elif dep in listed:
                report(f"'{dep}' is listed twice", f"{where}.depends_on[{j}]")
            listed.add(dep)
        if (
            persona_ref(task.assignee, f"{where}.assignee")
            and capability
            and task.assignee is not None
            and not cast.owns(task.assignee, task.capability)
        ):
            owners = ", ".join(p.id for p in cast.owners_of(task.capability)) or "nobody"
            report(
                f"'{task.assignee}' does not own '{task.capability}' (owners: {owners}); "
                "use attempted_by to stage a boundary violation",
                f"{where}.assignee",
            )
        assignee_ok = task.assignee is None or (task.assignee in cast and cast.owns(task.assignee, task.capability))
        attempt_ok = task.attempted_by is None or persona_ref(task.attempted_by, f"{where}.attempted_by")
        if (
            task.review is not None
            and persona_ref(task.review.reviewer, f"{where}.review.reviewer")
            and capability is not None
            and cast.owners_of(task.capability)
            and assignee_ok
            and attempt_ok
        ):
            _check_reviewer(task, where, author_of(task), cast, reviewers, report)
        if task.only_if is not None:
            decision_id, option = task.only_if.split(".", 1)
            decision = decisions.get(decision_id)
            if decision is None:
                report(
                    f"unknown decision '{decision_id}'{_hint(decision_id, sorted(decisions))}",
                    f"{where}.only_if",
                )
            elif option not in {o.id for o in decision.options}:
                report(f"decision '{decision_id}' has no option '{option}'", f"{where}.only_if")
    for i, checkin in enumerate(scenario.checkin):
        if checkin.after not in phase_set:
            report(
                f"unknown phase '{checkin.after}'{_hint(checkin.after, phases)}",
                f"checkin[{i}].after",
            )
        decision = checkin.decision
        if decision is None:
            continue
        options = [o.id for o in decision.options]
        _duplicates(options, "option", f"checkin[{i}].decision.options[{{}}].id", report)
        if decision.recommended not in options:
            report(
                f"'{decision.recommended}' is not one of the options: {', '.join(options)}",
                f"checkin[{i}].decision.recommended",
            )
        if decision.on_reject != "stop" and decision.on_reject not in options:
            report(
                f"on_reject must be 'stop' or an option id ({', '.join(options)})",
                f"checkin[{i}].decision.on_reject",
            )
    first_decision: dict[str, int] = {}
    for i, checkin in enumerate(scenario.checkin):
        if checkin.decision is None:
            continue
        known_at = first_decision.setdefault(checkin.decision.id, i)
        if known_at != i:
            report(
                f"decision id '{checkin.decision.id}' is already declared at checkin[{known_at}].decision.id",
                f"checkin[{i}].decision.id",
            )
    seen_after: set[str] = set()
    for i, checkin in enumerate(scenario.checkin):
        if checkin.after in seen_after:
            report(f"a second check-in after phase '{checkin.after}'; merge them into one", f"checkin[{i}].after")
        seen_after.add(checkin.after)
    return out


def _reviewers(cast: Cast) -> dict[str, list[str]]:
    """Each persona owning a review capability, in cast order, with those capabilities."""
    out: dict[str, list[str]] = {}
    for capability in cast.capabilities:
        if is_review_capability(capability.id):
            for owner in cast.owners_of(capability.id):
                out.setdefault(owner.id, []).append(capability.id)
    return {p.id: out[p.id] for p in cast.personas if p.id in out}


def _check_reviewer(
    task: Task,
    where: str,
    author: Author | None,
    cast: Cast,
    reviewers: dict[str, list[str]],
    report: Report,
) -> None:
    """A review is a second pair of eyes, by someone whose job reviewing is."""
    assert task.review is not None
    reviewer = task.review.reviewer
    field = f"{where}.review.reviewer"
    if author is not None and author[0] == reviewer:
        how = ""
        if author[1]:
            moves = "falls back to" if author[1] == "fallback" else "escalates to"
            how = f": after {task.fails} failed attempts it {moves} {reviewer}, who submits it"
        others = {p: caps for p, caps in reviewers.items() if p != reviewer}
        if others:
            hint = f"reviewers: {_listed(others)}"
        elif reviewers:
            hint = f"no other persona of cast '{cast.name}' owns a review capability"
        else:
            hint = "any other persona of the cast may review it"
        report(f"'{reviewer}' would review its own work on task '{task.id}'{how}; {hint}", field)
        return
    if not reviewers or reviewer in reviewers:
        return
    refused = next((n for n in cast.persona(reviewer).never if is_review_capability(n.capability)), None)
    if refused is not None:
        cap, to = refused.capability, refused.hand_to
        report(f"'{reviewer}' may not review: '{cap}' is never its job (it hands that to {to})", field)
    else:
        report(f"'{reviewer}' owns no review capability of cast '{cast.name}'; reviewers: {_listed(reviewers)}", field)


def _listed(reviewers: dict[str, list[str]]) -> str:
    return ", ".join(f"{p} ({', '.join(caps)})" for p, caps in reviewers.items())


def _duplicates(ids: list[str], what: str, field: str, report: Report) -> None:
    """Each repeat of an id, at its own field path, naming where the id was first declared."""
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value in first:
            report(f"{what} id '{value}' is already declared at {field.format(first[value])}", field.format(i))
        else:
            first[value] = i
