"""Live runs against fake agents: what a user relies on when real agents hang, crash, flood or stray."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from .runs import SCENARIO, agent_table, agents_file, run_live, with_agents


def _pids(folder: Path) -> list[int]:
    return [int(p) for p in re.findall(r"\(pid (\d+)\)", (folder / "run.log").read_text(encoding="utf-8"))]


def _group_gone(pgid: int) -> bool:
    """No live process is left in the group (a zombie waiting for init to reap it is not alive)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return False
    return True


def test_well_behaved_agents_complete_the_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path))
    assert live.code == 0, live.err
    assert "Outcome:    completed" in live.out
    assert live.err == ""  # not a terminal: no progress line
    folder = live.folder
    for name in ("events.jsonl", "transcript.md", "transcript.html", "run.log", "activities.jsonl", "run.json"):
        assert (folder / name).is_file(), name
    started = live.events[0]
    assert started.kind == "run_started"
    assert started.clock == "seconds" and started.wall_start.endswith("Z")
    # The design fed the build: its report reached the build prompt as sections, with one block to fill in.
    build_prompt = next((folder / "prompts").glob("*-build-work1-implementer.prompt.md")).read_text(encoding="utf-8")
    assert "### Analysis" in build_prompt and "Done for design." in build_prompt
    assert build_prompt.count("=== ORCHESTRATOR REPORT ===") == 1
    system = next((folder / "prompts").glob("*-build-work1-implementer.system.md")).read_text(encoding="utf-8")
    assert "Never your job" in system and "Redesigning the solution" in system
    assert (folder / "workdir" / "src" / "health.ts").is_file()  # the fakes wrote the files their tasks list
    assert all(_group_gone(pid) for pid in _pids(folder))


@pytest.mark.parametrize(
    ("speaks", "behave", "reason"),
    [
        ("claude", "crash", "(exit 3); it said: fake agent: crashed on purpose"),
        ("claude", "error-result", "rate limit"),
        ("gemini", "error-result", "53"),
        ("codex", "error-result", "429"),
        ("aider", "error-result", "rate limited"),
        ("claude", "no-report", "without an ORCHESTRATOR REPORT block"),
        ("text", "no-report", "without an ORCHESTRATOR REPORT block"),
        ("claude", "flood", "output cap"),
    ],
)
def test_a_misbehaving_agent_fails_its_attempt_and_the_fallback_takes_over(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, speaks: str, behave: str, reason: str
) -> None:
    agents = agents_file(
        tmp_path,
        agents={"implementer": agent_table(speaks, (behave,)) + 'output_cap = "64KB"\n'},
    )
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    (failure,) = live.failures()
    assert failure.startswith("attempt 1 failed: ")
    assert reason.lower() in failure.lower(), failure
    assigned = [e for e in live.events if e.kind == "task_assigned" and e.task == "build"]
    assert [(e.persona, e.reason) for e in assigned] == [("implementer", "routed"), ("local", "fallback")]
    assert all(_group_gone(pid) for pid in _pids(live.folder))


