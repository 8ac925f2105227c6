"""A stand-in for a CLI coding agent: it speaks one agent's output format and misbehaves on request.

Run as ``python tests/live/fake_agent.py --speaks claude|gemini|codex|aider|text``
with any number of ``--behave`` options (default ``ok``):

- ``ok``: answer the task. A work prompt (a ``Task: <id>`` line and a report
  skeleton between ``=== ORCHESTRATOR REPORT ===`` and ``=== END REPORT ===``)
  gets the block back with every ``## Section`` filled; a review prompt (a
  ``Review of: <id>`` line and the words APPROVED and CHANGES REQUESTED) gets
  ``APPROVED``.
- ``changes-requested``: a review answers ``CHANGES REQUESTED`` instead.
- ``no-report``: a normal answer without the report block.
- ``error-result``: the format's own failure with the exit code the real agent
  gives (Claude Code: ``is_error`` result, exit 0; Gemini CLI: result status
  error, exit 53; Codex: ``turn.failed``, exit 0; aider: its give-up lines,
  exit 0; text: nothing at all, exit 0).
- ``crash``: a line on stderr, exit 3.
- ``hang``: print nothing and sleep forever, after starting a child process
  that also sleeps forever and holds standard output open: killing only this
  process leaves an orphan and the pipe never closes.
- ``hang-after-result``: the whole ``ok`` answer, then sleep forever (Claude
  Code is known to do this, anthropics/claude-code #25629).
- ``flood``: lines of output forever, as fast as possible.
- ``write-outside=RELPATH``: also write RELPATH (inside the workdir, but not a
  file the prompt lists).
- ``race=LOCKFILE``: fail as Claude Code does when parallel sessions corrupt
  ``~/.claude.json`` if LOCKFILE exists; otherwise hold it for half a second.
- ``slow=SECONDS``: wait that long before answering.

``--prompt-file F`` reads the prompt from F, else from standard input until end
of file. ``--write-files`` writes every file listed under a ``Files:`` line of
the prompt (``- <relative path>`` lines up to a blank line). Besides the prompt
file, nothing is read or written outside ``--workdir`` (default: the current
folder) but the lock file.
Standard library only: the tests run it with any Python.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEGIN = "=== ORCHESTRATOR REPORT ==="
END = "=== END REPORT ==="

COST_USD = 0.001
INPUT_TOKENS = 120
OUTPUT_TOKENS = 30

CLAUDE_ERROR = "API Error: rate limit"
GEMINI_ERROR = "Reached max session turns for this session."
CODEX_ERROR = "exceeded retry limit, last status: 429 Too Many Requests"
AIDER_ERROR = "The API provider has rate limited you. Try again later or check your quotas."
RACE_ERROR = "JSON Parse error: Unexpected EOF"

FORMATS = ("claude", "gemini", "codex", "aider", "text")
SIMPLE = {"ok", "hang", "hang-after-result", "crash", "error-result", "flood", "no-report", "changes-requested"}
WITH_VALUE = {"write-outside", "race", "slow"}


@dataclass(frozen=True)
class Prompt:
    task: str
    review_of: str | None
    sections: tuple[str, ...] | None
    """The report skeleton's section headings; None when the prompt asks for no report."""
    files: tuple[str, ...]


def parse_prompt(text: str) -> Prompt:
    lines = [line.rstrip("\r") for line in text.split("\n")]
    stripped = [line.strip() for line in lines]
    task = next((line[len("Task:") :].strip() for line in stripped if line.startswith("Task:")), "")
    review_of = next((line[len("Review of:") :].strip() for line in stripped if line.startswith("Review of:")), None)
    if review_of is not None and not ("APPROVED" in text and "CHANGES REQUESTED" in text):
        review_of = None
    sections: tuple[str, ...] | None = None
    if BEGIN in stripped:
        start = stripped.index(BEGIN) + 1
        stop = stripped.index(END, start) if END in stripped[start:] else len(stripped)
        sections = tuple(line[2:].strip() for line in stripped[start:stop] if line.startswith("## "))
    files: list[str] = []
    if "Files:" in stripped:
        for line in stripped[stripped.index("Files:") + 1 :]:
            if not line:
                break
            if line.startswith("- "):
                files.append(line[2:].strip())
    return Prompt(task, review_of, sections, tuple(files))


