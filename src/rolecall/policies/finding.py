"""A finding: one rule or expectation a run did not keep. Data, not an exception."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding"]


@dataclass(frozen=True, slots=True)
class Finding:
    """Where a rule was broken: the event (``seq``) and its time (``at``, in the run's ``run_started.clock``).

    The transcript line telling that event is a view of the run, looked up
    when a report asks for it (:meth:`rolecall.policies.check.CheckResult.line_of`).
    """

    rule: str
    severity: str  # "error" or "warning"
    message: str
    detail: str
    personas: tuple[str, ...] = ()
    task: str = ""
    seq: int | None = None
    at: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