def test_a_hung_agent_is_stopped_within_its_idle_timeout_plus_one_second(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agents = agents_file(tmp_path, agents={"implementer": agent_table("codex", ("hang",)) + 'idle_timeout = "1s"\n'})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    hung = next(a for a in live.activities() if a["persona"] == "implementer")
    assert hung["exit_code"] is None and "idle timeout" in hung["stopped"]
    assert 1.0 <= hung["seconds"] <= 2.0
    assert "printed nothing for 1s (idle timeout)" in live.failures()[0]
    # The hung agent had started a child holding its output open: the whole group is gone.
    assert all(_group_gone(pid) for pid in _pids(live.folder))


def test_an_agent_that_hangs_after_its_result_keeps_its_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agents = agents_file(tmp_path, agents={"implementer": agent_table("claude", ("hang-after-result",))})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    assert live.failures() == []
    hung = next(a for a in live.activities() if a["persona"] == "implementer")
    assert hung["ok"] and hung["exit_code"] is None and "final event" in hung["stopped"]
    assert hung["seconds"] < 5


def test_a_wall_clock_timeout_stops_a_slow_agent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    agents = agents_file(tmp_path, agents={"implementer": agent_table("claude", ("slow=30",)) + 'timeout = "1s"\n'})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0
    assert "ran past its 1s timeout" in live.failures()[0]


def test_agents_started_together_race_unless_staggered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lock = tmp_path / "claude.json.lock"
    scenario = tmp_path / "parallel.toml"
    scenario.write_text(
        SCENARIO.read_text(encoding="utf-8")
        .replace('mode = "sequential"', 'mode = "parallel"')
        .replace('depends_on = ["design"]\n', ""),
        encoding="utf-8",
    )
    racing = agent_table("claude", (f"race={lock}",))
    agents = {"planner": racing, "implementer": racing}
    together = run_live(capsys, tmp_path / "a", "--agents", agents_file(_mk(tmp_path / "a"), agents=agents),
                        scenario=scenario)  # fmt: skip
    assert any("JSON Parse error" in f or "exit code 1" in f for f in together.failures()), together.failures()
    staggered = run_live(
        capsys,
        tmp_path / "b",
        "--agents",
        agents_file(_mk(tmp_path / "b"), agents=agents, run='stagger = "1s"\nworkdir = "{run}/workdir"\n'),
        scenario=scenario,
    )
    assert staggered.code == 0 and staggered.failures() == []


def _mk(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_changing_another_personas_files_is_a_violation_redirected_to_the_owner(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agents = agents_file(
        tmp_path, agents={"implementer": agent_table("claude", ("write-outside=docs/design/redesign.md",))}
    )
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    events = live.events
    (violation,) = [e for e in events if e.kind == "violation"]
    assert violation.persona == "implementer" and violation.capability == "design.plan"
    assert "docs/design/redesign.md" in violation.phrase
    (redirect,) = [e for e in events if e.kind == "redirect"]
    assert (redirect.from_persona, redirect.to_persona) == ("implementer", "planner")
    assert "changed files outside its role" in live.failures()[0]
    transcript = (live.folder / "transcript.md").read_text(encoding="utf-8")
    assert "STOP" in transcript and "docs/design/redesign.md" in transcript
    final = events[-1]
    assert final.redirects == 1  # type: ignore[union-attr]


def test_a_reviewer_requesting_changes_loops_up_to_the_round_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agents = agents_file(tmp_path, agents={"evaluator": agent_table("claude", ("changes-requested",))})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 1
    rounds = [e for e in live.events if e.kind == "review_round"]
    assert [(r.round, r.verdict) for r in rounds] == [(1, "changes-requested"), (2, "changes-requested")]
    rework = next((live.folder / "prompts").glob("*-build-rework2-*.prompt.md")).read_text(encoding="utf-8")
    assert "The reviewer asked for changes" in rework and "add tests for the error paths" in rework
    assert "not approved after 2 review rounds" in " ".join(live.failures())
    # The reviewer's own words are in the transcript, not only its verdict.
    assert "> Review of build: add tests for the error paths." in (live.folder / "transcript.md").read_text(
        encoding="utf-8"
    )


def test_a_missing_command_is_exit_2_naming_persona_and_command_before_anything_starts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agents = agents_file(tmp_path, agents={"planner": 'command = ["no-such-agent-cli", "-p"]\n'})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 2
    assert "agents.toml:12: agent.planner.command[0]: command 'no-such-agent-cli' is not on PATH; " in live.err
    assert "needed by persona 'planner'" in live.err
    assert not live.folder.exists()


def test_agents_file_problems_are_reported_together_with_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    live = with_agents(
        capsys,
        tmp_path,
        '[run]\nconcurency = 2\n\n[defaults]\npreset = "claude"\n\n[agent.planer]\npreset = "gemini"\n\n'
        '[agent.local]\npreset = "ollama"\n\n[agent.evaluator]\ncommand = ["x", "{promt_file}"]\n',
    )
    # A wrong value in [run] hides nothing else: one round shows every problem, programs included.
    rest = [
        "no persona 'planer' in the cast; did you mean 'planner'?",
        "the ollama preset needs a model",
        "unknown placeholder {promt_file}",
        "command 'claude' (the claude preset) is not on PATH",
    ]
    assert live.code == 2
    assert "agents.toml:2: run.concurency" in live.err
    assert all(problem in live.err for problem in rest), live.err
    assert "5 problems found" in live.err
    capsys.readouterr()
    live = with_agents(
        capsys, tmp_path, (tmp_path / "agents.toml").read_text(encoding="utf-8").replace("concurency", "concurrency")
    )
    assert live.code == 2
    assert all(problem in live.err for problem in rest), live.err
    assert "4 problems found" in live.err


def test_a_wrong_value_in_one_agent_table_leaves_the_others_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    live = with_agents(
        capsys,
        tmp_path,
        '[defaults]\ncommand = ["{python}", "-c", "pass"]\n\n[agent.planner]\ncommand = ["planner-cli"]\n'
        'timeout = "forever"\n\n[agent.evaluator]\ncommand = ["evaluator-cli-not-installed"]\n',
    )
    assert live.code == 2
    assert "agents.toml:6: agent.planner.timeout" in live.err
    assert "agents.toml:9: agent.evaluator.command[0]: command 'evaluator-cli-not-installed' is not on PATH" in live.err
    assert "planner-cli" not in live.err  # its table is set aside until its own value is fixed
    assert "2 problems found" in live.err
    assert not live.folder.exists()


def test_run_without_live_explains_itself(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from rolecall import cli

    assert cli.main(["run", str(SCENARIO)]) == 2
    assert "--live" in capsys.readouterr().err


def test_events_are_on_disk_as_they_happen(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """While an agent works, every event before its start is already in events.jsonl."""
    import subprocess
    import sys
    import time

    agents = agents_file(tmp_path, agents={"implementer": agent_table("claude", ("slow=30",))})
    folder = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolecall", "run", str(SCENARIO), "--live", "--agents", str(agents), "-o", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        events = folder / "events.jsonl"
        while time.monotonic() < deadline:
            if events.is_file() and '"persona":"implementer","activity":"work"' in events.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the implementer never started")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    lines = events.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('{"seq":0') and lines[-1].endswith("}")
    assert '"kind":"task_started"' in lines[-1]
    # The killed run's stream reads back and renders up to its last event; check refuses it.
    from rolecall import cli

    assert cli.main(["render", str(events)]) == 2
    assert "truncated" in capsys.readouterr().err
    assert cli.main(["render", str(events), "--partial"]) == 1
    shown = capsys.readouterr()
    assert "did not finish" in shown.err and "Implement the health check endpoint" in shown.out
    assert shown.out.rstrip().endswith(
        "_The run did not finish: the stream stops at event " + lines[-1][7:].split(",")[0] + "._"
    )
    # A last line cut off while being written is dropped, not an error.
    events.write_text(events.read_text(encoding="utf-8") + '{"seq":99,"at":', encoding="utf-8")
    assert cli.main(["render", str(events), "--partial", "--format", "summary"]) == 1
    assert cli.main(["check", str(events), "--allow-empty"]) == 2


def test_decisions_need_an_answer_when_nobody_is_at_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = _with_decision(tmp_path)
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path), scenario=scenario)
    assert live.code == 2 and "--approve" in live.err and "ship-it" in live.err
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path), "--approve", "no", scenario=scenario)
    decision = next(e for e in live.events if e.kind == "decision")
    assert decision.approved is False and live.code == 1
    answers = tmp_path / "answers.toml"
    answers.write_text("ship_it = true\n", encoding="utf-8")
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path), "--approve", answers, scenario=scenario)
    assert live.code == 2
    assert "no decision 'ship_it' in the scenario; did you mean 'ship-it'?" in live.err
    assert "no answer for decision 'ship-it'" in live.err