def answer_text(prompt: Prompt, behaviours: dict[str, str]) -> str:
    if prompt.review_of is not None:
        if "changes-requested" in behaviours:
            return f"CHANGES REQUESTED\n\nReview of {prompt.review_of}: add tests for the error paths."
        return f"APPROVED\n\nReview of {prompt.review_of}: the work meets its acceptance criteria."
    done = f"Done for {prompt.task or 'the task'}."
    if prompt.sections is None or "no-report" in behaviours:
        return done
    body = "\n\n".join(f"## {section}\n{done}" for section in prompt.sections)
    return f"{done}\n\n{BEGIN}\n{body}\n{END}"


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def emit_json(event: dict[str, Any]) -> None:
    emit(json.dumps(event))


def usage() -> dict[str, int]:
    return {"input_tokens": INPUT_TOKENS, "output_tokens": OUTPUT_TOKENS}


def speak(fmt: str, text: str, prompt_text: str, written: list[str], workdir: Path) -> None:
    """A successful answer in the format's own event shapes."""
    if fmt == "claude":
        emit_json({"type": "system", "subtype": "init", "session_id": "fake", "model": "fake", "cwd": str(workdir)})
        message = {"role": "assistant", "content": [{"type": "text", "text": text}], "usage": usage()}
        emit_json({"type": "assistant", "message": message, "parent_tool_use_id": None, "session_id": "fake"})
        emit_json(
            {
                "type": "result",
                "subtype": "success",
                "is_error": False,
                "num_turns": 1,
                "result": text,
                "session_id": "fake",
                "total_cost_usd": COST_USD,
                "usage": usage(),
            }
        )
    elif fmt == "gemini":
        emit_json({"type": "init", "timestamp": now(), "session_id": "fake", "model": "fake"})
        emit_json({"type": "message", "timestamp": now(), "role": "user", "content": prompt_text})
        half = len(text) // 2
        for chunk in (text[:half], text[half:]):
            emit_json({"type": "message", "timestamp": now(), "role": "assistant", "content": chunk, "delta": True})
        emit_json({"type": "result", "timestamp": now(), "status": "success", "stats": gemini_stats()})
    elif fmt == "codex":
        emit_json({"type": "thread.started", "thread_id": "fake"})
        emit_json({"type": "turn.started"})
        emit_json({"type": "item.completed", "item": {"id": "item_0", "type": "reasoning", "text": "**Working**"}})
        if written:
            changes = [{"path": path, "kind": "add"} for path in written]
            item = {"id": "item_1", "type": "file_change", "changes": changes, "status": "completed"}
            emit_json({"type": "item.completed", "item": item})
        emit_json({"type": "item.completed", "item": {"id": "item_2", "type": "agent_message", "text": text}})
        emit_json({"type": "turn.completed", "usage": {**usage(), "cached_input_tokens": 0}})
    elif fmt == "aider":
        for line in aider_banner():
            emit(line)
        for path in written:
            emit(f"Applied edit to {path}")
        emit(text)
        emit("")
        cost = f"${COST_USD:.4f}"
        emit(f"Tokens: {INPUT_TOKENS} sent, {OUTPUT_TOKENS} received. Cost: {cost} message, {cost} session.")
    else:
        emit(text)


def fail(fmt: str, prompt_text: str) -> int:
    """The format's failure that a careless reader takes for success; returns the exit code."""
    if fmt == "claude":
        emit_json({"type": "system", "subtype": "init", "session_id": "fake", "model": "fake"})
        message = {"role": "assistant", "content": [{"type": "text", "text": CLAUDE_ERROR}]}
        emit_json({"type": "assistant", "message": message, "parent_tool_use_id": None, "error": "rate_limit"})
        emit_json(
            {
                "type": "result",
                "subtype": "success",
                "is_error": True,
                "result": CLAUDE_ERROR,
                "total_cost_usd": 0,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            }
        )
        return 0
    if fmt == "gemini":
        emit_json({"type": "init", "timestamp": now(), "session_id": "fake", "model": "fake"})
        emit_json({"type": "message", "timestamp": now(), "role": "user", "content": prompt_text})
        error = {"type": "FatalTurnLimitedError", "message": GEMINI_ERROR}
        emit_json({"type": "result", "timestamp": now(), "status": "error", "error": error, "stats": gemini_stats()})
        return 53
    if fmt == "codex":
        emit_json({"type": "thread.started", "thread_id": "fake"})
        emit_json({"type": "turn.started"})
        emit_json({"type": "error", "message": "Reconnecting... 1/5 (stream disconnected before completion)"})
        emit_json({"type": "turn.failed", "error": {"message": CODEX_ERROR}})
        return 0
    if fmt == "aider":
        for line in aider_banner():
            emit(line)
        raised = "litellm.RateLimitError: AnthropicException - rate_limit_error: too many requests"
        for line in (raised, AIDER_ERROR, "Retrying in 0.2 seconds...", raised, AIDER_ERROR):
            emit(line)
        return 0
    return 0


