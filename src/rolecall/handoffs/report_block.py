"""The ``=== ORCHESTRATOR REPORT ===`` block that delegated agents end their answers with.

A planning report (the planning model's design) and an implementation report
(the implementing model's work) have fixed sections. Scenario files state a
report as data (``[task.report]``); the same block is rendered into the
deliverable text, and :func:`parse_report` reads one back from any text,
naming the sections that are missing, as a live agent's answer will need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import model_validator

from rolecall._model import FileModel

__all__ = ["BEGIN", "END", "REPORT_SECTIONS", "OrchestratorReport", "ParsedReport", "parse_report", "render_report"]

BEGIN = "=== ORCHESTRATOR REPORT ==="
END = "=== END REPORT ==="

ReportKind = Literal["planning", "implementation"]

REPORT_SECTIONS: dict[str, tuple[str, ...]] = {
    "planning": (
        "Analysis", "Decisions", "Trade-offs", "Alternatives Considered", "Risks & Mitigations",
        "Recommendations", "Next Steps",
    ),
    "implementation": (
        "Implementation Summary", "Files Modified", "Changes Made", "Static Analysis Results",
        "Testing Performed", "Results", "Issues Found",
    ),
}  # fmt: skip


class OrchestratorReport(FileModel):
    kind: ReportKind
    sections: dict[str, str]

    @model_validator(mode="after")
    def _complete(self) -> OrchestratorReport:
        missing = [s for s in REPORT_SECTIONS[self.kind] if not self.sections.get(s, "").strip()]
        if missing:
            raise ValueError(f"a {self.kind} report needs the sections: {', '.join(missing)}")
        return self


def render_report(report: OrchestratorReport) -> str:
    """The block as an agent writes it: required sections in order, then any others."""
    order = [*REPORT_SECTIONS[report.kind], *(s for s in report.sections if s not in REPORT_SECTIONS[report.kind])]
    body = [f"## {name}\n{report.sections[name].strip()}" for name in order]
    return "\n\n".join([BEGIN, *body, END])


@dataclass(frozen=True, slots=True)
class ParsedReport:
    found: bool
    kind: str | None
    sections: dict[str, str]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.found and not self.missing


_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


def parse_report(text: str) -> ParsedReport:
    """Find the report block in ``text``; its sections, its kind, and what is missing."""
    start = text.find(BEGIN)
    if start < 0:
        return ParsedReport(False, None, {}, ())
    end = text.find(END, start)
    block = text[start + len(BEGIN) : end if end >= 0 else len(text)]
    sections: dict[str, str] = {}
    headings = list(_HEADING.finditer(block))
    for i, match in enumerate(headings):
        stop = headings[i + 1].start() if i + 1 < len(headings) else len(block)
        sections[match.group(1)] = block[match.end() : stop].strip()
    kind = max(REPORT_SECTIONS, key=lambda k: (sum(s in sections for s in REPORT_SECTIONS[k]), k == "planning"))
    missing = tuple(s for s in REPORT_SECTIONS[kind] if not sections.get(s))
    if end < 0:
        missing = (*missing, END)
    return ParsedReport(True, kind, sections, missing)
