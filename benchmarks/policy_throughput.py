"""Policy evaluation throughput: microseconds per event, by scenario size.

Replays synthetic scenarios (see ``generate.py``) in this process and times the
policy evaluator on the event stream, with one rule of every kind, against the
same replay into a sink that discards events. The difference is the
evaluation cost, which must stay constant per event (linear in the stream).

Usage::

    python benchmarks/policy_throughput.py
    python benchmarks/policy_throughput.py --sizes 1000,10000 --shape layered
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SHAPES, write_synthetic
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.policies import PolicyEvaluator
from rolecall.policies.model import Policy

POLICY = Policy.model_validate(
    {
        "name": "bench",
        "rule": [
            {"id": "owners", "kind": "boundary", "message": "m", "persona": "*", "capability": "*",
             "except_owners": True},
            {"id": "no-p00", "kind": "boundary", "message": "m", "persona": "p00", "capability": "work.c01"},
            {"id": "routes", "kind": "route", "message": "m", "allow": ["p0* -> *", "p1* -> *", "lead -> *"],
             "forbid": ["p19 -> p00"]},
            {"id": "gate", "kind": "gate", "message": "m", "before_capability": "work.c19",
             "requires": ["work.c00"]},
            {"id": "order", "kind": "order", "message": "m", "capability": "work.c10", "after": ["work.c0*"]},
            {"id": "limits", "kind": "limit", "message": "m", "max_redirects": 5, "max_ping_pong": 1000000,
             "max_review_rounds": 3, "max_makespan": 10**7},
        ],
    }
)  # fmt: skip


def measure(shape: str, tasks: int) -> tuple[int, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        plan = plan_file(write_synthetic(tmp, shape=shape, tasks=tasks))
    count = 0

    def discard(_event: object) -> None:
        nonlocal count
        count += 1

    start = time.perf_counter()
    Coordinator(plan).run(discard)
    bare = time.perf_counter() - start
    evaluator = PolicyEvaluator([POLICY])
    start = time.perf_counter()
    Coordinator(plan).run(evaluator)
    findings = evaluator.finish()
    checked = time.perf_counter() - start
    return count, bare, checked, len(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--shape", choices=SHAPES, default="layered")
    args = parser.parse_args(argv)
    header = ("shape", "tasks", "events", "replay s", "+policies s", "eval us/event", "findings")
    print(f"{header[0]:<8} " + " ".join(f"{h:>{w}}" for h, w in zip(header[1:], (7, 8, 9, 12, 14, 9), strict=True)))
    figures = []
    for size in (int(s) for s in args.sizes.split(",")):
        events, bare, checked, findings = measure(args.shape, size)
        per_event = (checked - bare) / events * 1e6
        figures.append(per_event)
        print(f"{args.shape:<8} {size:>7} {events:>8} {bare:>9.3f} {checked:>12.3f} {per_event:>14.2f} {findings:>9}")
    if len(figures) > 1 and figures[0] > 0:
        print(f"evaluation us/event at the largest size / at the smallest = {figures[-1] / figures[0]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
