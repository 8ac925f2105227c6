from __future__ import annotations

from pathlib import Path

import pytest

from rolecall import InputError
from rolecall.handoffs.report_block import REPORT_SECTIONS, OrchestratorReport, parse_report, render_report
from rolecall.orchestrator import plan_file
from tests.conftest import SCENARIOS, run_cli


def test_render_then_parse_round_trips() -> None:
    sections = {name: f"text of {name}" for name in REPORT_SECTIONS["implementation"]}
    block = render_report(OrchestratorReport(kind="implementation", sections=sections))
    parsed = parse_report(f"Some answer first.\n\n{block}\n")
    assert parsed.complete and parsed.kind == "implementation" and parsed.sections == sections


def test_parser_names_missing_sections_and_a_missing_end() -> None:
    text = "=== ORCHESTRATOR REPORT ===\n## Analysis\nok\n## Decisions\n- a\n"
    parsed = parse_report(text)
    assert parsed.found and parsed.kind == "planning"
    assert "Trade-offs" in parsed.missing and "=== END REPORT ===" in parsed.missing
    assert not parse_report("no block here").found


def test_scenario_reports_render_into_the_deliverable() -> None:
    plan = plan_file(SCENARIOS / "rest-api-delegation.toml")
    design = next(t for t in plan.tasks if t.id == "api-design")
    assert design.report is not None and parse_report(design.full_deliverable).complete
    transcript = run_cli("replay", SCENARIOS / "rest-api-delegation.toml").out
    assert "> === ORCHESTRATOR REPORT ===" in transcript and "> ## Risks & Mitigations" in transcript


def test_incomplete_report_in_a_scenario_is_an_input_error(tmp_path: Path) -> None:
    text = (SCENARIOS / "rest-api-delegation.toml").read_text(encoding="utf-8")
    broken = tmp_path / "s.toml"
    broken.write_text(text.replace('"Trade-offs" =', '"Tradeoffs" =', 1), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"s.toml:\d+: task\[\d\].report: a planning report needs the sections: Trade-offs"
    ):
        plan_file(broken)


def test_parse_report_command(tmp_path: Path) -> None:
    answer = tmp_path / "answer.md"
    answer.write_text("=== ORCHESTRATOR REPORT ===\n## Analysis\nx\n=== END REPORT ===\n", encoding="utf-8")
    result = run_cli("parse-report", answer)
    assert result.code == 1 and "missing: Decisions" in result.out
    answer.write_text("all done, no report", encoding="utf-8")
    assert run_cli("parse-report", answer).code == 1
