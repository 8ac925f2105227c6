"""The printout of ``rolecall plan``: levels, critical path and the run's figures."""

from __future__ import annotations

from rolecall._words import count
from rolecall.events import RunFinished
from rolecall.events.types import Clock
from rolecall.figures import RunFigures, duration
from rolecall.orchestrator.plan import Plan

__all__ = ["plan_text"]

_SHOWN_PER_LEVEL = 12


def plan_text(plan: Plan, final: RunFinished, clock: Clock = "minutes") -> str:
    """The printout; ``clock`` is the unit of the plan's times (a live run's plan is in seconds)."""
    scenario = plan.scenario
    tasks = plan.tasks
    cast = plan.cast
    # The plan's own figures equal run_started's, so this prints what ``replay`` prints.
    figures = RunFigures.of(
        final, planned_work=plan.sequential_time, critical_path=plan.critical_time, mode=scenario.mode, clock=clock
    )
    lines = [
        f"{scenario.title} ({scenario.name}): {count(len(tasks), 'task')} in "
        f"{count(len(scenario.phase), 'phase')}, "
        f"cast {cast.name}, {scenario.mode} mode",
    ]
    if scenario.gate is not None and plan.verifier is not None:
        lines.append(f"Gate:       {plan.verifier} checks {count(len(scenario.gate.requires), 'requirement')} first")
    lines.append("Levels (tasks whose dependencies are all in earlier levels):")
    for number, level in enumerate(plan.levels):
        shown = [
            f"{tasks[i].id} ({plan.performer[i]}, {duration(tasks[i].expected_time, clock)})"
            for i in level[:_SHOWN_PER_LEVEL]
        ]
        more = f", ... {len(level) - _SHOWN_PER_LEVEL} more" if len(level) > _SHOWN_PER_LEVEL else ""
        lines.append(f"  {number}: " + ", ".join(shown) + more)
    path = " -> ".join(tasks[i].id for i in plan.critical_path)
    lines.append(f"Critical path ({duration(figures.critical_path, clock)}): {path}")
    # "Sequential" is the row the plan has always printed; the figure in it is the planned work.
    lines.append(
        f"Sequential: {duration(figures.planned_work, clock)} of planned work (expected times, each task once)"
    )
    if figures.blocked:
        lines.append(f"Makespan:   not reached ({final.reason})")
    else:
        how = "one task at a time (sequential mode)" if scenario.mode == "sequential" else "in parallel"
        lines.append(f"Makespan:   {duration(figures.makespan, clock)} {how}, under per-persona capacity")
        lines.append(f"Speed-up:   {figures.speedup_text()}")
        lines.append(f"Outcome:    {final.outcome} ({final.reason})")
    return "\n".join(lines) + "\n"