def flood(fmt: str) -> None:
    if fmt == "claude":
        message = {"role": "assistant", "content": [{"type": "text", "text": "flood"}]}
        line = json.dumps({"type": "assistant", "message": message, "parent_tool_use_id": None})
    elif fmt == "gemini":
        line = json.dumps({"type": "message", "role": "assistant", "content": "flood ", "delta": True})
    elif fmt == "codex":
        line = json.dumps({"type": "item.completed", "item": {"id": "item", "type": "reasoning", "text": "flood"}})
    else:
        line = "flood " * 10
    block = (line + "\n") * 1000
    while True:
        sys.stdout.write(block)
        sys.stdout.flush()


def sleep_forever() -> None:
    while True:
        time.sleep(3600)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def gemini_stats() -> dict[str, int]:
    total = INPUT_TOKENS + OUTPUT_TOKENS
    return {"total_tokens": total, **usage(), "cached": 0, "input": INPUT_TOKENS, "duration_ms": 5, "tool_calls": 0}


def aider_banner() -> Iterator[str]:
    yield "Aider v0.86.2"
    yield "Main model: fake with whole edit format"
    yield "Git repo: none"
    yield ""


def inside(workdir: Path, relpath: str) -> Path:
    """``relpath`` under ``workdir``; anything that would leave it stops the agent."""
    target = (workdir / relpath).resolve()
    if not target.is_relative_to(workdir.resolve()):
        raise SystemExit(f"fake agent: refusing to write {relpath!r} outside {workdir}")
    return target


def write(workdir: Path, relpath: str, task: str) -> None:
    target = inside(workdir, relpath)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"written by the fake agent for {task or 'the task'}\n", encoding="utf-8")


def race(lockfile: str) -> bool:
    """False when another instance holds the lock: the corrupted-config failure of parallel launches."""
    try:
        fd = os.open(lockfile, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(fd)
    time.sleep(0.5)
    Path(lockfile).unlink(missing_ok=True)
    return True


def behaviour(value: str) -> tuple[str, str]:
    name, sep, arg = value.partition("=")
    if (name in SIMPLE and not sep) or (name in WITH_VALUE and arg):
        if name == "slow":
            try:
                float(arg)
            except ValueError:
                raise argparse.ArgumentTypeError(f"slow needs seconds, not {arg!r}") from None
        return name, arg
    choices = ", ".join(sorted(SIMPLE) + [f"{n}=..." for n in sorted(WITH_VALUE)])
    raise argparse.ArgumentTypeError(f"unknown behaviour {value!r}; choose from {choices}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pretend to be a CLI coding agent.")
    parser.add_argument("--speaks", choices=FORMATS, required=True)
    parser.add_argument("--behave", type=behaviour, action="append", default=[])
    parser.add_argument("--prompt-file", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path.cwd())
    parser.add_argument("--write-files", action="store_true")
    args = parser.parse_args(argv)
    behaviours: dict[str, str] = dict(args.behave) or {"ok": ""}
    fmt: str = args.speaks
    workdir: Path = args.workdir

    if "race" in behaviours and not race(behaviours["race"]):
        print(RACE_ERROR, file=sys.stderr)
        return 1
    if "slow" in behaviours:
        time.sleep(float(behaviours["slow"]))
    if "crash" in behaviours:
        print("fake agent: crashed on purpose", file=sys.stderr)
        return 3
    if "hang" in behaviours:
        subprocess.Popen([sys.executable, "-c", "import time\nwhile True: time.sleep(3600)"])
        sleep_forever()
    if "flood" in behaviours:
        flood(fmt)

    prompt_text = args.prompt_file.read_text(encoding="utf-8") if args.prompt_file else sys.stdin.read()
    if "error-result" in behaviours:
        return fail(fmt, prompt_text)
    prompt = parse_prompt(prompt_text)
    written = list(prompt.files) if args.write_files else []
    for relpath in written:
        write(workdir, relpath, prompt.task)
    if "write-outside" in behaviours:
        write(workdir, behaviours["write-outside"], prompt.task)
    speak(fmt, answer_text(prompt, behaviours), prompt_text, written, workdir)
    if "hang-after-result" in behaviours:
        sleep_forever()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (a runner enforcing an output cap): leave quietly, as a real agent would die.
        os._exit(141)
