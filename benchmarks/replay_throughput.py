"""Replay throughput: wall time, time per event and peak memory of ``rolecall replay``.

For each shape and size a synthetic scenario (see ``generate.py``) is written to
a temporary folder and replayed by a fresh interpreter::

    python -m rolecall replay SCENARIO -o OUTDIR --events-only

The wall time covers the whole command: interpreter start, imports, parsing
and validating the TOML, planning, simulating and writing ``events.jsonl``.
Peak memory is the child's own maximum resident set size, read with
``os.wait4`` for that one process by a small wrapper interpreter. Events are the lines of ``events.jsonl``.

Afterwards the same work is timed in this process, phase by phase, for one
size (default: the largest), to show where the time goes.

Usage::

    python benchmarks/replay_throughput.py
    python benchmarks/replay_throughput.py --sizes 1000,10000 --shapes layered

Every run also measures the floor (``floor.py``: a plain heapq simulation of
the same scenario writing JSON lines) in the same way, and prints rolecall's
cost per event as a ratio to it, so the figures mean the same on a loaded or
a faster machine. ``--modes`` adds the default replay (events, transcript.md
and transcript.html) and ``render``/``report``/``check`` of the saved stream.

Targets (at 100k tasks): ``--events-only`` at most 1.2x the floor and 10 us per
event all-in; the default replay at most 20 us per event and 500 MB; render,
report and check at most 300 MB; the cost per event at 100k within 1.5x of
that at 1k. POSIX only (``os.wait4``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SHAPES, write_synthetic

if TYPE_CHECKING:
    from rolecall.events import Event
    from rolecall.orchestrator import Plan

TARGET_US_PER_EVENT = 10.0
TARGET_FLOOR_RATIO = 1.2
TARGET_SCALING = 1.5
TARGET_PEAK_MB = 500.0
TARGET_DEFAULT_US = 20.0
TARGET_READ_MB = 300.0
MODES = ("events-only", "default", "render", "report", "check")


@dataclass(frozen=True)
class Result:
    shape: str
    tasks: int
    events: int
    seconds: float
    peak_mb: float
    generate_seconds: float
    floor_seconds: float = float("nan")
    floor_events: int = 0
    mode: str = "events-only"

    @property
    def floor_us(self) -> float:
        return self.floor_seconds / self.floor_events * 1e6 if self.floor_events else float("nan")

    @property
    def ratio(self) -> float:
        return self.us_per_event / self.floor_us

    @property
    def us_per_event(self) -> float:
        return self.seconds / self.events * 1e6 if self.events else float("nan")


def _maxrss_mb(maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


# Run in a small fresh interpreter between this process and the measured one. On
# Linux a child's ru_maxrss includes the memory of the process it was forked
# from, so forking the replay straight from this (large) process would inflate
# its peak; forked from this wrapper, the floor is the wrapper's few MB.
_WRAPPER = """
import json, os, subprocess, sys, time
with open(sys.argv[1], "wb") as err:
    start = time.perf_counter()
    proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