def _with_decision(tmp_path: Path) -> Path:
    scenario = tmp_path / "decision.toml"
    scenario.write_text(
        SCENARIO.read_text(encoding="utf-8")
        + '\n[[checkin]]\nafter = "build"\n\n[checkin.decision]\nid = "ship-it"\nquestion = "Ship it?"\n'
        'recommended = "ship"\noptions = [{ id = "ship", label = "Ship" }, { id = "wait", label = "Wait" }]\n',
        encoding="utf-8",
    )
    return scenario


def test_terminal_answers() -> None:
    import io

    from rolecall.live.approvals import ask_on_terminal
    from rolecall.orchestrator.scenario import Decision

    decision = Decision.model_validate(
        {
            "id": "ship-it",
            "question": "Ship it?",
            "recommended": "ship",
            "options": ({"id": "ship", "label": "Ship"}, {"id": "wait", "label": "Wait"}),
        }
    )
    shown = io.StringIO()
    assert ask_on_terminal(io.StringIO("maybe\ny\n"), shown)(decision) is True
    assert "Ship it?" in shown.getvalue() and "ship: Ship (recommended)" in shown.getvalue()
    assert ask_on_terminal(io.StringIO("no\n"), io.StringIO())(decision) is False
    assert ask_on_terminal(io.StringIO(""), io.StringIO())(decision) is False


