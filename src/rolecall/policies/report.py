"""Check results for people (text), machines (JSON) and CI systems (JUnit XML).

Each report asks a result for the transcript line of its findings, so a run
is rendered only when it has a finding to show.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from rolecall._words import count
from rolecall.events.types import Clock
from rolecall.policies.check import CheckResult
from rolecall.policies.finding import Finding
from rolecall.policies.model import Policy
from rolecall.render.markdown import clock

__all__ = ["json_report", "junit_xml", "text_report"]


def _where(finding: Finding, line: int | None, unit: Clock = "minutes") -> str:
    parts = []
    if finding.personas:
        parts.append("personas " + ", ".join(finding.personas))
    if finding.task:
        parts.append(f"task {finding.task}")
    if finding.seq is not None:
        parts.append(f"event #{finding.seq} at {clock(finding.at or 0, unit)}")
    if line is not None:
        parts.append(f"transcript line {line}")
    return "; ".join(parts)


def policies_line(policies: Sequence[Policy]) -> str:
    """Which policy files a check used and how many rules each holds: a run checked by nothing is visible."""
    if not policies:
        return "Policies: none loaded\n"
    parts = [
        f"{p.source or p.name} ({count(len(p.rule), 'rule')}, {'cast ' + p.cast if p.cast else 'every cast'})"
        for p in policies
    ]
    return "Policies: " + ", ".join(parts) + "\n"


def text_report(results: Sequence[CheckResult], policies: Sequence[Policy] = ()) -> str:
    out: list[str] = [policies_line(policies).rstrip("\n")] if policies else []
    for r in results:
        verdict = "PASS" if r.passed else "FAIL"
        warnings = len([f for f in r.findings if not f.is_error])
        expected = len(r.expected_findings)
        out.append(
            f"{verdict} {r.target} ({r.name}): {count(len(r.rules), 'rule')}, "
            f"{count(len(r.expectations), 'expectation')}, {count(len(r.errors), 'error')}, "
            f"{count(warnings, 'warning')}" + (f", {count(expected, 'expected finding')}" if expected else "")
        )
        if r.unchecked:
            out.append(
                f"  error   no policy rule applies to this run (cast '{r.cast}'): nothing was checked; "
                "add a policy for this cast, or pass --allow-empty"
            )
        for f in r.findings:
            label = "expected" if f.rule in r.expected else f.severity
            out.append(f"  {label:<7} {f.rule}: {f.message}")
            out.append(f"          {f.detail}")
            out.append(f"          {_where(f, r.line_of(f), r.clock)}")
        for e in r.failed_expectations:
            where = f" (event #{e.seq})" if e.seq is not None else ""
            out.append(f"  expect  {e.name}: {e.detail}{where}")
    passed = sum(r.passed for r in results)
    out.append(f"{passed} passed, {len(results) - passed} failed")
    return "\n".join(out) + "\n"


def _finding(f: Finding, line: int | None) -> dict[str, Any]:
    return {
        "rule": f.rule, "severity": f.severity, "message": f.message, "detail": f.detail,
        "personas": list(f.personas), "task": f.task, "seq": f.seq, "at": f.at,
        "transcript_line": line,
    }  # fmt: skip


def json_report(results: Sequence[CheckResult]) -> str:
    data = [
        {
            "target": str(r.target),
            "scenario": r.name,
            "cast": r.cast,
            "passed": r.passed,
            "checked": not r.unchecked,
            "rules": r.rules,
            "expected_findings": sorted(r.expected),
            "findings": [_finding(f, r.line_of(f)) for f in r.findings],
            "expectations": [
                {"name": e.name, "passed": e.passed, "detail": e.detail, "seq": e.seq} for e in r.expectations
            ],
        }
        for r in results
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def junit_xml(results: Sequence[CheckResult]) -> str:
    """One test suite per target; one test case per rule and per expectation."""
    suites = ET.Element("testsuites", name="rolecall check")
    total = failures = 0
    for r in results:
        by_rule: dict[str, list[Finding]] = {}
        for f in r.findings:
            by_rule.setdefault(f.rule, []).append(f)
        cases: list[ET.Element] = []
        for rule in r.rules:
            case = ET.Element("testcase", classname=r.name, name=f"rule {rule}")
            errors = [f for f in by_rule.get(rule, []) if f.is_error and rule not in r.expected]
            if errors:
                failure = ET.SubElement(case, "failure", message=errors[0].message, type="policy")
                failure.text = "\n".join(_failure(r, f) for f in errors)
            elif by_rule.get(rule):
                out = ET.SubElement(case, "system-out")
                label = "expected" if rule in r.expected else "warning"
                out.text = "\n".join(f"{label}: {f.detail} ({_where(f, r.line_of(f), r.clock)})" for f in by_rule[rule])
            cases.append(case)
        for e in r.expectations:
            case = ET.Element("testcase", classname=r.name, name=f"expect {e.name}")
            if not e.passed:
                ET.SubElement(case, "failure", message=e.detail, type="expectation").text = e.detail
            cases.append(case)
        if r.unchecked:
            case = ET.Element("testcase", classname=r.name, name="policy coverage")
            message = f"no policy rule applies to this run (cast '{r.cast}'); pass --allow-empty to accept"
            ET.SubElement(case, "failure", message=message, type="coverage").text = message
            cases.append(case)
        if not cases:
            cases.append(ET.Element("testcase", classname=r.name, name="replay"))
        failed = sum(1 for c in cases if c.find("failure") is not None)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=str(r.target),
            tests=str(len(cases)),
            failures=str(failed),
            errors="0",
            skipped="0",
        )
        suite.extend(cases)
        total += len(cases)
        failures += failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _failure(result: CheckResult, finding: Finding) -> str:
    line = result.line_of(finding)
    return f"{finding.detail} ({_where(finding, line, result.clock)})\n{result.excerpt(line)}"
