"""Answers to a scenario's decisions in a live run: asked on the terminal, or given up front for CI.

``--approve yes`` approves every decision, ``--approve no`` rejects every one,
``--approve FILE`` reads a TOML file of ``decision-id = true|false``. Without
it, a run on a terminal asks at each check-in; a run that is not on a terminal
and has decisions to make refuses to start, since nobody could answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from rolecall._messages import did_you_mean
from rolecall.errors import InputError, Problem, UsageError
from rolecall.orchestrator.scenario import Decision, Scenario

__all__ = ["Approver", "approver_for", "ask_on_terminal"]

Approver = Callable[[Decision], bool]


def approver_for(option: str | None, scenario: Scenario, interactive: bool) -> Approver | None:
    """The approver a run uses; ``None`` when the scenario has no decision to answer."""
    decisions = [c.decision for c in scenario.checkin if c.decision is not None]
    word = option.strip().lower() if option is not None else None
    if word in ("yes", "no"):
        answer = word == "yes"
        return (lambda _decision: answer) if decisions else None
    if option is not None:
        if not Path(option).exists():
            raise UsageError(f"--approve {option!r}: expected yes, no or a file of decision-id = true|false")
        answers = _answers_file(Path(option), decisions)  # checked even when no decision needs it
        return (lambda decision: answers[decision.id]) if decisions else None
    if not decisions:
        return None
    if not interactive:
        listed = ", ".join(d.id for d in decisions)
        raise UsageError(
            f"the scenario has decisions to answer ({listed}) and nobody is at a terminal to answer them; "
            "pass --approve yes, --approve no or --approve FILE"
        )
    return ask_on_terminal()


def ask_on_terminal(stdin: TextIO | None = None, stderr: TextIO | None = None) -> Approver:
    def ask(decision: Decision) -> bool:
        read = stdin or sys.stdin
        write = stderr or sys.stderr
        write.write(f"\nDecision '{decision.id}': {decision.question}\n")
        for option in decision.options:
            mark = " (recommended)" if option.id == decision.recommended else ""
            write.write(f"  - {option.id}: {option.label}{mark}\n")
        while True:
            write.write(f"Approve '{decision.recommended}'? [y/n] ")
            write.flush()
            line = read.readline()
            if not line:
                write.write("\nno answer: not approved\n")
                return False
            reply = line.strip().lower()
            if reply in ("y", "yes"):
                return True
            if reply in ("n", "no"):
                return False
            write.write("please answer y or n\n")

    return ask


def _answers_file(path: Path, decisions: list[Decision]) -> dict[str, bool]:
    from rolecall._messages import expected
    from rolecall._toml import read_toml

    doc = read_toml(path)
    data = doc.data
    known = {d.id for d in decisions}
    problems: list[Problem] = []
    answers: dict[str, bool] = {}
    for key, value in data.items():
        if key not in known:
            problems.append(doc.problem(f"no decision '{key}' in the scenario{did_you_mean(key, known)}", key))
        elif not isinstance(value, bool):
            problems.append(doc.problem(expected("true or false", value), key))
        else:
            answers[key] = value
    for decision in decisions:
        if decision.id not in data:
            problems.append(
                doc.problem(f"no answer for decision '{decision.id}': add {decision.id} = true or false", "")
            )
    if problems:
        raise InputError(problems)
    return answers
