"""What an import did with each source file: imported, imported with warnings, or skipped and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from rolecall._words import count

__all__ = ["FileOutcome", "ImportReport", "Status"]

Status = Literal["imported", "warnings", "skipped"]


@dataclass
class FileOutcome:
    """One source file. ``result`` says what it became (``persona 'sam'``) or, when skipped, why."""

    name: str
    result: str = ""
    warnings: list[str] = field(default_factory=list)
    skipped: bool = False

    @property
    def status(self) -> Status:
        if self.skipped:
            return "skipped"
        return "warnings" if self.warnings else "imported"

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def skip(self, reason: str) -> None:
        self.skipped = True
        self.result = reason


@dataclass
class ImportReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def file(self, name: str) -> FileOutcome:
        """The outcome of ``name``, created on first use; a file is reported once."""
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        outcome = FileOutcome(name)
        self.outcomes.append(outcome)
        return outcome

    def counts(self) -> Counter[Status]:
        return Counter(o.status for o in self.outcomes)

    def by_status(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{count(len(self.outcomes), 'file')}: {c['imported']} imported, "
            f"{c['warnings']} imported with warnings, {c['skipped']} skipped"
        )

    def text(self) -> str:
        """One line per file (sorted by name), its warnings indented below it, then the counts."""
        lines: list[str] = []
        for outcome in sorted(self.outcomes, key=lambda o: o.name):
            label = outcome.status.ljust(9)
            sep = ": " if outcome.skipped else " -> "
            lines.append(f"{label} {outcome.name}{sep if outcome.result else ''}{outcome.result}")
            lines.extend(f"            - {w}" for w in outcome.warnings)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"
