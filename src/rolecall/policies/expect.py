"""Checking a scenario's ``[expect]`` table against its events and findings."""

from __future__ import annotations

from dataclasses import dataclass

from rolecall import events as ev
from rolecall.figures import RunFigures, duration, in_stream_unit
from rolecall.orchestrator.expectations import Expectations
from rolecall.policies.finding import Finding

__all__ = ["Expectation", "ExpectationTracker"]


@dataclass(frozen=True, slots=True)
class Expectation:
    name: str
    passed: bool
    detail: str
    seq: int | None = None


class ExpectationTracker:
    """Feed events; then :meth:`results` with the policy findings."""

    def __init__(self, expect: Expectations) -> None:
        self.expect = expect
        self.redirects: list[ev.Redirect] = []
        self.handoffs: set[tuple[str, str]] = set()
        self.verdict: ev.GateVerdict | None = None
        self.start: ev.RunStarted | None = None
        self.final: ev.RunFinished | None = None

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Redirect):
            self.redirects.append(event)
        elif isinstance(event, ev.Handoff):
            self.handoffs.add((event.from_persona, event.to_persona))
        elif isinstance(event, ev.GateVerdict):
            self.verdict = event
        elif isinstance(event, ev.RunStarted):
            self.start = event
        elif isinstance(event, ev.RunFinished):
            self.final = event

    def results(self, findings: list[Finding]) -> list[Expectation]:
        e, final, out = self.expect, self.final, []
        if e.outcome is not None:
            outcome = final.outcome if final else "no run_finished event"
            out.append(
                Expectation(
                    f"outcome is {e.outcome}",
                    outcome == e.outcome,
                    f"outcome was {outcome}",
                    final.seq if final else None,
                )
            )
        if e.gate is not None:
            verdict = self.verdict.verdict if self.verdict else "no gate"
            out.append(
                Expectation(
                    f"gate says {e.gate}",
                    verdict == e.gate,
                    f"gate said {verdict}",
                    self.verdict.seq if self.verdict else None,
                )
            )
        for r in e.redirects:
            hit = next(
                (
                    x
                    for x in self.redirects
                    if x.from_persona == r.from_persona
                    and x.to_persona == r.to
                    and (r.task is None or x.task == r.task)
                ),
                None,
            )
            name = f"redirect {r.from_persona} -> {r.to}" + (f" on {r.task}" if r.task else "")
            seen = ", ".join(f"{x.from_persona} -> {x.to_persona} on {x.task}" for x in self.redirects) or "none"
            out.append(Expectation(name, hit is not None, f"redirects seen: {seen}", hit.seq if hit else None))
        for h in e.handoffs:
            ok = (h.from_persona, h.to) in self.handoffs
            out.append(
                Expectation(
                    f"handoff {h.from_persona} -> {h.to}", ok, "present" if ok else "no such handoff in the run"
                )
            )
        reported = {f.rule for f in findings}
        for rule in e.findings:
            out.append(
                Expectation(
                    f"finding {rule} reported", rule in reported, "reported" if rule in reported else "not reported"
                )
            )
        for rule in e.no_findings:
            bad = sorted(reported) if rule == "*" else [rule] if rule in reported else []
            name = "no findings at all" if rule == "*" else f"no finding {rule}"
            out.append(Expectation(name, not bad, f"reported: {', '.join(bad)}" if bad else "none"))
        if e.max_makespan is not None and final is not None:
            # The limit is written in minutes whatever the run's clock; a live run's makespan is in seconds.
            unit = self.start.clock if self.start is not None else "minutes"
            took = f"{final.makespan} min" if unit == "minutes" else duration(final.makespan, unit)
            out.append(
                Expectation(
                    f"makespan at most {e.max_makespan} min",
                    final.makespan <= in_stream_unit(e.max_makespan, unit),
                    f"makespan was {took}",
                    final.seq,
                )
            )
        if e.min_speedup is not None and final is not None and self.start is not None:
            # The speed-up of docs/figures.md: planned work over makespan, for a completed run only,
            # so failed attempts and rework can never make a run look faster.
            figures = RunFigures.of_run(self.start, final)
            ratio = figures.speedup
            out.append(
                Expectation(
                    f"speed-up at least {e.min_speedup:.2f}x",
                    ratio is not None and ratio >= e.min_speedup,
                    f"speed-up was {figures.speedup_text()}",
                    final.seq,
                )
            )
        return out
