"""The seam between the coordinator and whatever performs the work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from rolecall._records import fast_init
from rolecall.events.types import Clock

if TYPE_CHECKING:
    from rolecall.orchestrator.scenario import Task


__all__ = ["Activity", "ActivityKind", "Backend", "Clock", "Completion", "Outcome", "Verdict"]

ActivityKind = Literal["work", "rework", "review"]
Verdict = Literal["approved", "changes-requested"]


@fast_init
@dataclass(frozen=True, slots=True)
class Activity:
    """One stretch of work the coordinator asks for: an attempt, a rework or a review."""

    task: int
    """Index of the task in the plan."""
    persona: str
    activity: ActivityKind
    attempt: int
    """Work attempt number over all personas; the review round for reviews and reworks."""
    duration: int
    """Planned minutes (the scenario's expected time, review time or rework time)."""


@fast_init
@dataclass(frozen=True, slots=True)
class Outcome:
    """How an activity ended, as the backend saw it."""

    ok: bool
    """Work finished (a failed attempt is ``False``); always ``True`` for a review, whose verdict says more."""
    deliverable: str = ""
    verdict: Verdict | None = None
    """The reviewer's verdict, for a review."""
    files: tuple[str, ...] = ()
    """Files the activity changed (relative to the working folder, with ``/``), where the backend can tell."""
    reason: str = ""
    """Why the activity failed, in words (``"no output for 30s; stopped"``); empty in a replay."""


@fast_init
@dataclass(frozen=True, slots=True)
class Completion:
    """An activity that ended, when, and how."""

    activity: Activity
    started: int
    outcome: Outcome


class Backend(Protocol):
    """Performs activities; the coordinator never asks it to decide anything.

    ``start`` is called once per activity, and the activity's ``task_started``
    is stamped with the time it returns; ``next_completions`` blocks until at
    least one running activity ends and returns the time and every activity
    ending then, in the order they were started, so runs are deterministic
    wherever the backend is. ``clock`` is the unit of every time it reports.
    """

    @property
    def clock(self) -> Clock: ...

    @property
    def wall_start(self) -> str:
        """When the run started on the wall clock (UTC, ``2026-11-29T21:03:05Z``); empty in a replay."""
        ...

    @property
    def capacity(self) -> int | None:
        """How many activities it runs at once; ``None``: as many as the cast allows."""
        ...

    def start(self, activity: Activity, task: Task, now: int) -> int:
        """Start ``activity``; return the time it really started (``now``, or later when launches are paced)."""
        ...

    def time(self) -> int:
        """The current time on its clock (a replay's is the time of the last completion)."""
        ...

    @property
    def running(self) -> bool: ...

    def next_completions(self) -> tuple[int, list[Completion]]: ...