def test_an_escalated_task_may_write_its_own_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The orchestrator taking over the design writes the design's files: its task, not a crossing."""
    agents = agents_file(tmp_path, agents={"planner": agent_table("claude", ("crash",))})
    live = run_live(capsys, tmp_path, "--agents", agents)
    assert live.code == 0, live.err
    assert [e.kind for e in live.events if e.kind in ("escalation", "violation")] == ["escalation"]
    assert (live.folder / "workdir" / "docs" / "design" / "health.md").is_file()


def test_sigterm_stops_the_agents_with_the_run(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    agents = agents_file(tmp_path, agents={"planner": agent_table("claude", ("hang",))})
    folder = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolecall", "run", str(SCENARIO), "--live", "--agents", str(agents), "-o", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not (folder / "run.log").is_file() or "(pid" not in (folder / "run.log").read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the agent never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "every agent was stopped" in err
    time.sleep(0.2)
    assert all(_group_gone(pid) for pid in _pids(folder))


def test_a_run_folder_is_never_reused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from rolecall import cli

    first = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path))
    assert first.code == 0
    again = cli.main(
        ["run", str(SCENARIO), "--live", "--agents", str(tmp_path / "agents.toml"), "-o", str(first.folder)]
    )
    assert again == 2 and "already holds files" in capsys.readouterr().err


def test_two_default_run_folders_of_one_second_do_not_collide(tmp_path: Path) -> None:
    from rolecall.live.cli import _claim

    first = _claim(tmp_path / "runs" / "demo-20261129-210000", fixed=False)
    second = _claim(tmp_path / "runs" / "demo-20261129-210000", fixed=False)
    assert first.name == "demo-20261129-210000" and second.name == "demo-20261129-210000-2"


def test_output_beyond_the_cap_is_not_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    agents = agents_file(tmp_path, agents={"implementer": agent_table("claude", ("flood",)) + 'output_cap = "64KB"\n'})
    live = run_live(capsys, tmp_path, "--agents", agents)
    flooded = next((live.folder / "output").glob("*-implementer.stdout"))
    assert flooded.stat().st_size <= 64 * 1024


def test_agents_file_values_a_user_gets_wrong(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    live = with_agents(
        capsys,
        tmp_path,
        '[run]\nstagger = "5 minutes"\nworkdir = "{nope}/x"\n\n[defaults]\ncommand = "claude -p"\n'
        'env = { X = "{bogus}" }\n',
    )
    assert live.code == 2
    assert "agents.toml:2: run.stagger: '5 minutes' is not a duration" in live.err
    assert "agents.toml:3: run.workdir: unknown placeholder {nope}" in live.err
    assert (
        'agents.toml:6: defaults.command: a command is a list of arguments, never a shell line; write ["claude", "-p"]'
        in (live.err)
    )
    live = with_agents(capsys, tmp_path, '[defaults]\npreset = "claude"\nenv = { X = "{bogus}" }\n')
    assert "agents.toml:3: defaults.env.X: unknown placeholder {bogus}" in live.err
    assert "the claude preset) is not on PATH; needed by personas 'orchestrator', 'planner'" in live.err
    assert "Traceback" not in live.err


def test_approve_values_are_checked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path), "--approve", "maybe")
    assert live.code == 2 and "expected yes, no or a file" in live.err
    scenario = _with_decision(tmp_path)
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path), "--approve", "YES", scenario=scenario)
    assert live.code == 0, live.err
    answers = tmp_path / "answers.toml"
    answers.write_text('ship-it = "yes"\n', encoding="utf-8")
    live = run_live(capsys, tmp_path, "--agents", agents_file(tmp_path), "--approve", answers, scenario=scenario)
    assert live.code == 2
    assert f'{answers}:1: ship-it: expected true or false, got the text "yes"; write true without quotes' in live.err


