"""A finding: one rule or expectation a run did not keep. Data, not an exception."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Finding"]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str  # "error" or "warning"
    message: str
    detail: str
    personas: tuple[str, ...] = ()
    task: str = ""
    seq: int | None = None
    at: int | None = None
    transcript_line: int | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
