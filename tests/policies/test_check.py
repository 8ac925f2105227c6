"""rolecall check, the policy rules, expectations, JUnit output and the pytest plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from rolecall import InputError
from rolecall.policies import load_policy
from tests.conftest import ROOT, SCENARIOS, run_cli

FIXTURES = ROOT / "tests" / "fixtures"


def test_shipped_library_passes_the_shipped_policies() -> None:
    result = run_cli("check", SCENARIOS)
    assert result.code == 0, result.out
    assert f"{len(list(SCENARIOS.glob('*.toml')))} passed, 0 failed" in result.out


@pytest.mark.parametrize(
    ("fixture", "rule", "personas", "seq"),
    [
        ("boundary-unenforced", "sam-no-server-actions", "personas sam", "event #5"),
        ("route-outside", "declared-routes", "personas sam, taylor", "event #7"),
        ("deploy-before-review", "security-review-before-deploy", "personas casey", "event #16"),
    ],
)
def test_broken_scenarios_fail_naming_rule_personas_and_event(fixture: str, rule: str, personas: str, seq: str) -> None:
    result = run_cli("check", FIXTURES / f"{fixture}.toml")
    assert result.code == 1
    block = result.out[result.out.index(f"error   {rule}:") :]
    assert personas in block.split("\n")[2] and seq in block.split("\n")[2]
    assert "transcript line" in block.split("\n")[2]


def test_saved_events_are_checked_like_a_replay(tmp_path: Path) -> None:
    run_cli("replay", FIXTURES / "boundary-unenforced.toml", "-o", tmp_path)
    from_events = run_cli("check", tmp_path / "events.jsonl", "--format", "json")
    from_scenario = run_cli("check", FIXTURES / "boundary-unenforced.toml", "--format", "json")
    assert from_events.code == from_scenario.code == 1
    findings = json.loads(from_events.out)[0]["findings"]
    assert findings == json.loads(from_scenario.out)[0]["findings"]
    assert {f["rule"] for f in findings} == {"sam-no-server-actions", "frontend-stays-frontend", "owners-only"}


def test_expectations_pass_and_fail(tmp_path: Path) -> None:
    data = json.loads(run_cli("check", SCENARIOS / "role-boundary-violation.toml", "--format", "json").out)[0]
    names = {e["name"]: e["passed"] for e in data["expectations"]}
    assert names["redirect sam -> morgan on create-user-action"] is True
    scenario = tmp_path / "s.toml"
    text = (SCENARIOS / "role-boundary-violation.toml").read_text(encoding="utf-8")
    scenario.write_text(text.replace('from = "sam", to = "morgan"', 'from = "sam", to = "taylor"'), encoding="utf-8")
    result = run_cli("check", scenario)
    assert result.code == 1
    assert "expect  redirect sam -> taylor on create-user-action: redirects seen: sam -> morgan" in result.out


def test_junit_lists_every_check(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    run_cli("check", SCENARIOS / "stripe-subscription.toml", FIXTURES / "route-outside.toml", "--junit", junit)
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 2
    total = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(c.find("failure") is not None for c in cases)
        assert all(c.get("classname") and c.get("name") for c in cases)
        total += len(cases)
    assert int(root.get("tests", "-1")) == total
    stripe = [c.get("name") for c in suites[0].findall("testcase")]
    assert "rule declared-routes" in stripe and "expect outcome is completed" in stripe
    failed = suites[1].find("testcase[@name='rule declared-routes']/failure")
    assert failed is not None and "sam -> taylor" in (failed.text or "")


def test_bad_policy_files_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text(
        'name = "p"\n\n[[rule]]\nid = "r"\nkind = "route"\nmessage = "m"\n'
        'allow = ["sam to morgan", "kai -> sam", "x"]\n\n'
        '[[rule]]\nid = "r"\nkind = "limit"\nmessage = "m"\nmax_redirect = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_policy(bad)
    joined = "\n".join(str(p) for p in info.value.problems)
    assert "p.toml:7: rule[0].allow[0]: 'sam to morgan' is not a route" in joined
    assert "p.toml:7: rule[0].allow[2]: 'x' is not a route" in joined, "every bad entry is reported, not the first"
    assert "rule[1].id: rule id 'r' is also used by rule[0]" in joined, "duplicates come out with the other problems"
    assert "p.toml:13: rule[1].max_redirect: unknown key 'max_redirect'; did you mean 'max_redirects'?" in joined
    result = run_cli("check", SCENARIOS / "stripe-subscription.toml", "--policy", bad)
    assert result.code == 2 and "Traceback" not in result.err


def test_policy_schema_accepts_shipped_policies() -> None:
    import tomllib

    import jsonschema

    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    for path in sorted((ROOT / "policies").glob("*.toml")):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)
        load_policy(path)


def _pytest(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=300, check=False,
    )  # fmt: skip


def test_pytest_plugin_collects_one_item_per_scenario(tmp_path: Path) -> None:
    proc = _pytest("--rolecall", SCENARIOS, "-q", cwd=tmp_path)
    count = len(list(SCENARIOS.glob("*.toml")))
    assert proc.returncode == 0, proc.stdout
    assert f"{count} passed" in proc.stdout


def test_pytest_plugin_failure_shows_the_transcript_excerpt(tmp_path: Path) -> None:
    proc = _pytest("--rolecall", FIXTURES / "boundary-unenforced.toml", "-q", cwd=tmp_path)
    assert proc.returncode == 1
    assert "rule sam-no-server-actions [error]" in proc.stdout
    assert ">>    32 |" in proc.stdout and "Sam" in proc.stdout


def test_pytest_plugin_is_off_by_default(tmp_path: Path) -> None:
    proc = _pytest(SCENARIOS, "-q", cwd=tmp_path)
    assert "no tests ran" in proc.stdout


def test_replay_golden_compare_and_update(tmp_path: Path) -> None:
    scenario = SCENARIOS / "role-boundary-violation.toml"
    assert run_cli("replay", scenario, "--golden", tmp_path).code == 1
    assert run_cli("replay", scenario, "--golden", tmp_path, "--update-golden").code == 0
    assert run_cli("replay", scenario, "--golden", tmp_path).code == 0
    golden = tmp_path / "role-boundary-violation.md"
    golden.write_text(golden.read_text(encoding="utf-8").replace("STOP:", "HALT:"), encoding="utf-8")
    changed = run_cli("replay", scenario, "--golden", tmp_path)
    assert changed.code == 1 and "-> HALT: Sam" in changed.out and "+> STOP: Sam" in changed.out


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('kind = "limit"', "a limit rule needs max_redirects, max_ping_pong, max_review_rounds or max_makespan"),
        ('kind = "route"', "a route rule needs allow or forbid"),
        ('kind = "order"\ncapability = "*"', "an order rule needs after or before"),
        (
            'kind = "gate"\nbefore_phase = "build"',
            "a gate rule needs requires, requires_tasks, requires_approval or requires_go",
        ),
    ],
    ids=["limit", "route", "order", "gate"],
)
def test_a_rule_that_would_check_nothing_is_refused(tmp_path: Path, rule: str, message: str) -> None:
    """A rule with nothing to check would count as checking a run, and pass it: refused when read."""
    path = tmp_path / "p.toml"
    path.write_text(f'name = "p"\n\n[[rule]]\nid = "r1"\nmessage = "m"\n{rule}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:3: rule[0]: {message}"]


def _scenario_tree(root: Path) -> dict[str, Path]:
    """A project where scenarios hide in every way a literal search for '[[task]]' would miss."""
    stripe = (SCENARIOS / "stripe-subscription.toml").read_text(encoding="utf-8")
    breaks = (FIXTURES / "boundary-unenforced.toml").read_text(encoding="utf-8")
    breaks = breaks.replace('cast = "product-team"', f'cast = "{ROOT / "roles" / "product-team"}"')
    files = {
        "top": root / "scenarios" / "stripe.toml",
        "spaced": root / "scenarios" / "payments" / "spaced.toml",
        "broken": root / "scenarios" / "payments" / "broken.toml",
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    files["top"].write_text(stripe.replace('cast = "product-team"', f'cast = "{ROOT / "roles" / "product-team"}"'))
    files["spaced"].write_text(breaks.replace("[[task]]", "[[ task ]]").replace("[[phase]]", "[[ phase ]]"))
    files["broken"].write_text('name = "broken"\n[[phase]\nid = "x"\n')
    # Not scenarios: a policy, a cast manifest's neighbour, and a hidden folder's copy.
    (root / "scenarios" / "policy.toml").write_text('name = "p"\n\n[[rule]]\nid = "r"\n')
    (root / "scenarios" / ".old").mkdir()
    (root / "scenarios" / ".old" / "stale.toml").write_text(stripe)
    return files


def test_check_finds_every_scenario_below_a_folder_as_pytest_does(tmp_path: Path) -> None:
    files = _scenario_tree(tmp_path)
    result = run_cli("check", "scenarios", cwd=tmp_path)
    assert result.code == 2 and f"{files['broken'].relative_to(tmp_path)}:2:" in result.err, result.err
    files["broken"].unlink()
    result = run_cli("check", "scenarios", cwd=tmp_path)
    assert result.code == 1, result.out  # the spaced one, two folders down, breaks a rule
    assert "FAIL scenarios/payments/spaced.toml" in result.out and "PASS scenarios/stripe.toml" in result.out
    assert "stale" not in result.out and "policy.toml" not in result.out + result.err

    proc = _pytest("--rolecall", "scenarios", "-q", cwd=tmp_path)
    assert proc.returncode == 1 and "1 failed, 1 passed" in proc.stdout, proc.stdout


def test_pytest_plugin_fails_a_scenario_that_does_not_parse(tmp_path: Path) -> None:
    files = _scenario_tree(tmp_path)
    files["spaced"].unlink()
    proc = _pytest("--rolecall", "scenarios", "-q", cwd=tmp_path)
    assert proc.returncode == 1 and "1 failed, 1 passed" in proc.stdout, proc.stdout
    assert "broken.toml:2" in proc.stdout


def test_check_without_targets_or_a_scenarios_folder_checks_nothing_and_says_so(tmp_path: Path) -> None:
    result = run_cli("check", cwd=tmp_path)
    assert result.code == 2 and "nothing to check: there is no scenarios folder here" in result.err
