"""Verdicts that cannot be green by mistake: inert rules, unchecked runs, expected findings, gates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import ROOT, SCENARIOS, run_cli

FIXTURES = ROOT / "tests" / "fixtures"
STRIPE = SCENARIOS / "stripe-subscription.toml"


def _policy(tmp_path: Path, body: str, cast: str = "product-team", name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'name = "p"\ncast = "{cast}"\n\n{body}', encoding="utf-8")
    return path


def test_a_rule_naming_an_unknown_persona_or_capability_is_bad_input(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        '[[rule]]\nid = "typo"\nkind = "boundary"\nmessage = "m"\npersona = "prya"\ncapability = "schedulng.*"\n\n'
        '[[rule]]\nid = "routes"\nkind = "route"\nmessage = "m"\nallow = ["sam -> morgn", "kai -> *"]\n',
    )
    result = run_cli("check", STRIPE, "--policy", policy)
    assert result.code == 2 and result.out == ""
    assert f"{policy}:8: rule[0].persona: no persona 'prya' in cast 'product-team'" in result.err
    assert f"{policy}:9: rule[0].capability: capability pattern 'schedulng.*' matches no capability" in result.err
    assert f"{policy}:15: rule[1].allow[0]: no persona 'morgn' in cast 'product-team'; did you mean 'morgan'?" in (
        result.err
    )
    assert "3 problems found" in result.err


def test_a_run_checked_by_no_rule_fails_unless_allowed(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        '[[rule]]\nid = "few"\nkind = "limit"\nmessage = "m"\nmax_redirects = 5\n',
        cast="product-tem",
    )
    result = run_cli("check", STRIPE, "--policy", policy)
    assert result.code == 1
    assert "FAIL" in result.out and "0 rules" in result.out
    assert "no policy rule applies to this run (cast 'product-team'): nothing was checked" in result.out
    assert run_cli("check", STRIPE, "--policy", policy, "--allow-empty").code == 0
    junit = tmp_path / "r.xml"
    run_cli("check", STRIPE, "--policy", policy, "--junit", junit)
    assert 'name="policy coverage"' in junit.read_text(encoding="utf-8")


def test_check_in_a_users_repository_uses_its_policies_folder(tmp_path: Path) -> None:
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    scenario = tmp_path / "scenarios" / "role-boundary-violation.toml"
    # Its [expect] names rules of the shipped policy, which this repository does not use.
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text[: text.index("[expect]")], encoding="utf-8")
    (tmp_path / "policies").mkdir()
    _policy(
        tmp_path / "policies",
        '[[rule]]\nid = "few-redirects"\nkind = "limit"\nmessage = "m"\nmax_redirects = 0\n',
        name="team.toml",
    )
    result = run_cli("check", "scenarios/role-boundary-violation.toml", cwd=tmp_path)
    assert result.out.splitlines()[0] == "Policies: policies/team.toml (1 rule, cast product-team)"
    assert "few-redirects" in result.out and result.code == 1


def test_expected_findings_make_a_catching_fixture_pass(tmp_path: Path) -> None:
    junit = tmp_path / "r.xml"
    result = run_cli("check", FIXTURES / "policy-catches-unenforced.toml", "--junit", junit)
    assert result.code == 0, result.out
    assert "expected: sam performed backend.server-actions work" in junit.read_text(encoding="utf-8")
    assert "3 expected findings" in result.out and "expected sam-no-server-actions" in result.out


def test_an_expected_finding_that_does_not_happen_fails(tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    text = (FIXTURES / "policy-catches-unenforced.toml").read_text(encoding="utf-8")
    scenario.write_text(text.replace('attempted_by = "sam"\n', ""), encoding="utf-8")
    result = run_cli("check", scenario, "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)[0]
    failed = [e["name"] for e in data["expectations"] if not e["passed"]]
    assert "finding sam-no-server-actions reported" in failed


def test_gate_requires_only_the_work_planned_before_the_gated_task(tmp_path: Path) -> None:
    """Smoke tests after the deployment are not a condition of the deployment."""
    scenario = tmp_path / "deploy.toml"
    scenario.write_text(
        'name = "deploy"\ntitle = "Deploy then smoke-test"\nrequest = "Ship it"\ncast = "product-team"\n\n'
        '[[phase]]\nid = "ship"\ntitle = "Ship"\nmode = "sequential"\n\n'
        '[[task]]\nid = "tests"\nphase = "ship"\ncapability = "qa.testing"\nsummary = "Run the suite"\n'
        "expected_time = 30\n\n"
        '[[task]]\nid = "review"\nphase = "ship"\ncapability = "security.review"\nsummary = "Review"\n'
        "expected_time = 30\n\n"
        '[[task]]\nid = "deploy"\nphase = "ship"\ncapability = "devops.deploy"\nsummary = "Deploy"\n'
        "expected_time = 30\n\n"
        '[[task]]\nid = "smoke"\nphase = "ship"\ncapability = "qa.testing"\nsummary = "Smoke-test production"\n'
        "expected_time = 15\n",
        encoding="utf-8",
    )
    policy = _policy(
        tmp_path,
        '[[rule]]\nid = "gate"\nkind = "gate"\nmessage = "m"\nbefore_capability = "devops.deploy"\n'
        'requires = ["qa.testing", "security.review"]\n',
    )
    result = run_cli("check", scenario, "--policy", policy)
    assert result.code == 0, result.out


def test_min_speedup_uses_the_one_defined_speedup(tmp_path: Path) -> None:
    """Failed attempts add work done but never speed: planned work / makespan is the figure."""
    scenario = tmp_path / "fallback.toml"
    text = (SCENARIOS / "fallback-escalation.toml").read_text(encoding="utf-8")
    scenario.write_text(text.replace("[expect]\n", "[expect]\nmin_speedup = 0.9\n", 1), encoding="utf-8")
    result = run_cli("check", scenario, "--format", "json")
    assert result.code == 1
    failed = [e for e in json.loads(result.out)[0]["expectations"] if not e["passed"]]
    assert failed and failed[0]["name"] == "speed-up at least 0.90x" and "0.30x" in failed[0]["detail"]


def test_an_expected_rule_id_that_no_policy_has_is_bad_input(tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    text = STRIPE.read_text(encoding="utf-8").replace('no_findings = ["*"]', 'no_findings = ["declared-rotes"]')
    scenario.write_text(text, encoding="utf-8")
    result = run_cli("check", scenario)
    assert result.code == 2
    assert "expect.no_findings[0]: no applied policy rule 'declared-rotes'; did you mean 'declared-routes'?" in (
        result.err
    )


def test_a_gate_on_a_misspelt_phase_is_bad_input(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        '[[rule]]\nid = "gate"\nkind = "gate"\nmessage = "m"\nbefore_phase = "deploymnt"\nrequires_go = true\n',
    )
    result = run_cli("check", STRIPE, "--policy", policy)
    assert result.code == 2
    assert f"{policy}:8: rule[0].before_phase: no phase 'deploymnt' in this run; did you mean 'deployment'?" in (
        result.err
    )
