"""One check: replay a scenario (or read saved events), evaluate policies and expectations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rolecall import events as ev
from rolecall._resources import shipped_dir
from rolecall.files.events import read_events
from rolecall.handoffs import TemplateLibrary
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.policies.evaluate import PolicyEvaluator
from rolecall.policies.expect import Expectation, ExpectationTracker
from rolecall.policies.finding import Finding
from rolecall.policies.model import Policy, load_policy
from rolecall.render.markdown import MarkdownTranscript

__all__ = ["CheckResult", "check_target", "collect_targets", "default_policies", "load_policies"]


@dataclass
class CheckResult:
    target: Path
    name: str
    rules: list[str]
    findings: list[Finding]
    expectations: list[Expectation]
    transcript: str = field(repr=False)
    cast: str = ""
    expected: frozenset[str] = frozenset()
    """Rule ids the scenario's ``[expect] findings`` says must fire: they do not fail it."""
    allow_empty: bool = False
    """Accept a run that no policy rule checks (otherwise it fails: a check of nothing is no pass)."""

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

    def excerpt(self, line: int | None, around: int = 6) -> str:
        """The transcript lines around ``line``, numbered, the line itself marked."""
        if line is None:
            return ""
        lines = self.transcript.split("\n")
        start, end = max(1, line - around), min(len(lines), line + around)
        return "\n".join(
            f"{'>>' if n == line else '  '} {n:5d} | {lines[n - 1]}".rstrip() for n in range(start, end + 1)
        )


def default_policies(cwd: Path | None = None) -> list[Path]:
    """``./policies/*.toml`` when the working folder has one (as for ``./scenarios``), else the shipped ones.

    Each policy applies only to runs of the cast it names.
    """
    local = cwd / "policies" if cwd is not None else Path("policies")  # relative: shown as the user wrote it
    folder = local if local.is_dir() else shipped_dir("policies")
    return sorted(folder.glob("*.toml"))


def load_policies(paths: Iterable[Path]) -> list[Policy]:
    from rolecall.errors import InputError, Problem

    policies: list[Policy] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            policies.append(load_policy(path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return policies


def collect_targets(paths: Sequence[Path]) -> list[Path]:
    """Scenario files and events.jsonl files; a folder contributes its *.toml and *.jsonl files."""
    import stat

    from rolecall.errors import InputError
    from rolecall.files.reading import os_reason

    out: list[Path] = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise InputError.single(path, os_reason(exc)) from None
        except ValueError as exc:
            raise InputError.single(path, f"not a usable path ({exc})") from None
        if stat.S_ISDIR(mode):
            found = sorted([*path.glob("*.toml"), *path.glob("*.jsonl")])
            if not found:
                raise InputError.single(path, "no scenario (*.toml) or events (*.jsonl) files in this folder")
            out += found
        else:
            out.append(path)
    return out


def check_target(
    path: Path, policies: Sequence[Policy], templates: TemplateLibrary | None = None, *, allow_empty: bool = False
) -> CheckResult:
    evaluator = PolicyEvaluator(policies)
    transcript = MarkdownTranscript(templates)
    tracker: ExpectationTracker | None = None
    name = path.stem
    cast = ""
    expected: frozenset[str] = frozenset()

    def sink(event: ev.Event) -> None:
        evaluator(event)
        transcript(event)
        if tracker is not None:
            tracker(event)

    if path.suffix == ".jsonl":
        for event in read_events(path):
            sink(event)
            if isinstance(event, ev.RunStarted):
                name, cast = event.scenario, event.cast
    else:
        plan = plan_file(path)
        name, cast = plan.scenario.name, plan.cast.name
        if plan.scenario.expect is not None:
            tracker = ExpectationTracker(plan.scenario.expect)
            expected = frozenset(plan.scenario.expect.findings)
        Coordinator(plan).run(sink)
    findings = evaluator.finish()
    findings = [_located(f, transcript.line_of) for f in findings]
    expectations = tracker.results(findings) if tracker is not None else []
    return CheckResult(
        path, name, evaluator.rule_ids, findings, expectations, transcript.text(), cast, expected, allow_empty
    )


def _located(finding: Finding, line_of: dict[int, int]) -> Finding:
    from dataclasses import replace

    return replace(finding, transcript_line=line_of.get(finding.seq) if finding.seq is not None else None)
