"""Bad input never ends in a traceback: one clear line per problem, file, line and field, exit 2."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rolecall.cli import main
from tests.conftest import ROOT, SCENARIOS, Result, run_cli

STRIPE = SCENARIOS / "stripe-subscription.toml"


def run(*args: str | Path) -> Result:
    """The CLI in-process: fast enough to try many inputs, same code path as the command."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def scenario_with(tmp_path: Path, old: str, new: str, source: Path = STRIPE) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def events_of(tmp_path: Path, scenario: Path = STRIPE) -> list[dict[str, Any]]:
    folder = tmp_path / "run"
    assert run("replay", scenario, "-o", folder, "--events-only").code == 0
    return [json.loads(line) for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def write_events(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def plan_text(tmp_path: Path, text: str) -> tuple[Path, Result]:
    """``rolecall plan`` of a scenario file holding ``text``."""
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path, run("plan", path)


# -- output paths ------------------------------------------------------------------------------


def test_replay_into_an_existing_file_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "existing-file"
    target.write_text("keep me", encoding="utf-8")
    result = run_cli("replay", STRIPE, "-o", target)
    assert result.code == 2
    assert result.err.strip() == f"rolecall: error: -o {target}: is a file"
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing-file"]


def test_a_destination_file_that_is_a_folder_stops_the_replay_before_any_file_is_written(tmp_path: Path) -> None:
    (tmp_path / "transcript.html").mkdir()
    (tmp_path / "events.jsonl").write_text("keep me", encoding="utf-8")
    result = run("replay", STRIPE, "-o", tmp_path)
    assert result.code == 2
    assert result.err == f"rolecall: error: output {tmp_path / 'transcript.html'}: is a folder; expected a file path\n"
    assert (tmp_path / "events.jsonl").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "transcript.md").exists()


def test_replay_into_proc_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("replay", STRIPE, "-o", "/proc/x")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "-o /proc/x" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("option", "make"),
    [
        ("-o", lambda t: t / "file" / "inside"),  # a path inside a file
        ("--golden", lambda t: t / "file"),  # a file where a folder is expected
    ],
)
def test_output_folder_below_or_at_a_file(tmp_path: Path, option: str, make: Callable[[Path], Path]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = make(tmp_path)
    extra = ["--update-golden"] if option == "--golden" else []
    result = run("replay", STRIPE, option, target, *extra)
    assert result.code == 2
    assert str(tmp_path / "file") in result.err and "Traceback" not in result.err
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


def test_missing_output_folders_are_created(tmp_path: Path) -> None:
    result = run("replay", STRIPE, "-o", tmp_path / "a" / "b", "--events-only")
    assert result.code == 0
    assert (tmp_path / "a" / "b" / "events.jsonl").is_file()


def test_junit_into_a_folder_is_a_usage_error_before_any_check(tmp_path: Path) -> None:
    folder = tmp_path / "some" / "dir"
    folder.mkdir(parents=True)
    result = run_cli("check", STRIPE, "--junit", f"{folder}/")
    assert result.code == 2
    assert result.out == "", "nothing is checked or printed before the destination is known to be good"
    assert "expected a file path" in result.err and result.err.count("\n") == 1
    assert list(folder.iterdir()) == []


def test_a_read_only_destination_is_reported(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/self/rolecall-out")  # even root cannot create files in /proc
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "out"
    result = run("replay", STRIPE, "-o", target, "--events-only")
    assert result.code == 2 and "cannot write" in result.err


def test_sigkill_during_replay_leaves_no_file_or_a_whole_one(tmp_path: Path) -> None:
    """Writes are atomic: kill the process at several moments and look at what is left."""
    reference = tmp_path / "reference"
    assert run("replay", STRIPE, "-o", reference).code == 0
    whole = {name: (reference / name).read_bytes() for name in ("events.jsonl", "transcript.md", "transcript.html")}
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for delay in (0.05, 0.15, 0.3, 0.6):
        out = tmp_path / f"killed-{delay}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "rolecall", "replay", str(STRIPE), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            for path in out.iterdir():
                if path.name.startswith("."):
                    continue  # an abandoned temporary file, never read as output
                assert path.read_bytes() == whole[path.name], f"{path} is half-written"


# -- reading -----------------------------------------------------------------------------------


def test_deeply_nested_toml_is_an_input_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("name = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = run("plan", deep)
    assert result.code == 2 and str(deep) in result.err and "Traceback" not in result.err
    deep.write_text("x = " + "[" * 60 + "1" + "]" * 60 + "\n", encoding="utf-8")
    result = run("plan", deep)
    assert result.code == 2 and "nested more than 32 levels deep" in result.err


def test_non_utf8_template_golden_and_report_are_input_errors(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "redirect.md").write_bytes(b"STOP: \xff\xfe {violator}\n")
    result = run("replay", STRIPE, "--templates", templates)
    assert result.code == 2
    assert f"{templates / 'redirect.md'}:1: not UTF-8 text (bad byte 0xff at offset 6)" in result.err

    golden = tmp_path / "golden"
    golden.mkdir()
    (golden / "stripe-subscription.md").write_bytes(b"# Stripe\n\xc3\x28\n")
    result = run("replay", STRIPE, "--golden", golden)
    assert result.code == 2 and f"{golden / 'stripe-subscription.md'}:2: not UTF-8 text" in result.err

    answer = tmp_path / "answer.txt"
    answer.write_bytes(b"=== ORCHESTRATOR REPORT ===\n\x80\n")
    result = run("parse-report", answer)
    assert result.code == 2 and f"{answer}:2: not UTF-8 text" in result.err


def test_non_utf8_on_standard_input() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rolecall", "parse-report", "-"],
        input=b"\xff\xfe answer",
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert b"<stdin>:1: not UTF-8 text" in proc.stderr and b"Traceback" not in proc.stderr


def test_symlink_loops_nul_bytes_and_folders_as_input(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(tmp_path / "loop.toml")
    result = run("plan", loop)
    assert result.code == 2 and f"{loop}: too many levels of symbolic links" in result.err
    result = run("render", "events\x00.jsonl")
    assert result.code == 2 and "NUL byte" in result.err
    result = run("render", tmp_path)
    assert result.code == 2 and f"{tmp_path}: is a folder; expected an events file (events.jsonl)" in result.err
    result = run("check", loop)
    assert result.code == 2 and "symbolic links" in result.err


def test_a_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "events.jsonl"
    os.mkfifo(fifo)
    result = run("render", fifo)
    assert result.code == 2 and "not a regular file" in result.err


@pytest.mark.parametrize("name", ["Product Team!", "../../etc", "a\x00b", "~root"])
def test_cast_names_that_are_not_names(name: str) -> None:
    result = run("roles", "list", "--cast", name)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.count("\n") <= 2


# -- strict values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            'cast = "product-team"',
            'cast = "product-team"\nenforce_boundaries = "no"',
            "enforce_boundaries",
            'expected true or false, got the text "no"; write false without quotes',
        ),
        (
            'cast = "product-team"',
            'cast = "product-team"\nmax_attempts = 2.0',
            "max_attempts",
            "expected a whole number, got 2.0; write 2",
        ),
    ],
)
def test_values_are_never_coerced(tmp_path: Path, old: str, new: str, field: str, message: str) -> None:
    path = scenario_with(tmp_path, old, new)
    result = run_cli("plan", path)
    assert result.code == 2
    assert f"error: {path}:{line_of(path, field + ' =')}: {field}: {message}" in result.err


def test_stream_yes_and_fails_float_are_rejected(tmp_path: Path) -> None:
    source = SCENARIOS / "user-management.toml"
    text = source.read_text(encoding="utf-8")
    assert "stream = true" in text
    path = tmp_path / "s.toml"
    path.write_text(text.replace("stream = true", 'stream = "yes"', 1), encoding="utf-8")
    result = run("plan", path)
    assert result.code == 2 and 'expected true or false, got the text "yes"' in result.err
    path = scenario_with(tmp_path, 'id = "design-stripe"', 'id = "design-stripe"\nfails = 1.0')
    result = run("plan", path)
    assert result.code == 2 and "fails: expected a whole number, got 1.0; write 1" in result.err


# -- messages that hit their mark --------------------------------------------------------------


def test_unknown_key_in_an_inline_table_points_at_its_line(tmp_path: Path) -> None:
    path, result = plan_text(
        tmp_path,
        'name = "s"\ntitle = "t"\nrequest = "r"\n\n[[phase]]\nid = "p"\ntitle = "P"\n\n'
        '[[task]]\nid = "a"\nphase = "p"\ncapability = "backend.server-actions"\nsummary = "s"\n'
        "expected_time = 10\n"
        'review = { reviewer = "riley",\n  verdicts = ["approved"], Max_Rounds = 2 }\n',
    )
    assert result.code == 2
    assert f"{path}:16: task[0].review.Max_Rounds: unknown key 'Max_Rounds'; did you mean 'max_rounds'?" in result.err


def test_capitalised_key_in_a_nested_table_keeps_its_path(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, "[gate]", '[gate]\nVerifier = "reese"')
    result = run("plan", path)
    assert f"{path}:{line_of(path, 'Verifier')}: gate.Verifier: unknown key 'Verifier'" in result.err


def test_duplicate_task_ids_are_reported_at_the_repeat(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'id = "design-subscription-schema"', 'id = "design-stripe"')
    result = run("plan", path)
    assert result.code == 2
    repeat = [
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == 'id = "design-stripe"'
    ]
    assert f"{path}:{repeat[1]}: task[2].id: task id 'design-stripe' is already declared at task[0].id" in result.err


def test_duplicate_handles_and_capabilities_name_their_field(product_team: Path) -> None:
    quinn = product_team / "quinn.toml"
    quinn.write_text(quinn.read_text(encoding="utf-8").replace('handle = "@qa"', 'handle = "@backend"'))
    cast = product_team / "cast.toml"
    cast.write_text(
        cast.read_text(encoding="utf-8") + '\n[[capability]]\nid = "qa.testing"\ndescription = "again"\n',
        encoding="utf-8",
    )
    result = run("roles", "validate", product_team)
    assert result.code == 2
    assert "quinn.toml:" in result.err and "handle: handle '@backend' is also used by morgan" in result.err
    assert "capability[" in result.err and "capability 'qa.testing' is already declared at capability[" in result.err


def test_pydantic_words_never_reach_the_user(tmp_path: Path) -> None:
    path = scenario_with(
        tmp_path,
        'env_vars = ["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]',
        'env_vars = "SMS_API_KEY"',
    )
    result = run("plan", path)
    assert result.code == 2
    assert (
        'environment.env_vars: expected a list [...], got the text "SMS_API_KEY"; write ["SMS_API_KEY"]' in result.err
    )
    for words in ("Input should", "valid tuple", "after validation", "^[a-z", "Input tag"):
        assert words not in result.err


def test_ids_are_explained_in_words_with_a_suggestion(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'id = "design-stripe"', 'id = "Design Stripe"')
    result = run("plan", path)
    assert (
        "task[0].id: expected an id: lower-case letters, digits, '-' and '_', starting with a letter or digit, "
        "got the text \"Design Stripe\"; did you mean 'design-stripe'?"
    ) in result.err


def test_unknown_rule_kind_has_a_did_you_mean(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text(
        'name = "p"\n[[rule]]\nid = "r"\nkind = "boundry"\nmessage = "m"\npersona = "sam"\ncapability = "x"\n',
        encoding="utf-8",
    )
    result = run("check", STRIPE, "--policy", policy)
    assert result.code == 2
    assert f"{policy}:4: rule[0].kind: unknown kind 'boundry'; did you mean 'boundary'?" in result.err
    assert "Input tag" not in result.err


def test_unterminated_string_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "s"\ntitle = """never closed\nrequest = "r"\n', encoding="utf-8")
    result = run("plan", path)
    assert result.code == 2 and f"{path}:2: TOML syntax error" in result.err


def test_problems_of_cast_files_come_out_together(product_team: Path) -> None:
    (product_team / "cast.toml").write_text(
        (product_team / "cast.toml").read_text(encoding="utf-8").replace('name = "product-team"', "name = 3"),
        encoding="utf-8",
    )
    sam = product_team / "sam.toml"
    sam.write_text(sam.read_text(encoding="utf-8") + '\ncolour = "blue"\n', encoding="utf-8")
    morgan = product_team / "morgan.toml"
    morgan.write_text(morgan.read_text(encoding="utf-8").replace('hand_to = "taylor"', 'hand_to = "tay"', 1))
    result = run("roles", "validate", product_team)
    assert "hand_to: no persona 'tay' in this cast; did you mean 'taylor'? known:" in result.err, result.err
    cast = product_team / "cast.toml"
    assert f"{cast}:{line_of(cast, 'name = 3')}: name: expected text in quotes, got 3" in result.err
    assert "sam.toml" in result.err and "unknown key 'colour'" in result.err


def test_a_persona_with_a_wrong_value_has_its_references_checked_in_the_same_run(product_team: Path) -> None:
    sam = product_team / "sam.toml"
    text = sam.read_text(encoding="utf-8")
    text = text.replace("capacity = 1", 'capacity = "two"').replace('hand_to = "taylor"', 'hand_to = "tay"')
    text = text.replace('hands_to = ["morgan", "quinn"]', 'hands_to = ["morgan", "quin"]')
    sam.write_text(text.replace('capability = "backend.api-routes"', 'capability = "Backend API"'), encoding="utf-8")
    result = run("roles", "validate", product_team)
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 4 and all(line.startswith(f"error: {sam}:") for line in errors), result.err
    said = {line.split(": ", 3)[2]: line.split(": ", 3)[3] for line in errors}
    assert said["capacity"] == 'expected a whole number, got the text "two"'
    assert said["never[1].capability"].startswith("expected a capability id")
    assert said["hands_to[1]"].startswith("no persona 'quin' in this cast; did you mean 'quinn'?")
    assert said["never[5].hand_to"].startswith("no persona 'tay' in this cast; did you mean 'taylor'?")


def test_what_a_broken_persona_file_stands_in_for_is_never_reported(product_team: Path) -> None:
    # Every required value wrong or missing: the stand-ins must not show up in any message.
    sam = product_team / "sam.toml"
    text = sam.read_text(encoding="utf-8").replace('handle = "@frontend"', 'handle = "frontend"')
    text = text.replace('name = "Sam"\n', "").replace('role = "Builds', 'rolle = "Builds')
    text = text.replace('hand_to = "morgan"', "hand_to = 7", 1).replace('capability = "frontend.ui"', "capability = 1")
    sam.write_text(text.replace('id = "sam"', 'id = "Sam"'), encoding="utf-8")
    result = run("roles", "validate", product_team)
    assert result.code == 2
    fields = [line.split(": ", 3)[2] for line in result.err.splitlines() if line.startswith("error:")]
    assert sorted(fields) == sorted(
        ["id", "name", "handle", "prose.role", "prose.rolle", "owns[0].capability", "never[0].hand_to"]
    ), result.err
    for stand_in in ("set-aside", "owned by", "also used by", "must match the file name"):
        assert stand_in not in result.err


def test_durations_are_accepted_everywhere(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, "min_speedup = 1.5", 'min_speedup = 1.5\nmax_makespan = "9h"')
    assert run("check", path).code == 0
    policy = tmp_path / "limits.toml"
    policy.write_text(
        'name = "limits"\ncast = "product-team"\n[[rule]]\nid = "fast"\nkind = "limit"\nmessage = "too slow"\n'
        'max_makespan = "1h30m"\n',
        encoding="utf-8",
    )
    result = run("check", STRIPE, "--policy", policy)
    assert result.code == 1 and "fast" in result.out, "the 90-minute limit applies to a 4h 35m run"


def test_template_errors_name_their_file(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "redirect.md").write_text("STOP: {violater} }\n", encoding="utf-8")
    result = run("replay", STRIPE, "--templates", templates)
    assert result.code == 2
    problems = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert problems and all(str(templates / "redirect.md") in line for line in problems)


# -- event streams that do not hang together -----------------------------------------------------


def test_handoff_naming_an_unknown_task_is_exit_2_with_its_line(tmp_path: Path) -> None:
    events = events_of(tmp_path)
    index = next(i for i, e in enumerate(events) if e["kind"] == "handoff")
    events[index]["deliverables"] = ["no-such-task"]
    path = write_events(tmp_path / "events.jsonl", events)
    result = run_cli("render", path)
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines()[0] == (
        f"error: {path}:{index + 1}: deliverables[0]: task 'no-such-task' is not in run_started's plan"
    )


@pytest.mark.parametrize("command", ["render", "report", "check"])
def test_a_key_given_twice_is_exit_2_with_its_line(tmp_path: Path, command: str) -> None:
    # JSON readers keep the last value of a repeated key and other tools may keep the first:
    # such a line means two things, so it is read as neither.
    events = events_of(tmp_path)
    lines = [json.dumps(e) for e in events]  # spaced, unlike rolecall's own lines: the exact check runs
    spaced = tmp_path / "spaced.jsonl"
    spaced.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert run(command, spaced).code in (0, 1)  # a valid stream in another layout is not suspected
    finished = next(i for i, e in enumerate(events) if e["kind"] == "task_finished")
    lines[finished] = lines[finished].replace('"persona": ', '"persona": "nobody", "persona": ', 1)
    lines[0] = lines[0].replace('"handle": ', '"handle": "@x", "handle": ', 1)  # inside run_started's personas
    path = tmp_path / "events.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    result = run(command, path)
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines()[:2] == [
        f"error: {path}:1: the key 'handle' is given twice in one object",
        f"error: {path}:{finished + 1}: the key 'persona' is given twice in one object",
    ]


@pytest.mark.parametrize("command", ["render", "report", "check"])
def test_incoherent_streams_never_reach_a_renderer(tmp_path: Path, command: str) -> None:
    events = events_of(tmp_path)
    broken = {
        "persona": [*events[:3], {**events[3], "actor": "nobody"}, *events[4:]],
        "gap": [*events[:5], *events[6:]],
        "after-end": [*events, {**events[-1], "seq": len(events)}],
        "no-end": events[:-1],
        "odd-start": [{**events[0], "phase_titles": [], "tasks": -1}, *events[1:]],
        "headless": events[1:],
    }
    for name, stream in broken.items():
        path = write_events(tmp_path / f"{name}.jsonl", stream)
        result = run(command, path)
        assert result.code == 2, (name, result.err)
        assert "Traceback" not in result.err and str(path) in result.err, name


def test_crafted_ids_cannot_inject_html(tmp_path: Path) -> None:
    events = events_of(tmp_path)
    events[0]["personas"][0]["id"] = '"><script>alert(1)</script>'
    path = write_events(tmp_path / "events.jsonl", events)
    result = run("render", path, "--format", "html")
    assert result.code == 2 and "<script>" not in result.out
    assert "personas[0].id: expected an id" in result.err


def test_names_with_markup_are_escaped_in_the_page(tmp_path: Path, product_team: Path) -> None:
    sam = product_team / "sam.toml"
    sam.write_text(sam.read_text(encoding="utf-8").replace('name = "Sam"', 'name = "Sam<script>x()</script>"'))
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        (SCENARIOS / "role-boundary-violation.toml")
        .read_text(encoding="utf-8")
        .replace('cast = "product-team"', f'cast = "{product_team}"'),
        encoding="utf-8",
    )
    result = run("replay", scenario, "--format", "html")
    assert "<script>x()" not in result.out and "Sam&lt;script&gt;x()" in result.out


def test_control_characters_stay_on_one_line(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'id = "design-stripe"', 'id = "a\\nb"')
    result = run("plan", path)
    problems = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert any("\\n" in line and "task[0].id" in line for line in problems)


def test_empty_and_huge_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert "file is empty" in run("plan", empty).err
    copy = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, copy)
    empty_events = tmp_path / "none.jsonl"
    empty_events.write_text("\n\n", encoding="utf-8")
    result = run("render", empty_events)
    assert result.code == 2 and "no events: the file is empty" in result.err


def test_a_failed_run_renders_again_from_its_saved_stream(tmp_path: Path) -> None:
    """A coherent stream may end with phases unfinished: the run failed before their tasks."""
    source = SCENARIOS / "fallback-escalation.toml"
    scenario = scenario_with(tmp_path, "fails = 4", "fails = 99", source)
    # The review moves into the failing task's phase, so that phase never finishes.
    text = scenario.read_text(encoding="utf-8").replace('phase = "review"', 'phase = "implementation"')
    scenario.write_text(text, encoding="utf-8")
    assert run("replay", scenario, "-o", tmp_path / "out").code == 1
    for command in ("render", "report", "check"):
        result = run(command, tmp_path / "out" / "events.jsonl")
        assert result.code in (0, 1) and "Traceback" not in result.err, (command, result.err)


def test_a_scenario_naming_a_missing_cast_folder_is_reported_at_its_cast_line(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'cast = "product-team"', 'cast = "./no-such-cast"')
    result = run("plan", path)
    assert result.code == 2
    where = f"{path}:{line_of(path, 'cast = ')}: cast:"
    assert f"{where} cast './no-such-cast': no cast folder with cast.toml" in result.err


def test_many_dangling_references_are_reported_in_linear_time(tmp_path: Path) -> None:
    """Each one is reported with its line; hints stay bounded so the report is not quadratic."""
    lines = ['name = "big"', 'title = "t"', 'request = "r"', "", "[[phase]]", 'id = "p"', 'title = "P"', ""]
    for i in range(3000):
        lines += ["[[task]]", f'id = "t{i}"', 'phase = "p"', 'capability = "backend.server-actions"']
        lines += ['summary = "s"', "expected_time = 1", f'depends_on = ["x{i}"]', ""]
    path = tmp_path / "big.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run("plan", path)
    assert result.code == 2 and "3000 problems found" in result.err
    assert f"{path}:{8 * 2999 + 15}: task[2999].depends_on[0]: unknown task 'x2999'" in result.err


def test_a_toml_file_given_as_events_is_one_message() -> None:
    result = run("render", STRIPE)
    assert result.code == 2
    assert result.err.splitlines()[0].startswith(f"error: {STRIPE}:")
    assert "not an events file" in result.err and "1 problem found" in result.err


@pytest.mark.parametrize(
    ("field", "value"),
    [("makespan", 100), ("finished", 3), ("sequential_time", 10), ("critical_time", 5), ("outcome", "failed")],
)
def test_a_summary_that_disagrees_with_the_events_is_refused(tmp_path: Path, field: str, value: object) -> None:
    """A hand-edited run_finished could claim any figure; the reader holds it against the events."""
    events = events_of(tmp_path)
    events[-1][field] = value
    path = write_events(tmp_path / "edited.jsonl", events)
    result = run("render", path, "--format", "summary")
    assert result.code == 2
    assert f"{path}:{len(events)}: {field}: run_finished says {field}" in result.err


def test_a_no_go_verdict_followed_by_work_is_refused(tmp_path: Path) -> None:
    events = events_of(tmp_path)
    verdict = next(e for e in events if e["kind"] == "gate_verdict")
    verdict["verdict"] = "NO-GO"
    path = write_events(tmp_path / "edited.jsonl", events)
    result = run("render", path)
    assert result.code == 2 and "the events say 'blocked_at_gate'" in result.err


def test_output_options_that_name_nothing_or_a_folder(tmp_path: Path) -> None:
    assert "-o needs a folder path" in run("replay", STRIPE, "-o", "").err
    result = run("check", STRIPE, "--junit", f"{tmp_path}/reports/")
    assert result.code == 2 and "expected a file path" in result.err
    assert not (tmp_path / "reports").exists(), "a trailing slash names a folder: nothing is written"


def test_validate_reports_every_folder_even_after_an_unknown_name(product_team: Path) -> None:
    result = run("roles", "validate", "no-such-cast", str(product_team))
    assert result.code == 2
    assert "unknown cast 'no-such-cast'" in result.err and f"ok: {product_team}" in result.out


def test_a_broken_persona_file_does_not_make_its_capabilities_look_unowned(product_team: Path) -> None:
    morgan = product_team / "morgan.toml"
    morgan.write_text(morgan.read_text(encoding="utf-8").replace("handle = ", "handel = ", 1), encoding="utf-8")
    sam = product_team / "sam.toml"
    # Whether Taylor may receive Sam's backend work cannot be known while Morgan's file is broken.
    sam.write_text(sam.read_text(encoding="utf-8").replace('hand_to = "morgan"', 'hand_to = "taylor"', 1))
    result = run("roles", "validate", str(product_team))
    assert "morgan.toml" in result.err
    assert "owned by: nobody" not in result.err


def test_check_of_a_cast_folder_says_what_it_is() -> None:
    result = run("check", ROOT / "roles" / "product-team")
    assert result.code == 2 and "a cast folder (it holds cast.toml), not scenarios" in result.err
    assert result.err.count("error:") == 1


def test_a_quoted_count_gets_a_hint(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'id = "design-stripe"', 'id = "design-stripe"\nfails = "3"')
    result = run("plan", path)
    assert 'fails: expected a whole number, got the text "3"; write 3 without quotes' in result.err


def test_every_spelling_of_minutes_is_a_duration(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'expected_time = "45m"', 'expected_time = "45 mins"')
    assert run("plan", path).code == 0


def test_render_streams_and_prints_nothing_when_a_late_line_is_bad(tmp_path: Path) -> None:
    """Views take the stream one event at a time; a problem anywhere still means no output at all."""
    from rolecall import cli
    from tests.conftest import SCENARIOS

    out = tmp_path / "run"
    assert cli.main(["replay", str(SCENARIOS / "stripe-subscription.toml"), "-o", str(out), "--events-only"]) == 0
    events = out / "events.jsonl"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines[-3] = lines[-3].replace('"seq":', '"seq":9', 1)
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        for fmt in ("md", "html", "summary", "jsonl"):
            assert cli.main(["render", str(events), "--format", fmt]) == 2
        assert cli.main(["report", str(events)]) == 2
    assert printed.getvalue() == ""


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (lambda checks, verdict: verdict.update(checked=99), "checked", "checked 99, but 6 gate_checked events"),
        (lambda checks, verdict: checks[3].update(ok=False), "verdict", "verdict GO with 1 failed checks"),
        (
            lambda checks, verdict: verdict.update(missing=["STRIPE_SECRET_KEY (env-var)"]),
            "missing",
            "missing ['STRIPE_SECRET_KEY (env-var)'], but the failed checks are []",
        ),
    ],
    ids=["count", "failed-check", "missing"],
)
def test_a_gate_verdict_that_disagrees_with_its_checks_is_refused(
    tmp_path: Path, edit: Callable[[list[dict[str, Any]], dict[str, Any]], None], field: str, message: str
) -> None:
    """A GO after a failed check would be a green verdict by mistake: the reader holds the verdict to its checks."""
    events = events_of(tmp_path)
    checks = [e for e in events if e["kind"] == "gate_checked"]
    verdict = next(e for e in events if e["kind"] == "gate_verdict")
    edit(checks, verdict)
    path = write_events(tmp_path / "edited.jsonl", events)
    for command in ("render", "check"):
        result = run(command, path)
        assert result.code == 2 and "Traceback" not in result.err, result.err
        line = events.index(next(e for e in events if e["kind"] == "gate_verdict")) + 1
        assert f"{path}:{line}: {field}: {message}" in result.err


def test_a_dependency_listed_twice_is_reported(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, 'depends_on = ["design-stripe"]', 'depends_on = ["design-stripe", "design-stripe"]')
    result = run("plan", path)
    assert result.code == 2
    assert "depends_on[1]: 'design-stripe' is listed twice" in result.err


def test_control_characters_from_a_file_never_reach_the_output_raw(tmp_path: Path) -> None:
    """An escape sequence in a summary is shown as U+FFFD: it never recolours or clears a terminal."""
    path = scenario_with(tmp_path, 'summary = "Design', 'summary = "\\u0000\\u001b[2J\\u009b31m Design')
    folder = tmp_path / "out"
    printed = run("replay", path, "-o", folder, "--format", "md")
    shown = run("replay", path)
    report = run("report", folder / "events.jsonl")
    told = [printed.out, shown.out] + [
        (folder / name).read_text(encoding="utf-8") for name in ("transcript.md", "transcript.html")
    ]
    for text in [*told, report.out]:
        assert not [c for c in text if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F]
    assert all("\ufffd\ufffd[2J\ufffd31m Design" in text for text in told)
    # The stream keeps the values as they were (JSON escapes C0 controls), and prints as it was saved.
    saved = (folder / "events.jsonl").read_text(encoding="utf-8")
    assert "\\u0000\\u001b[2J\u009b31m Design" in saved
    assert run("render", folder / "events.jsonl", "--format", "jsonl").out == saved


def test_a_full_standard_output_is_one_line_and_exit_2() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["replay", str(STRIPE)], ["roles", "list"], ["render", str(STRIPE), "--format", "md"]):
        with open("/dev/full", "w", encoding="utf-8") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "rolecall", *args], stdout=full, stderr=subprocess.PIPE, text=True, check=False
            )
        if args[0] == "render":
            assert proc.returncode == 2 and "Traceback" not in proc.stderr  # a TOML file is not events
            continue
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == "rolecall: error: cannot write to standard output: no space left on device\n"


def test_every_bad_target_of_a_check_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = scenario_with(tmp_path / "a", 'summary = "Design', "summary = 5 #")
    two = scenario_with(tmp_path / "b", 'expected_time = "', 'expected_time = "5x')
    events = write_events(tmp_path / "bad.jsonl", events_of(tmp_path)[1:])
    result = run("check", one, two, events)
    assert result.code == 2
    for path in (one, two, events):
        assert f"error: {path}:" in result.err, result.err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('name = "a"\ntitle = "x"\ntitle = "y"\n', ":3: title: TOML syntax error: 'title' is set twice"),
        ('name = "a"\n[gate]\ntime = 5\n[gate]\n', ":4: gate: TOML syntax error: the table [gate] is declared twice"),
        (
            'name = "a"\ntitle = [\n',
            ":3: TOML syntax error: Invalid value: the value of 'title' opened at line 2 is never closed (a ']'",
        ),
        (
            "a = [\n  1,\n  2,\n\nb = 3\n",
            ":5: TOML syntax error: Invalid value: the value of 'a' opened at line 1 is never closed (a ']'",
        ),
        (
            't = { x = 1\nname = "a"\n',
            ":2: TOML syntax error: Unclosed inline table: the value of 't' opened at line 1 is never closed (a '}'",
        ),
    ],
    ids=["key-twice", "table-twice", "open-at-end", "open-in-middle", "open-table"],
)
def test_toml_mistakes_point_at_the_line_and_the_key(tmp_path: Path, text: str, where: str) -> None:
    path, result = plan_text(tmp_path, text)
    assert result.code == 2 and f"error: {path}{where}" in result.err, result.err


def test_one_bracket_or_two_is_told_which(tmp_path: Path) -> None:
    """[phase] where [[phase]] is meant, and [[checkin.decision]] where [checkin.decision] is."""
    path, result = plan_text(
        tmp_path,
        'name = "s"\ntitle = "S"\nrequest = "r"\n[phase]\nid = "a"\ntitle = "A"\n[[task]]\nid = "t"\nphase = "a"\n'
        'capability = "backend.server-actions"\nsummary = "x"\nexpected_time = 5\n[[checkin]]\nafter = "a"\n'
        '[[checkin.decision]]\nid = "d"\n',
    )
    assert result.code == 2
    assert f"{path}:4: phase: expected a list [...], got a table; write each entry as a [[phase]] table" in result.err
    assert (
        f"{path}:15: checkin[0].decision: expected a table (key = value pairs), got a list of 1; "
        "write it as one [checkin.decision] table (one bracket)"
    ) in result.err


def test_wrong_values_do_not_hide_wrong_references(tmp_path: Path) -> None:
    """Values and references are checked in two stages; a file is still reported whole, in one pass."""
    _, result = plan_text(
        tmp_path,
        'name = "two"\ntitle = "Two"\nrequest = "r"\n\n[[phase]]\nid = "build"\ntitle = "Build"\n\n'
        '[[task]]\nid = "a"\nphase = "buld"\ncapability = "backend.server-actions"\nsummary = "A"\n'
        'expected_time = "soon"\n\n'
        '[[task]]\nid = "b"\nphase = "build"\ncapability = "backend.server-actionz"\nsummary = "B"\n'
        'expected_time = 5\ndepends_on = ["a", "zzz"]\nassignee = "morgn"\n',
    )
    assert result.code == 2
    problems = [line.split(": ", 1)[1] for line in result.err.splitlines() if line.startswith("error:")]
    assert [p.split(":")[1] for p in problems] == [
        "14",  # the value
        "11",  # and every reference: the same task's phase,
        "19",  # the other task's capability,
        "22",  # its dependency
        "23",  # and its assignee
    ], result.err
    assert "task[0].phase: unknown phase 'buld'; did you mean 'build'?" in result.err
    assert "task[1].depends_on[1]: unknown task 'zzz'" in result.err
    assert "5 problems found" in result.err


def test_a_reference_to_something_whose_value_is_wrong_is_not_reported_as_unknown(tmp_path: Path) -> None:
    _, result = plan_text(
        tmp_path,
        'name = "s"\ntitle = "S"\nrequest = "r"\n\n[[phase]]\nid = "build"\ntitle = "Build"\nmode = "fast"\n\n'
        '[[task]]\nid = "a"\nphase = "build"\ncapability = "backend.server-actions"\nsummary = "A"\n'
        "expected_time = -5\n\n"
        '[[task]]\nid = "b"\nphase = "build"\ncapability = "backend.server-actions"\nsummary = "B"\n'
        'expected_time = 5\ndepends_on = ["a"]\n',
    )
    assert result.code == 2 and "2 problems found" in result.err, result.err  # mode and expected_time only
    assert "unknown" not in result.err


def test_a_time_no_run_reaches_is_a_corrupt_stream(tmp_path: Path) -> None:
    events = events_of(tmp_path)
    events[-1]["at"] = 2**63
    path = write_events(tmp_path / "edited.jsonl", events)
    result = run("render", path, "--format", "summary")
    assert result.code == 2
    assert f"{path}:{len(events)}: at: must be at most 1000000000000, got {2**63}" in result.err
