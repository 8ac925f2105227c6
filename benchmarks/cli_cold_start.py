"""Cold start of the ``rolecall`` command: every run is a fresh interpreter.

Times, after a few warm-up runs (so the OS file cache is warm but no Python
state is shared):

* ``python -c pass``: the interpreter alone, the floor under everything else;
* pydantic alone: the interpreter importing pydantic and validating one
  one-field model, the floor under any command that reads a file (every file
  rolecall reads is validated by a pydantic model);
* ``python -m rolecall roles list`` and the ``rolecall`` console script beside
  the interpreter (if installed);
* ``rolecall replay scenarios/stripe-subscription.toml -o TMP``.

Usage::

    python benchmarks/cli_cold_start.py
    python benchmarks/cli_cold_start.py --runs 30 --warmup 3

Targets: ``roles list`` under 100 ms, the Stripe replay with its three files
under 150 ms.

The children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed
from their environment), as in any installed copy: the warm-up runs write the
caches. With it set, every module is compiled from source on every run, which
adds about 80 ms that no user pays.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRIPE = ROOT / "scenarios" / "stripe-subscription.toml"

# What any command that validates a file pays before rolecall does anything of its own.
PYDANTIC_FLOOR = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)"

TARGET_ROLES_MS = 100.0
TARGET_REPLAY_MS = 150.0
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_command(argv: list[str], runs: int, warmup: int) -> list[float]:
    """Wall times in milliseconds of ``runs`` fresh runs of ``argv``, after ``warmup`` untimed ones."""
    times: list[float] = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        done = subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=CHILD_ENV, check=False
        )
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{stderr}")
        if i >= warmup:
            times.append(elapsed)
    return times


def _console_script() -> Path | None:
    folder = Path(sys.executable).parent
    for name in ("rolecall", "rolecall.exe"):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time rolecall commands from a cold interpreter.")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")

    module = [sys.executable, "-m", "rolecall"]
    script = _console_script()
    with tempfile.TemporaryDirectory(prefix="rolecall-cold-") as tmp:
        replay = ["replay", str(STRIPE.relative_to(ROOT)), "-o", str(Path(tmp) / "stripe")]
        roles_list = ["roles", "list"]
        commands: list[tuple[str, list[str], float | None]] = [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            ("pydantic alone (one model)", [sys.executable, "-c", PYDANTIC_FLOOR], None),
            ("python -m rolecall roles list", [*module, *roles_list], TARGET_ROLES_MS),
        ]
        if script is not None:
            commands.append(("rolecall roles list", [str(script), *roles_list], TARGET_ROLES_MS))
        commands.append(("python -m rolecall replay stripe", [*module, *replay], TARGET_REPLAY_MS))
        if script is not None:
            commands.append(("rolecall replay stripe", [str(script), *replay], TARGET_REPLAY_MS))

        version = sys.version.split()[0]
        print(f"python {version} on {sys.platform}; {args.runs} runs after {args.warmup} warm-up")
        header = f"{'command':<34} {'min ms':>8} {'median ms':>10} {'max ms':>8} {'target':>8}  verdict"
        print(header)
        print("-" * len(header))
        medians: list[float] = []
        for label, command, target in commands:
            times = time_command(command, args.runs, args.warmup)
            median = statistics.median(times)
            medians.append(median)
            target_text = f"< {target:.0f}" if target is not None else ""
            verdict = "" if target is None else ("ok" if median < target else "over target")
            figures = f"{min(times):>8.1f} {median:>10.1f} {max(times):>8.1f}"
            print(f"{label:<34} {figures} {target_text:>8}  {verdict}".rstrip(), flush=True)
        bare, pydantic = medians[0], medians[1]
        print(f"\nmedians include {bare:.1f} ms of bare interpreter start-up (python -c pass);")
        print(f"a command that validates a file pays {pydantic:.1f} ms before any rolecall code runs (pydantic alone)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
