"""The agent presets, and reading each agent's output: against a fake agent that speaks every format."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolecall.handoffs.report_block import BEGIN, END, REPORT_SECTIONS, parse_report
from rolecall.live.presets import (
    PLACEHOLDERS,
    PRESETS,
    AgentAnswer,
    OutputFormat,
    PresetName,
    ends_answer,
    expand,
    placeholders_in,
    read_answer,
)
from tests.live import fake_agent

FAKE = Path(fake_agent.__file__)
FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)
EVENT_FORMATS: tuple[OutputFormat, ...] = ("claude", "gemini", "codex")


def work_prompt(task: str = "T-1", files: Sequence[str] = ()) -> str:
    """Shaped like handoffs/implementation-task.md as rolecall renders it."""
    skeleton = "\n\n".join(f"## {name}\n..." for name in REPORT_SECTIONS["implementation"])
    return "\n".join(
        [
            "IMPLEMENTATION TASK",
            f"Task: {task}",
            "",
            "Build the login form.",
            "",
            "Files:",
            *(f"- {path}" for path in files),
            "",
            "End your answer with this block, every section filled in:",
            "",
            f"{BEGIN}\n{skeleton}\n{END}",
            "",
        ]
    )


REVIEW_PROMPT = (
    "REVIEW TASK (round 1 of 2)\nReview of: T-1\nReviewer: Quinn\n\nBuild the login form.\n\n"
    "Start your answer with one line: APPROVED, or CHANGES REQUESTED followed by what must change.\n"
)


def fake(fmt: str, *behave: str, workdir: Path, write_files: bool = False) -> list[str]:
    args = [sys.executable, str(FAKE), "--speaks", fmt, "--workdir", str(workdir)]
    return args + [f"--behave={b}" for b in behave] + (["--write-files"] if write_files else [])


def run_fake(
    fmt: str, *behave: str, prompt: str, workdir: Path, write_files: bool = False
) -> subprocess.CompletedProcess[str]:
    command = fake(fmt, *behave, workdir=workdir, write_files=write_files)
    return subprocess.run(command, input=prompt, capture_output=True, text=True, timeout=20, check=False)


def answer_of(fmt: OutputFormat, *behave: str, prompt: str, workdir: Path) -> AgentAnswer:
    done = run_fake(fmt, *behave, prompt=prompt, workdir=workdir)
    return read_answer(fmt, done.stdout, done.returncode)


# --- presets ---------------------------------------------------------------------------------------------


def test_every_preset_expands_to_a_plain_argument_list() -> None:
    assert set(PRESETS) == set(get_args(PresetName))
    values = {name: f"/v/{name}" for name in PLACEHOLDERS}
    for name, preset in PRESETS.items():
        assert preset.name == name and preset.summary
        argv = expand(preset.command, values)
        env = expand([value for _, value in preset.env], values)
        assert not any("{" in arg or "}" in arg for arg in (*argv, *env)), name
        used = frozenset().union(*(placeholders_in(arg) for arg in (*preset.command, *(v for _, v in preset.env))))
        assert used <= PLACEHOLDERS, name
        # Each way in is used exactly when the preset says so, or the agent never gets it.
        assert ("system_file" in used) == (preset.system in ("argv", "env")), name
        assert ("prompt_file" in used) == (preset.stdin == "none"), name
        assert ("model" in used) == preset.needs_model, name


def test_expand_keeps_doubled_braces_and_names_what_it_cannot_fill() -> None:
    argv = expand(["--agents", '{{"a": 1}}', "{ model }", "x}", "{prompt_file}.md"], {"model": "m", "prompt_file": "p"})
    assert argv == ("--agents", '{"a": 1}', "m", "x}", "p.md")
    with pytest.raises(ValueError, match=r"unknown placeholder \{modle\}.*\{model\}"):
        expand(["-m", "{modle}"], {"model": "m"})
    with pytest.raises(ValueError, match=r"\{model\} in '-m=\{model\}' has no value"):
        expand(["-m={model}"], {})
    assert placeholders_in("{prompt_file}:{{x}}:{ here }") == {"prompt_file", "here"}


# --- the fake agent, read back ----------------------------------------------------------------------------

USAGE: dict[str, tuple[float | None, int | None, int | None]] = {
    "claude": (fake_agent.COST_USD, fake_agent.INPUT_TOKENS, fake_agent.OUTPUT_TOKENS),
    "gemini": (None, fake_agent.INPUT_TOKENS, fake_agent.OUTPUT_TOKENS),
    "codex": (None, fake_agent.INPUT_TOKENS, fake_agent.OUTPUT_TOKENS),
    "aider": (fake_agent.COST_USD, fake_agent.INPUT_TOKENS, fake_agent.OUTPUT_TOKENS),
    "text": (None, None, None),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_answer_in_each_format_gives_its_report_and_usage(fmt: OutputFormat, tmp_path: Path) -> None:
    answer = answer_of(fmt, "ok", prompt=work_prompt(), workdir=tmp_path)
    assert answer.ok and answer.error == ""
    report = parse_report(answer.text)
    assert report.complete and report.sections["Results"] == "Done for T-1."
    assert "Build the login form" not in answer.text  # the prompt echoed back is not the answer
    assert (answer.cost_usd, answer.input_tokens, answer.output_tokens) == USAGE[fmt]
    assert answer.final_seen == (fmt in EVENT_FORMATS)


ERRORS: dict[str, tuple[str, ...]] = {
    "claude": ("API Error: rate limit", "is_error", "exit 0"),
    "gemini": ("max session turns", "exit 53", "turn limit"),
    "codex": ("429 Too Many Requests", "turn.failed", "exit 0"),
    "aider": ("rate limited you", "exit 0"),
    "text": ("empty answer", "exit 0"),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failure_that_exits_like_success_is_a_failure(fmt: OutputFormat, tmp_path: Path) -> None:
    answer = answer_of(fmt, "error-result", prompt=work_prompt(), workdir=tmp_path)
    assert not answer.ok
    assert all(words in answer.error for words in ERRORS[fmt]), answer.error
    assert "\n" not in answer.error and "Reconnecting" not in answer.error


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_answer_without_its_report_is_still_an_answer(fmt: OutputFormat, tmp_path: Path) -> None:
    answer = answer_of(fmt, "no-report", prompt=work_prompt(), workdir=tmp_path)
    assert answer.ok and "Done for T-1." in answer.text
    assert not parse_report(answer.text).found


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("behave", "verdict", "other"),
    [("ok", "APPROVED", "CHANGES"), ("changes-requested", "CHANGES REQUESTED", "APPROVED")],
)
def test_a_review_gets_its_verdict(fmt: OutputFormat, behave: str, verdict: str, other: str, tmp_path: Path) -> None:
    answer = answer_of(fmt, behave, prompt=REVIEW_PROMPT, workdir=tmp_path)
    assert answer.ok and verdict in answer.text and other not in answer.text
    assert not parse_report(answer.text).found


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_crash_names_its_exit_code(fmt: OutputFormat, tmp_path: Path) -> None:
    answer = answer_of(fmt, "crash", prompt=work_prompt(), workdir=tmp_path)
    assert not answer.ok and "exit 3" in answer.error and not answer.final_seen


def test_codex_file_changes_are_the_files_it_reports(tmp_path: Path) -> None:
    files = ["src/login.py", "docs/login.md"]
    done = run_fake(
        "codex", "write-outside=notes.txt", prompt=work_prompt(files=files), workdir=tmp_path, write_files=True
    )
    answer = read_answer("codex", done.stdout, done.returncode)
    assert answer.ok and answer.files == tuple(files)
    assert all((tmp_path / path).is_file() for path in [*files, "notes.txt"])
    # Without --write-files nothing is written and nothing is reported.
    assert (
        read_answer("codex", run_fake("codex", prompt=work_prompt(files=["x.py"]), workdir=tmp_path).stdout, 0).files
        == ()
    )
    assert not (tmp_path / "x.py").exists()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (41, "authentication"),
        (42, "input"),
        (52, "configuration"),
        (53, "turn limit"),
        (54, "tool"),
        (130, "interrupted"),
    ],
)
def test_gemini_exit_codes_are_named(code: int, words: str) -> None:
    init = json.dumps({"type": "init", "session_id": "s", "model": "m"})
    for stdout in (init, ""):
        answer = read_answer("gemini", stdout, code)
        assert not answer.ok and f"exit {code}" in answer.error and words in answer.error
        assert "no result event" in answer.error


# --- stopped processes ------------------------------------------------------------------------------------


class Watched:
    """A fake agent in its own process group, its output read line by line as a runner would."""

    def __init__(self, fmt: OutputFormat, *behave: str, prompt: str, workdir: Path) -> None:
        self.fmt = fmt
        self.lines: list[str] = []
        self.final = threading.Event()
        self.proc = subprocess.Popen(
            fake(fmt, *behave, workdir=workdir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(prompt)
        self.proc.stdin.close()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if ends_answer(self.fmt, line):
                self.final.set()

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # the group may be gone already
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


@pytest.fixture
def watch() -> Iterator[list[Watched]]:
    started: list[Watched] = []
    yield started
    for watched in started:
        watched.kill_group()


@pytest.mark.parametrize("fmt", EVENT_FORMATS)
def test_an_agent_stopped_after_its_final_event_has_answered(
    fmt: OutputFormat, tmp_path: Path, watch: list[Watched]
) -> None:
    agent = Watched(fmt, "hang-after-result", prompt=work_prompt(), workdir=tmp_path)
    watch.append(agent)
    assert agent.final.wait(10), "the final event never came"
    time.sleep(0.2)
    assert agent.proc.poll() is None  # still hanging: rolecall has to stop it
    agent.kill_group()
    agent.reader.join(5)
    answer = read_answer(fmt, "".join(agent.lines), None)
    assert answer.ok and answer.final_seen and parse_report(answer.text).complete


def living_members(group: int) -> set[int]:
    """The processes of a process group that have not exited (Linux /proc)."""
    members: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, _parent, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == group and state != "Z":
            members.add(int(entry))
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_a_hanging_agent_holds_its_output_open_until_its_group_is_killed(tmp_path: Path, watch: list[Watched]) -> None:
    agent = Watched("claude", "hang", prompt=work_prompt(), workdir=tmp_path)
    watch.append(agent)
    deadline = time.monotonic() + 10
    while len(living_members(agent.proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    agent.proc.kill()  # the parent alone: its child lives on and still holds standard output
    agent.proc.wait(5)
    agent.reader.join(0.3)
    assert agent.reader.is_alive() and living_members(agent.proc.pid)
    agent.kill_group()
    agent.reader.join(5)
    assert not agent.reader.is_alive()
    answer = read_answer("claude", "".join(agent.lines), None)
    assert not answer.ok and not answer.final_seen and "was stopped with no result event" in answer.error


def test_a_flooding_agent_never_ends_its_answer(tmp_path: Path, watch: list[Watched]) -> None:
    agent = Watched("claude", "flood", prompt=work_prompt(), workdir=tmp_path)
    watch.append(agent)
    deadline = time.monotonic() + 10
    while len(agent.lines) < 5000 and time.monotonic() < deadline:
        time.sleep(0.01)
    agent.kill_group()
    agent.reader.join(5)
    assert len(agent.lines) >= 5000 and not agent.final.is_set()
    assert not read_answer("claude", "".join(agent.lines), None).ok


def test_a_second_agent_racing_for_the_config_fails_like_claude_code(tmp_path: Path) -> None:
    lock = tmp_path / "claude.json.lock"
    lock.touch()
    done = run_fake("claude", f"race={lock}", prompt=work_prompt(), workdir=tmp_path)
    assert done.returncode == 1 and fake_agent.RACE_ERROR in done.stderr
    lock.unlink()
    done = run_fake("claude", f"race={lock}", prompt=work_prompt(), workdir=tmp_path)
    assert done.returncode == 0 and read_answer("claude", done.stdout, 0).ok and not lock.exists()


# --- output shapes the fake does not produce ------------------------------------------------------------


def line(event: Mapping[str, object]) -> str:
    return json.dumps(event)


def test_claude_variants() -> None:
    result = {"type": "result", "subtype": "success", "is_error": False, "result": "hi", "cost_usd": 0.5}
    assert read_answer("claude", line(result), 0).cost_usd == 0.5  # --output-format json, older field name
    assert read_answer("claude", line({**result, "cost_usd": 10**400}), 0).cost_usd is None
    verbose = json.dumps([{"type": "system", "subtype": "init"}, result], indent=2)
    assert read_answer("claude", verbose, 0).text == "hi"  # --output-format json --verbose: one array
    noisy = f"warning: config is old\n{line(result)}\nDone.\n"
    assert read_answer("claude", noisy, 0).ok
    separated = json.dumps({**result, "result": "a\u2028b"}, ensure_ascii=False)  # as JSON.stringify writes it
    assert "\u2028" in separated and read_answer("claude", separated, 0).text == "a\u2028b"
    turns = {"type": "result", "subtype": "error_max_turns", "is_error": False, "num_turns": 9}
    assert "turn limit" in read_answer("claude", line(turns), 1).error
    said = line(
        {"type": "assistant", "message": {"content": [{"type": "text", "text": "part"}]}, "error": "rate_limit"}
    )
    stopped = read_answer("claude", said, 1)
    assert not stopped.ok and stopped.text == "part"
    assert stopped.error == "the agent ended with no result event (exit 1); it said: rate_limit"
    sub = {"type": "assistant", "parent_tool_use_id": "t1", "message": {"content": [{"type": "text", "text": "sub"}]}}
    assert read_answer("claude", f"{line(sub)}\n{line({**result, 'result': ''})}", 0).error.startswith(
        "the agent gave an empty answer"
    )


def test_codex_variants() -> None:
    message = line({"type": "item.completed", "item": {"type": "agent_message", "text": "done"}})
    retried = line({"type": "error", "message": "Reconnecting... 2/5 (stream disconnected)"})
    completed = line({"type": "turn.completed", "usage": {"input_tokens": 5, "output_tokens": 2}})
    assert read_answer("codex", "\n".join([retried, message, completed]), 0).ok
    fatal = line({"type": "error", "message": "unexpected status 401 Unauthorized"})
    answer = read_answer("codex", "\n".join([message, fatal]), 1)
    assert not answer.ok and "401 Unauthorized" in answer.error and "error event" in answer.error
    assert "no turn.completed event" in read_answer("codex", message, 0).error


def test_gemini_json_output() -> None:
    models = {"gemini-2.5-pro": {"tokens": {"prompt": 10, "candidates": 4}}, "flash": {"tokens": {"prompt": 1}}}
    answer = read_answer("gemini", json.dumps({"response": "hi", "stats": {"models": models}}), 0)
    assert answer.ok and answer.text == "hi" and (answer.input_tokens, answer.output_tokens) == (11, 4)
    failed = json.dumps({"response": "", "error": {"type": "ApiError", "message": "quota exceeded"}})
    assert "quota exceeded" in read_answer("gemini", failed, 1).error


def test_aider_gives_up_with_exit_0_but_recovers_from_a_retry() -> None:
    error = "litellm.APIConnectionError: OpenAIException - Connection error"
    recovered = f"{error}\nRetrying in 0.2 seconds...\nHere is the change.\n"
    assert read_answer("aider", recovered, 0).ok
    gave_up = read_answer("aider", f"{error}\nRetrying in 0.2 seconds...\n{error}\n", 0)
    assert not gave_up.ok and "Connection error" in gave_up.error
    empty = read_answer("aider", "Empty response received from LLM. Check your provider account?\n", 0)
    assert not empty.ok and "Empty response" in empty.error
    assert read_answer("aider", "Tokens: 2.3k sent, 12k received. Cost: $0.01 message, $0.02 session.\nok", 0) == (
        AgentAnswer(
            True,
            "Tokens: 2.3k sent, 12k received. Cost: $0.01 message, $0.02 session.\nok",
            cost_usd=0.02,
            input_tokens=2300,
            output_tokens=12000,
        )
    )
    assert "stopped" in read_answer("text", "half an answer", None).error


def test_ends_answer_recognises_only_final_events() -> None:
    assert ends_answer("claude", ' {"type": "result", "subtype": "success"}\n')
    assert ends_answer("codex", '{"type":"turn.failed","error":{"message":"x"}}')
    assert not ends_answer("codex", '{"type":"item.completed","item":{"type":"agent_message","text":"turn.completed"}}')
    assert not ends_answer("gemini", '{"type": "message", "content": "\\"result\\""}')
    assert not ends_answer("claude", '{"type": "result"')
    assert not ends_answer("text", '{"type": "result"}')
    deep = "[" * 100_000
    assert not ends_answer("claude", '{"type": "result", "x": ' + deep)
    assert not read_answer("claude", "{" + deep, 0).ok


# --- never raises -----------------------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.just(10**400) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_KEYS = (
    "subtype", "is_error", "result", "errors", "usage", "total_cost_usd", "cost_usd", "message", "content",
    "parent_tool_use_id", "error", "role", "delta", "status", "stats", "item", "response",
)  # fmt: skip
_EVENTS = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["result", "assistant", "message", "error", "item.completed", "turn.completed", "turn.failed"]
        )
    },
    optional={key: _JSON for key in _KEYS},
)
_STDOUT = st.lists(st.text(max_size=40) | _EVENTS.map(json.dumps) | _JSON.map(json.dumps), max_size=6).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(stdout=_STDOUT, exit_code=st.none() | st.integers(-300, 300))
def test_reading_any_output_never_raises(stdout: str, exit_code: int | None) -> None:
    for fmt in FORMATS:
        answer = read_answer(fmt, stdout, exit_code)
        assert answer.ok == (answer.error == "")
        assert "\n" not in answer.error and not answer.error.startswith("rolecall could not read")
        for text in stdout.split("\n"):
            ends_answer(fmt, text)
