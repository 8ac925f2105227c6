"""The printout of ``rolecall plan``: levels, critical path and the times."""

from __future__ import annotations

from rolecall._words import count
from rolecall.orchestrator.events import RunFinished
from rolecall.orchestrator.plan import Plan
from rolecall.render._format import duration, percent_faster, speedup

__all__ = ["plan_text"]

_SHOWN_PER_LEVEL = 12


def plan_text(plan: Plan, final: RunFinished) -> str:
    scenario = plan.scenario
    tasks = plan.tasks
    cast = plan.cast
    lines = [
        f"{scenario.title} ({scenario.name}): {count(len(tasks), 'task')} in "
        f"{count(len(scenario.phase), 'phase')}, "
        f"cast {cast.name}, {scenario.mode} mode",
    ]
    if scenario.gate is not None and plan.verifier is not None:
        lines.append(f"Gate:       {plan.verifier} checks {len(scenario.gate.requires)} requirements first")
    lines.append("Levels (tasks whose dependencies are all in earlier levels):")
    for number, level in enumerate(plan.levels):
        shown = [
            f"{tasks[i].id} ({plan.performer[i]}, {duration(tasks[i].expected_time)})" for i in level[:_SHOWN_PER_LEVEL]
        ]
        more = f", ... {len(level) - _SHOWN_PER_LEVEL} more" if len(level) > _SHOWN_PER_LEVEL else ""
        lines.append(f"  {number}: " + ", ".join(shown) + more)
    path = " -> ".join(tasks[i].id for i in plan.critical_path)
    lines.append(f"Critical path ({duration(plan.critical_time)}): {path}")
    lines.append(f"Sequential: {duration(plan.sequential_time)} (sum of expected times)")
    if final.outcome == "blocked_at_gate":
        lines.append(f"Makespan:   not reached ({final.reason})")
    else:
        seq, par = plan.sequential_time, final.makespan
        how = (
            "one task at a time (sequential mode)"
            if scenario.mode == "sequential"
            else "in parallel under per-persona capacity"
        )
        lines.append(
            f"Makespan:   {duration(par)} {how} ({speedup(seq, par)} speed-up, {percent_faster(seq, par)} faster)"
        )
        lines.append(f"Outcome:    {final.outcome} ({final.reason})")
    return "\n".join(lines) + "\n"
