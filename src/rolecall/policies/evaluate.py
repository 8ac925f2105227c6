"""Evaluating policies over an event stream, in one pass and linear in its length.

Each rule becomes a small checker fed every event; a checker keeps only
counters and sets keyed by task or persona, so the cost per event is constant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from rolecall import events as ev
from rolecall.figures import duration, in_stream_unit
from rolecall.policies.finding import Finding
from rolecall.policies.model import BoundaryRule, GateRule, LimitRule, OrderRule, Policy, RouteRule

__all__ = ["PolicyEvaluator", "evaluate"]


@cache
def _match(value: str, pattern: str) -> bool:
    return fnmatchcase(value, pattern)


class _Run:
    """What every checker needs to know about the run, from run_started."""

    def __init__(self, start: ev.RunStarted) -> None:
        self.cast = start.cast
        self.clock = start.clock
        self.capability = {t.id: t.capability for t in start.plan}
        self.phase = {t.id: t.phase for t in start.plan}
        self.owns = {p.id: set(p.owns) for p in start.personas}
        self.tasks = start.plan
        self.position = {t.id: i for i, t in enumerate(start.plan)}
        self.depends_on = {t.id: t.depends_on for t in start.plan}

    def tasks_matching(self, pattern: str) -> set[str]:
        return {t.id for t in self.tasks if _match(t.capability, pattern)}

    def before_in_plan(self, task: str) -> set[str]:
        """Tasks the plan puts before ``task``: listed earlier, or waited for (directly or not)."""
        earlier = {t.id for t in self.tasks[: self.position.get(task, 0)]}
        stack, seen = list(self.depends_on.get(task, ())), set()
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.depends_on.get(current, ()))
        return earlier | seen


class _Checker:
    def __init__(self, rule: Any, run: _Run, report: Callable[..., None]) -> None:
        self.rule = rule
        self.run = run
        self.report = report

    def __call__(self, event: ev.Event) -> None:
        raise NotImplementedError

    def end(self, final: ev.RunFinished | None) -> None:
        return None


class _Boundary(_Checker):
    rule: BoundaryRule

    def __init__(self, rule: BoundaryRule, run: _Run, report: Callable[..., None]) -> None:
        super().__init__(rule, run, report)
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Violation) and event.files:
            # A live run's persona changed files of this capability: stopped afterwards, but the
            # change was made and nothing undid it. An attempt stopped before any work is not work.
            self._crossed(event)
            return
        if not isinstance(event, ev.TaskStarted) or event.activity == "review":
            return
        rule, persona = self.rule, event.persona
        capability = self.run.capability.get(event.task, "")
        if not (_match(persona, rule.persona) and _match(capability, rule.capability)):
            return
        if rule.except_owners and capability in self.run.owns.get(persona, ()):
            return
        if (persona, event.task) in self.seen:
            return
        self.seen.add((persona, event.task))
        self.report(f"{persona} performed {capability} work on task {event.task}", event, (persona,), event.task)

    def _crossed(self, event: ev.Violation) -> None:
        rule, persona, capability = self.rule, event.persona, event.capability
        if not (_match(persona, rule.persona) and _match(capability, rule.capability)):
            return
        if rule.except_owners and capability in self.run.owns.get(persona, ()):
            return
        changed = ", ".join(event.files)
        self.report(
            f"{persona} changed {changed} ({capability} work) on task {event.task}", event, (persona,), event.task
        )


class _Route(_Checker):
    rule: RouteRule

    def __init__(self, rule: RouteRule, run: _Run, report: Callable[..., None]) -> None:
        super().__init__(rule, run, report)
        self.allow = rule.pairs("allow")
        self.forbid = rule.pairs("forbid")

    def __call__(self, event: ev.Event) -> None:
        if not isinstance(event, ev.Handoff):
            return
        a, b = event.from_persona, event.to_persona
        if any(_match(a, x) and _match(b, y) for x, y in self.forbid):
            self.report(f"handoff {a} -> {b} is forbidden", event, (a, b), ",".join(event.feeds))
        elif self.allow and not any(_match(a, x) and _match(b, y) for x, y in self.allow):
            self.report(f"handoff {a} -> {b} is not an allowed route", event, (a, b), ",".join(event.feeds))


class _Gate(_Checker):
    rule: GateRule

    def __init__(self, rule: GateRule, run: _Run, report: Callable[..., None]) -> None:
        super().__init__(rule, run, report)
        self.done: set[str] = set()
        self.approved: set[str] = set()
        self.go = False
        self.fired = False

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.TaskFinished | ev.TaskSkipped):
            self.done.add(event.task)
        elif isinstance(event, ev.DecisionMade) and event.approved:
            self.approved.add(event.decision)
        elif isinstance(event, ev.GateVerdict):
            self.go = event.verdict == "GO"
        elif isinstance(event, ev.TaskStarted) and not self.fired and event.activity == "work":
            rule = self.rule
            if rule.before_phase is not None:
                guarded = self.run.phase.get(event.task) == rule.before_phase
            else:
                guarded = _match(self.run.capability.get(event.task, ""), rule.before_capability or "")
            if guarded:
                self.fired = True
                self._check(event)

    def _check(self, event: ev.TaskStarted) -> None:
        missing: list[str] = []
        # Only work planned before the gated task is required: tests that run after a
        # deployment (smoke tests, a QA stream) cannot be a condition of that deployment.
        before = self.run.before_in_plan(event.task)
        for pattern in self.rule.requires:
            tasks = self.run.tasks_matching(pattern) & before
            if not tasks:
                missing.append(f"no {pattern} task planned before it")
            missing += [f"{t} ({pattern}) not finished" for t in sorted(tasks - self.done)]
        missing += [f"task {t} not finished" for t in self.rule.requires_tasks if t not in self.done]
        missing += [f"decision {d} not approved" for d in self.rule.requires_approval if d not in self.approved]
        if self.rule.requires_go and not self.go:
            missing.append("the prerequisites gate saying GO")
        if missing:
            where = self.rule.before_phase or self.rule.before_capability
            self.report(
                f"{event.task} started ({where}) before: {'; '.join(missing)}", event, (event.persona,), event.task
            )


class _Pending:
    """Tasks not yet finished, in plan order; the first and the count in O(1) amortised."""

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.left = set(order)
        self.pos = 0

    def discard(self, task: str) -> None:
        self.left.discard(task)

    def describe(self) -> str:
        while self.order[self.pos] not in self.left:
            self.pos += 1
        more = len(self.left) - 1
        return self.order[self.pos] + (f" and {more} more" if more else "")


class _Order(_Checker):
    rule: OrderRule

    def __init__(self, rule: OrderRule, run: _Run, report: Callable[..., None]) -> None:
        super().__init__(rule, run, report)
        self.subject = run.tasks_matching(rule.capability)
        after = set().union(*(run.tasks_matching(p) for p in rule.after)) - self.subject
        self.before = set().union(*(run.tasks_matching(p) for p in rule.before)) - self.subject
        plan_order = [t.id for t in run.tasks]
        self.after_left = _Pending([t for t in plan_order if t in after])
        self.subject_left = _Pending([t for t in plan_order if t in self.subject])
        self.reported: set[str] = set()

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.TaskFinished | ev.TaskSkipped):
            self.after_left.discard(event.task)
            self.subject_left.discard(event.task)
        elif isinstance(event, ev.TaskStarted) and event.activity == "work" and event.task not in self.reported:
            task = event.task
            if task in self.subject and self.after_left.left:
                self.reported.add(task)
                self.report(
                    f"{task} ({self.rule.capability}) started before {self.after_left.describe()} finished",
                    event,
                    (event.persona,),
                    task,
                )
            elif task in self.before and self.subject_left.left:
                self.reported.add(task)
                self.report(
                    f"{task} started before {self.subject_left.describe()} ({self.rule.capability}) finished",
                    event,
                    (event.persona,),
                    task,
                )


class _Limit(_Checker):
    rule: LimitRule

    def __init__(self, rule: LimitRule, run: _Run, report: Callable[..., None]) -> None:
        super().__init__(rule, run, report)
        self.redirects = 0
        self.last: dict[frozenset[str], str] = {}
        self.returns: dict[frozenset[str], int] = {}

    def __call__(self, event: ev.Event) -> None:
        rule = self.rule
        if isinstance(event, ev.Redirect) and rule.max_redirects is not None:
            self.redirects += 1
            if self.redirects == rule.max_redirects + 1:
                self.report(f"more than {rule.max_redirects} redirects", event, (event.from_persona,), event.task)
        elif isinstance(event, ev.Handoff) and rule.max_ping_pong is not None:
            pair = frozenset((event.from_persona, event.to_persona))
            if self.last.get(pair) == event.to_persona:  # the previous one went the other way
                self.returns[pair] = self.returns.get(pair, 0) + 1
                if self.returns[pair] == rule.max_ping_pong + 1:
                    a, b = sorted(pair)
                    self.report(
                        f"handoffs went back and forth between {a} and {b} more than {rule.max_ping_pong} times",
                        event,
                        (a, b),
                        ",".join(event.feeds),
                    )
            self.last[pair] = event.from_persona
        elif (
            isinstance(event, ev.ReviewRound)
            and rule.max_review_rounds is not None
            and event.round == rule.max_review_rounds + 1
        ):
            self.report(
                f"{event.task} needed more than {rule.max_review_rounds} review rounds",
                event,
                (event.author, event.reviewer),
                event.task,
            )

    def end(self, final: ev.RunFinished | None) -> None:
        limit = self.rule.max_makespan
        if final is None or limit is None or final.makespan <= in_stream_unit(limit, self.run.clock):
            return
        # The limit is written in minutes whatever the run's clock; a live run's makespan is in seconds.
        took = f"{final.makespan} min" if self.run.clock == "minutes" else duration(final.makespan, self.run.clock)
        self.report(f"makespan {took} exceeds {limit} min", final, (), "")


_CHECKERS: dict[str, type[_Checker]] = {
    "boundary": _Boundary, "route": _Route, "gate": _Gate, "order": _Order, "limit": _Limit,
}  # fmt: skip


class PolicyEvaluator:
    """Feed events in order; read :attr:`findings` after the last one.

    Policies naming another cast than the run's are skipped (see :attr:`applied`).
    """

    def __init__(self, policies: Iterable[Policy]) -> None:
        self.policies = tuple(policies)
        self.findings: list[Finding] = []
        self.applied: list[Policy] = []
        self._checkers: list[_Checker] = []
        self._final: ev.RunFinished | None = None

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.RunStarted):
            self._start(event)
        elif isinstance(event, ev.RunFinished):
            self._final = event
        for checker in self._checkers:
            checker(event)

    def _start(self, start: ev.RunStarted) -> None:
        from rolecall.errors import InputError
        from rolecall.policies.against_cast import cast_problems, run_problems

        run = _Run(start)
        self.applied = [p for p in self.policies if p.cast in (None, start.cast)]
        personas = [p.id for p in start.personas]
        capabilities = sorted({c for p in start.personas for c in p.owns})
        problems = [pr for p in self.applied for pr in cast_problems(p, start.cast, personas, capabilities)]
        tasks = [t.id for t in start.plan]
        problems += [pr for p in self.applied for pr in run_problems(p, start.phases, tasks)]
        if problems:
            raise InputError(problems)
        for policy in self.applied:
            for rule in policy.rule:
                self._checkers.append(_CHECKERS[rule.kind](rule, run, self._reporter(rule)))

    def _reporter(self, rule: Any) -> Callable[..., None]:
        def report(detail: str, event: ev.EventBase, personas: tuple[str, ...], task: str) -> None:
            self.findings.append(
                Finding(rule.id, rule.severity, rule.message, detail, personas, task, event.seq, event.at)
            )

        return report

    def finish(self) -> list[Finding]:
        for checker in self._checkers:
            checker.end(self._final)
        self._checkers = []
        return self.findings

    @property
    def rule_ids(self) -> list[str]:
        return [rule.id for policy in self.applied for rule in policy.rule]


def evaluate(events: Iterable[ev.Event], policies: Iterable[Policy]) -> list[Finding]:
    evaluator = PolicyEvaluator(policies)
    for event in events:
        evaluator(event)
    return evaluator.finish()
