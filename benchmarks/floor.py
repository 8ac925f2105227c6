"""The floor under a replay: a plain heapq simulation of the same synthetic scenario.

It parses the scenario with the same TOML parser, skips every check, and runs
the same schedule (dependencies, phases in order, one task at a time per
persona, ties by declaration order), writing one JSON line per assignment,
start and finish with ``json.dumps`` on dicts. Nothing rolecall does beyond
this (validation, planning checks, typed events, handoffs, check-ins,
transcripts) is in it, so rolecall's cost per event divided by this one says
what that machinery costs. Only for scenarios written by ``generate.py``,
whose persona ``pNN`` owns capability ``work.cNN``.

Usage::

    python benchmarks/floor.py SCENARIO OUT.jsonl      # prints the number of events written
"""

from __future__ import annotations

import heapq
import json
import sys
from pathlib import Path

import tomli

__all__ = ["run_floor"]


def _minutes(value: object) -> int:
    if isinstance(value, int):
        return value
    text = str(value).strip().lower()
    return int(float(text[:-1]) * 60) if text.endswith("h") else int(text.rstrip("m"))


def run_floor(scenario: Path, out: Path) -> int:
    data = tomli.loads(scenario.read_text(encoding="utf-8"))
    tasks = data["task"]
    phases = [p["id"] for p in data["phase"]]
    index = {t["id"]: i for i, t in enumerate(tasks)}
    phase_of = [phases.index(t["phase"]) for t in tasks]
    waiting = [len(t.get("depends_on", ())) for t in tasks]
    succs: list[list[int]] = [[] for _ in tasks]
    for i, t in enumerate(tasks):
        for d in t.get("depends_on", ()):
            succs[index[d]].append(i)
    owner = ["p" + t["capability"].rsplit("c", 1)[1] for t in tasks]
    duration = [_minutes(t["expected_time"]) for t in tasks]
    members: list[list[int]] = [[] for _ in phases]
    for i, k in enumerate(phase_of):
        members[k].append(i)
    left = [len(m) for m in members]
    queues: dict[str, list[int]] = {}
    busy: set[str] = set()
    clock: list[tuple[int, int, int]] = []
    seq = order = now = 0
    with out.open("w", encoding="utf-8") as handle:

        def emit(kind: str, **fields: object) -> None:
            nonlocal seq
            handle.write(json.dumps({"seq": seq, "at": now, "kind": kind, **fields}, separators=(",", ":")))
            handle.write("\n")
            seq += 1

        def ready(i: int) -> None:
            emit("task_assigned", task=tasks[i]["id"], persona=owner[i])
            heapq.heappush(queues.setdefault(owner[i], []), i)

        def start_phase(k: int) -> None:
            for i in members[k]:
                if waiting[i] == 0:
                    ready(i)

        def dispatch() -> None:
            nonlocal order
            for persona, queue in queues.items():
                if queue and persona not in busy:
                    i = heapq.heappop(queue)
                    busy.add(persona)
                    emit("task_started", task=tasks[i]["id"], persona=persona, duration=duration[i])
                    order += 1
                    heapq.heappush(clock, (now + duration[i], order, i))

        phase = 0
        start_phase(phase)
        dispatch()
        while clock:
            now = clock[0][0]
            while clock and clock[0][0] == now:
                _, _, i = heapq.heappop(clock)
                busy.discard(owner[i])
                emit("task_finished", task=tasks[i]["id"], persona=owner[i])
                left[phase_of[i]] -= 1
                for s in succs[i]:
                    waiting[s] -= 1
                    if waiting[s] == 0 and phase_of[s] <= phase:
                        ready(s)
            while phase < len(phases) - 1 and left[phase] == 0:
                phase += 1
                start_phase(phase)
            dispatch()
    return seq


if __name__ == "__main__":
    print(run_floor(Path(sys.argv[1]), Path(sys.argv[2])))