proc.returncode = os.waitstatus_to_exitcode(status)
print(json.dumps({"seconds": seconds, "maxrss": usage.ru_maxrss, "code": proc.returncode}))
"""


# As in any installed copy, modules load from cached bytecode: without this a
# machine that sets PYTHONDONTWRITEBYTECODE would compile every module on every run.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_measured(argv: list[str]) -> tuple[float, float, int, str]:
    """Run ``argv`` to completion: (wall seconds, peak RSS in MB, exit code, stderr)."""
    with tempfile.TemporaryDirectory(prefix="rolecall-run-") as tmp:
        err = Path(tmp) / "stderr"
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, str(err), *argv],
            stdout=subprocess.PIPE,
            check=True,
            text=True,
            env=CHILD_ENV,
        )
        stderr = err.read_text(encoding="utf-8", errors="replace")
    report = json.loads(done.stdout)
    return report["seconds"], _maxrss_mb(report["maxrss"]), report["code"], stderr


_FLOOR = Path(__file__).resolve().parent / "floor.py"
_warmed: list[bool] = []


def measure(shape: str, tasks: int, workdir: Path, modes: list[str]) -> list[Result]:
    folder = workdir / f"{shape}-{tasks}"
    start = time.perf_counter()
    scenario = write_synthetic(folder, shape, tasks)
    generate_seconds = time.perf_counter() - start
    if not _warmed:
        # One untimed run first, so the timed ones load every module from cached bytecode.
        run_measured([sys.executable, "-m", "rolecall", "replay", str(scenario), "-o", str(folder / "warm")])
        _warmed.append(True)
    floor_seconds, _, code, stderr = run_measured([sys.executable, str(_FLOOR), str(scenario), str(folder / "f.jsonl")])
    if code != 0:
        raise SystemExit(f"floor of {shape} {tasks} exited {code}:\n{stderr}")
    floor_events = count_lines(folder / "f.jsonl")
    out = folder / "out"
    rolecall = [sys.executable, "-m", "rolecall"]
    runs = {
        "events-only": [*rolecall, "replay", str(scenario), "-o", str(out), "--events-only"],
        "default": [*rolecall, "replay", str(scenario), "-o", str(folder / "full")],
        "render": [*rolecall, "render", str(out / "events.jsonl")],
        "report": [*rolecall, "report", str(out / "events.jsonl")],
        "check": [*rolecall, "check", str(out / "events.jsonl"), "--allow-empty"],
    }
    results: list[Result] = []
    events = 0
    for mode in ["events-only", *[m for m in modes if m != "events-only"]]:
        seconds, peak_mb, code, stderr = run_measured(runs[mode])
        if code not in (0, 1) or (mode == "events-only" and code != 0):
            raise SystemExit(f"{mode} of {shape} {tasks} exited {code}:\n{stderr}")
        if mode == "events-only":
            events = count_lines(out / "events.jsonl")
        results.append(
            Result(shape, tasks, events, seconds, peak_mb, generate_seconds, floor_seconds, floor_events, mode)
        )
    return results


def print_table(results: list[Result]) -> None:
    header = (
        f"{'shape':<8} {'tasks':>7} {'mode':<11} {'events':>8} {'seconds':>8} {'us/event':>9} "
        f"{'floor us':>8} {'ratio':>6} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.shape:<8} {r.tasks:>7} {r.mode:<11} {r.events:>8} {r.seconds:>8.3f} {r.us_per_event:>9.2f} "
            f"{r.floor_us:>8.2f} {r.ratio:>5.2f}x {r.peak_mb:>8.1f}"
        )


def print_scaling(results: list[Result]) -> None:
    print()
    for shape in dict.fromkeys(r.shape for r in results):
        rows = sorted((r for r in results if r.shape == shape and r.mode == "events-only"), key=lambda r: r.tasks)
        small, large = rows[0], rows[-1]
        if small is large:
            continue
        ratio = large.us_per_event / small.us_per_event
        verdict = "ok" if ratio <= TARGET_SCALING else "over target"
        print(
            f"{shape}: us/event at {large.tasks} tasks / at {small.tasks} tasks = {ratio:.2f}x "
            f"(target <= {TARGET_SCALING}x: {verdict})"
        )
    largest = max((r.tasks for r in results), default=0)
    for r in results:
        if r.tasks != largest:
            continue
        problems = []
        if r.mode == "events-only":
            if r.us_per_event > TARGET_US_PER_EVENT:
                problems.append(f"{r.us_per_event:.2f} us/event > {TARGET_US_PER_EVENT}")
            if r.ratio > TARGET_FLOOR_RATIO:
                problems.append(f"{r.ratio:.2f}x the floor > {TARGET_FLOOR_RATIO}x")
            if r.peak_mb > TARGET_PEAK_MB:
                problems.append(f"{r.peak_mb:.0f} MB > {TARGET_PEAK_MB:.0f}")
        elif r.mode == "default":
            if r.us_per_event > TARGET_DEFAULT_US:
                problems.append(f"{r.us_per_event:.2f} us/event > {TARGET_DEFAULT_US}")
            if r.peak_mb > TARGET_PEAK_MB:
                problems.append(f"{r.peak_mb:.0f} MB > {TARGET_PEAK_MB:.0f}")
        elif r.peak_mb > TARGET_READ_MB:
            problems.append(f"{r.peak_mb:.0f} MB > {TARGET_READ_MB:.0f}")
        verdict = "; ".join(problems) if problems else "within targets"
        print(f"{r.shape} {r.tasks} {r.mode}: {verdict}")


def time_phases(shape: str, tasks: int, workdir: Path, all_in: Result | None, views: bool = False) -> None:
    """Time parse, plan, simulate and write in this process for one scenario."""
    from rolecall.events import JsonlSink
    from rolecall.orchestrator import Coordinator, build_plan, load_scenario
    from rolecall.roles import resolve_cast

    scenario_path = write_synthetic(workdir / f"phases-{shape}-{tasks}", shape, tasks)
    clock = time.perf_counter
    # As the command runs them: the collector's threshold raised, events written 512 at a time.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)

    start = clock()
    scenario, doc = load_scenario(scenario_path)
    cast = resolve_cast(scenario.cast, relative_to=scenario_path.parent)
    parse = clock() - start

    start = clock()
    plan = build_plan(scenario, cast, doc)
    planning = clock() - start

    count = 0

    def null_sink(_event: object) -> None:
        nonlocal count
        count += 1

    start = clock()
    Coordinator(plan).run(null_sink)
    simulate = clock() - start

    target = scenario_path.parent / "phases-events.jsonl"
    start = clock()
    with target.open("w", encoding="utf-8") as handle:
        writer = JsonlSink(handle, batch=512)
        Coordinator(plan).run(writer)
        writer.flush()
    simulate_and_write = clock() - start
    gc.set_threshold(*thresholds)
    write = max(0.0, simulate_and_write - simulate)

    total = parse + planning + simulate + write
    rows = [
        ("parse + validate TOML (and cast)", parse),
        ("plan", planning),
        ("simulate (null sink)", simulate),
        ("write JSONL (simulate+write minus simulate)", write),
    ]
    print(f"\nIn-process phases, {shape}, {tasks} tasks, {count} events:")
    for name, seconds in rows:
        share, per_event = seconds / total, seconds / count * 1e6
        print(f"  {name:<44} {seconds:>8.3f} s  {share:>5.1%}  {per_event:>6.2f} us/event")
    print(f"  {'sum':<44} {total:>8.3f} s")
    if all_in is not None:
        rest = all_in.seconds - total
        print(f"  {'all-in subprocess (from the table)':<44} {all_in.seconds:>8.3f} s")
        print(f"  {'rest: start-up, imports, summary, etc.':<44} {rest:>8.3f} s")
    name, _ = max(rows, key=lambda row: row[1])
    print(f"  costliest phase: {name.split(' (')[0]}")
    if views:
        time_views(plan)


def time_views(plan: Plan) -> None:
    """Time what the default replay adds to the events: the narration, then each view built on it.

    The events are kept in a list first, so each line is the view's own cost.
    The narrator decides the words of both transcripts; the Markdown transcript
    formats its parts, and the page formats them again as HTML (plus its
    timeline and graph), so each line includes the one above.
    """
    from rolecall.files.templates import load_templates
    from rolecall.orchestrator import Coordinator
    from rolecall.render.html import HtmlPage
    from rolecall.render.markdown import MarkdownTranscript
    from rolecall.render.narrator import Narrator

    events: list[Event] = []
    Coordinator(plan).run(events.append)
    templates = load_templates()
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    print(f"\nIn-process views of the same run ({len(events)} events; each line includes the one above):")
    for name, make in (
        ("narration (the words of both views)", lambda: Narrator(templates)),
        ("Markdown transcript", lambda: MarkdownTranscript(templates)),
        ("Markdown transcript and HTML page", lambda: HtmlPage(templates)),
    ):
        gc.collect()
        start = time.perf_counter()
        view = make()
        for event in events:
            view(event)
        seconds = time.perf_counter() - start
        print(f"  {name:<44} {seconds:>8.3f} s  {seconds / len(events) * 1e6:>6.2f} us/event")
        del view
    gc.set_threshold(*thresholds)


def _ints(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark rolecall replay on synthetic scenarios.")
    parser.add_argument("--sizes", type=_ints, default=[1000, 10_000, 100_000], help="comma-separated")
    parser.add_argument(
        "--shapes",
        type=lambda s: [p.strip() for p in s.split(",") if p.strip()],
        default=list(SHAPES),
        help=f"comma-separated, from: {', '.join(SHAPES)}",
    )
    parser.add_argument(
        "--phase-size",
        type=int,
        default=None,
        help="size for the in-process phase timing (default: the largest size; 0 to skip)",
    )
    parser.add_argument(
        "--modes",
        type=lambda s: [p.strip() for p in s.split(",") if p.strip()],
        default=["events-only"],
        help=f"comma-separated, from: {', '.join(MODES)} (events-only is always measured)",
    )
    args = parser.parse_args(argv)
    bad_modes = [m for m in args.modes if m not in MODES]
    if bad_modes:
        parser.error(f"unknown mode(s): {', '.join(bad_modes)}")
    unknown = [s for s in args.shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}")
    sizes = sorted(set(args.sizes))
    phase_size = max(sizes) if args.phase_size is None else args.phase_size

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="rolecall-bench-") as tmp:
        workdir = Path(tmp)
        for shape in args.shapes:
            for size in sizes:
                results.extend(measure(shape, size, workdir, args.modes))
                print(f"  measured {shape} {size}", file=sys.stderr, flush=True)
        print()
        print_table(results)
        print_scaling(results)
        if phase_size > 0:
            for shape in args.shapes:
                all_in = next((r for r in results if r.shape == shape and r.tasks == phase_size), None)
                time_phases(shape, phase_size, workdir, all_in, views="default" in args.modes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
