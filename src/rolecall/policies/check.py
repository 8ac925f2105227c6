"""One check of a run: the policies and the scenario's expectations, evaluated over its events.

Works on values in memory: a plan to replay, or events already recorded
(:func:`rolecall.check` reads scenario and events files into them). Nothing
is rendered while checking; the transcript line of a finding is looked up
only when a report asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rolecall import events as ev
from rolecall.events.types import Clock
from rolecall.policies.evaluate import PolicyEvaluator
from rolecall.policies.expect import Expectation, ExpectationTracker
from rolecall.policies.finding import Finding
from rolecall.policies.model import Policy
from rolecall.policies.transcript import TranscriptLines

if TYPE_CHECKING:
    from rolecall.backends import Backend
    from rolecall.handoffs import TemplateLibrary
    from rolecall.orchestrator import Plan
    from rolecall.orchestrator.expectations import Expectations

__all__ = ["CheckResult", "check_events", "check_plan"]


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one run: the rules applied, what they found, and the expectations' results."""

    target: Path | str
    """The file checked, or the name of a run checked in memory."""
    name: str
    rules: tuple[str, ...]
    findings: tuple[Finding, ...]
    expectations: tuple[Expectation, ...]
    transcript: TranscriptLines = field(repr=False, compare=False)
    cast: str = ""
    expected: frozenset[str] = frozenset()
    """Rule ids the scenario's ``[expect] findings`` says must fire: they do not fail it."""
    allow_empty: bool = False
    """Accept a run that no policy rule checks (otherwise it fails: a check of nothing is no pass)."""
    clock: Clock = "minutes"
    """The unit of the findings' ``at``: the run's ``run_started.clock``."""

    @property
    def errors(self) -> list[Finding]:
        """Error-level findings the scenario did not expect: each one fails the check."""
        return [f for f in self.findings if f.is_error and f.rule not in self.expected]

    @property
    def expected_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.rule in self.expected]

    @property
    def failed_expectations(self) -> list[Expectation]:
        return [e for e in self.expectations if not e.passed]

    @property
    def unchecked(self) -> bool:
        """No policy rule applied to this run: nothing was verified."""
        return not self.rules and not self.allow_empty

    @property
    def passed(self) -> bool:
        return not self.errors and not self.failed_expectations and not self.unchecked

    def line_of(self, finding: Finding) -> int | None:
        """The transcript line where the finding's event is told (renders the transcript once)."""
        return self.transcript.line(finding.seq)

    def excerpt(self, line: int | None, around: int = 6) -> str:
        """The transcript lines around ``line``, numbered, the line itself marked."""
        return self.transcript.excerpt(line, around)


def check_events(
    events: Iterable[ev.Event],
    policies: Sequence[Policy],
    *,
    expect: Expectations | None = None,
    templates: TemplateLibrary | None = None,
    allow_empty: bool = False,
    target: Path | str = "",
) -> CheckResult:
    """Check a recorded run; ``expect`` is the scenario's ``[expect]`` table, if the run has one."""
    checking = _Checking(policies, expect)
    for event in events:
        checking(event)
    return checking.result(target, templates, allow_empty)


def check_plan(
    plan: Plan,
    policies: Sequence[Policy],
    *,
    backend: Backend | None = None,
    templates: TemplateLibrary | None = None,
    allow_empty: bool = False,
    target: Path | str | None = None,
) -> CheckResult:
    """Replay ``plan`` and check the run against the policies and the scenario's expectations."""
    from rolecall.orchestrator import Coordinator

    checking = _Checking(policies, plan.scenario.expect)
    Coordinator(plan, backend).run(checking)
    if target is None:
        target = plan.source if plan.source is not None else plan.scenario.name
    return checking.result(target, templates, allow_empty, plan.scenario.name, plan.cast.name)


class _Checking:
    """The sink a run is checked with; it keeps the events in case a report wants the transcript."""

    def __init__(self, policies: Sequence[Policy], expect: Expectations | None) -> None:
        self.evaluator = PolicyEvaluator(policies)
        self.tracker = ExpectationTracker(expect) if expect is not None else None
        self.expected = frozenset(expect.findings) if expect is not None else frozenset()
        self.expect = expect
        self.events: list[ev.Event] = []
        self.start: ev.RunStarted | None = None

    def __call__(self, event: ev.Event) -> None:
        self.events.append(event)
        self.evaluator(event)
        if self.tracker is not None:
            self.tracker(event)
        if isinstance(event, ev.RunStarted):
            self.start = event

    def result(
        self,
        target: Path | str,
        templates: TemplateLibrary | None,
        allow_empty: bool,
        name: str | None = None,
        cast: str | None = None,
    ) -> CheckResult:
        findings = self.evaluator.finish()
        self._check_expected_rules(target)
        expectations = self.tracker.results(findings) if self.tracker is not None else []
        if name is None:
            name = self.start.scenario if self.start is not None else _stem(target)
        if cast is None:
            cast = self.start.cast if self.start is not None else ""
        return CheckResult(
            target=target,
            name=name,
            rules=tuple(self.evaluator.rule_ids),
            findings=tuple(findings),
            expectations=tuple(expectations),
            transcript=TranscriptLines(self.events, templates),
            cast=cast,
            expected=self.expected,
            allow_empty=allow_empty,
            clock=self.start.clock if self.start is not None else "minutes",
        )

    def _check_expected_rules(self, target: Path | str) -> None:
        """A rule id in [expect] that no applied rule has could never be reported: a typo, not a pass."""
        from rolecall._messages import did_you_mean
        from rolecall.errors import InputError, Problem

        if self.expect is None:
            return
        known = set(self.evaluator.rule_ids)
        source = Path(target) if isinstance(target, Path) else None
        problems = [
            Problem(source, f"no applied policy rule '{rule}'{did_you_mean(rule, sorted(known))}", f"expect.{key}[{i}]")
            for key in ("findings", "no_findings")
            for i, rule in enumerate(getattr(self.expect, key))
            if rule != "*" and rule not in known
        ]
        if problems:
            raise InputError(problems)


def _stem(target: Path | str) -> str:
    return target.stem if isinstance(target, Path) else target