def test_waiting_for_a_slot_or_the_stagger_is_not_work(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An activity starts when its agent is launched: waiting for a free slot or the stagger is nobody's work."""
    scenario = tmp_path / "parallel.toml"
    scenario.write_text(
        SCENARIO.read_text(encoding="utf-8")
        .replace('mode = "sequential"', 'mode = "parallel"')
        .replace('depends_on = ["design"]\n', ""),
        encoding="utf-8",
    )
    slow = {"planner": agent_table("claude", ("slow=2",)), "implementer": agent_table("claude", ("slow=2",))}
    one_at_a_time = agents_file(_mk(tmp_path / "a"), agents=slow, run='concurrency = 1\nworkdir = "{run}/workdir"\n')
    live = run_live(capsys, tmp_path / "a", "--agents", one_at_a_time, scenario=scenario)
    assert live.code == 0, live.err
    started = {e.task: e for e in live.events if e.kind == "task_started" and e.activity == "work"}
    assert started["build"].at >= started["design"].at + 2  # launched when the design's slot freed
    assert all(1 <= started[t].duration <= 3 for t in ("design", "build"))
    final = live.events[-1]
    assert final.kind == "run_finished"
    assert final.makespan >= final.sequential_time - 1  # one at a time: no speed-up to speak of

    staggered = agents_file(_mk(tmp_path / "b"), run='stagger = "2s"\nworkdir = "{run}/workdir"\n')
    live = run_live(capsys, tmp_path / "b", "--agents", staggered)
    assert live.code == 0, live.err
    works = [e for e in live.events if e.kind == "task_started"]
    assert works[1].at >= 2 and all(e.duration <= 1 for e in works)


def test_a_stray_brace_is_a_problem_not_a_folder_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    live = with_agents(
        capsys,
        tmp_path,
        '[run]\nworkdir = "{run}}"\n\n[defaults]\ncommand = ["{python}", "{workdir}}"]\nenv = { A = "{prompt_file" }\n',
    )
    assert live.code == 2
    assert "agents.toml:2: run.workdir: unbalanced brace" in live.err
    live = with_agents(
        capsys, tmp_path, (tmp_path / "agents.toml").read_text(encoding="utf-8").replace('"{run}}"', '"{run}"')
    )
    assert "agents.toml:5: defaults.command[1]: unbalanced brace in '{workdir}}'" in live.err
    assert "agents.toml:6: defaults.env.A: unbalanced brace in '{prompt_file'" in live.err


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ("APPROVED\nLooks right.", "approved"),
        ("**APPROVED**", "approved"),
        ("Changes requested: add tests.", "changes-requested"),
        ("## CHANGES REQUESTED\n- the lock is never released", "changes-requested"),
        ("Not ready: the refresh races.\nApproved-looking tests hide both bugs.", None),
        ("APPROVED-ish, mostly", None),
        ("", None),
    ],
)
def test_a_review_verdict_is_the_first_line_of_the_answer(answer: str, verdict: str | None) -> None:
    from rolecall.live.backend import _verdict

    assert _verdict(answer) == verdict


def test_terminal_escapes_from_an_agent_never_reach_the_terminal() -> None:
    from rolecall.render.markdown import inline
    from rolecall.render.numbering import PhaseNumbers
    from rolecall.render.parts import text

    # Every transcript's text is settled before it is written; that is where control characters go.
    said = inline(text("\x1b[31mred\x1b[0m \x07bell\x00"))
    assert PhaseNumbers().settle(said) == "\ufffd[31mred\ufffd[0m \ufffdbell\ufffd"
