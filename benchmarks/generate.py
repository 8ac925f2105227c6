"""Synthetic scenarios of any size, for benchmarking the planner and the coordinator.

Writes a self-contained folder::

    OUT/cast/cast.toml       an orchestrator persona ``lead`` and the manifest
    OUT/cast/lead.toml
    OUT/cast/p00.toml ...    one specialist per capability (work.c00 ...)
    OUT/scenario.toml        the tasks, referencing the cast as ``./cast``

Two shapes of dependency graph:

``chain``
    ``--chains`` independent chains (default 20); task ``i`` belongs to chain
    ``i % chains`` and depends on the task before it in that chain. One phase.

``layered``
    layers of ``--width`` tasks (default 100); each task depends on two tasks
    of the layer before it. The layers are split into four phases by quarter,
    each phase after the previous one, so no task depends on a later phase.

Everything is deterministic: the same arguments always write the same bytes.
The TOML is built as text, so 100,000 tasks take well under a second.

Usage::

    python benchmarks/generate.py --shape layered --tasks 10000 --out /tmp/bench
    rolecall replay /tmp/bench/scenario.toml -o /tmp/bench/out
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

__all__ = ["SHAPES", "write_cast", "write_synthetic"]

SHAPES = ("chain", "layered")

_ENV_VAR = "BENCH_TOKEN"


def _capability(k: int) -> str:
    return f"work.c{k:02d}"


def _persona(k: int) -> str:
    return f"p{k:02d}"


def write_cast(folder: Path, personas: int = 20) -> None:
    """Write a cast of ``lead`` plus ``personas`` specialists, each owning one capability."""
    if not 1 <= personas <= 100:
        raise ValueError("personas must be between 1 and 100")
    folder.mkdir(parents=True, exist_ok=True)
    ids = [_persona(k) for k in range(personas)]
    members = ", ".join(f'"{p}"' for p in ["lead", *ids])
    manifest = [
        'name = "synthetic"',
        'title = "Synthetic cast"',
        f'description = "An orchestrator and {personas} specialists, one capability each, for benchmarks."',
        'orchestrator = "lead"',
        f"members = [{members}]",
    ]
    for k in range(personas):
        manifest += [
            "",
            "[[capability]]",
            f'id = "{_capability(k)}"',
            f'description = "Synthetic work of kind {k:02d}"',
        ]
    (folder / "cast.toml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    (folder / "lead.toml").write_text(
        "\n".join(
            [
                'id = "lead"',
                'name = "Lead"',
                'title = "Orchestrator"',
                'handle = "@lead"',
                'kind = "orchestrator"',
                "",
                "[prose]",
                'role = "Coordinates the synthetic specialists."',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    for k, pid in enumerate(ids):
        (folder / f"{pid}.toml").write_text(
            "\n".join(
                [
                    f'id = "{pid}"',
                    f'name = "P{k:02d}"',
                    f'title = "Specialist {k:02d}"',
                    f'handle = "@{pid}"',
                    'kind = "specialist"',
                    "",
                    "[prose]",
                    f'role = "Does synthetic work of kind {k:02d}."',
                    "",
                    "[[owns]]",
                    f'capability = "{_capability(k)}"',
                ]
            )
            + "\n",
            encoding="utf-8",
        )


def _chain_graph(tasks: int, chains: int, personas: int) -> tuple[list[tuple[int, ...]], list[int]]:
    """Dependencies and capability index of every task of the chain shape."""
    chains = max(1, min(chains, tasks))
    deps = [(i - chains,) if i >= chains else () for i in range(tasks)]
    # step s of chain c uses capability (c + s): at each step the chains use distinct personas
    caps = [(i % chains + i // chains) % personas for i in range(tasks)]
    return deps, caps


def _layered_graph(tasks: int, width: int, personas: int) -> tuple[list[tuple[int, ...]], list[int]]:
    """Dependencies and capability index of every task of the layered shape."""
    width = max(1, min(width, tasks))
    deps: list[tuple[int, ...]] = []
    for i in range(tasks):
        layer, j = divmod(i, width)
        if layer == 0:
            deps.append(())
            continue
        base = (layer - 1) * width
        if width == 1:
            deps.append((base,))
            continue
        # a second parent at an offset that changes with the layer (never j itself)
        other = (j + 1 + (layer * 7) % (width - 1)) % width
        deps.append((base + j, base + other))
    caps = [i % personas for i in range(tasks)]
    return deps, caps


def _phases_of(shape: str, tasks: int, width: int) -> tuple[list[str], list[int]]:
    """Phase ids, and for each task the index of its phase."""
    if shape == "chain":
        return ["work"], [0] * tasks
    width = max(1, min(width, tasks))
    layers = math.ceil(tasks / width)
    count = min(4, layers)
    # phase k holds layers [k * layers // count, (k + 1) * layers // count): whole layers only
    phase_of_layer = [0] * layers
    for k in range(count):
        for layer in range(k * layers // count, (k + 1) * layers // count):
            phase_of_layer[layer] = k
    ids = [f"q{k + 1}" for k in range(count)]
    return ids, [phase_of_layer[i // width] for i in range(tasks)]


def write_synthetic(
    out: Path | str,
    shape: str = "chain",
    tasks: int = 1000,
    personas: int = 20,
    *,
    chains: int = 20,
    width: int = 100,
) -> Path:
    """Write ``out/cast/`` and ``out/scenario.toml``; return the scenario's path."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape '{shape}'; choose one of: {', '.join(SHAPES)}")
    if tasks < 1:
        raise ValueError("tasks must be at least 1")
    out = Path(out)
    write_cast(out / "cast", personas)
    if shape == "chain":
        deps, caps = _chain_graph(tasks, chains, personas)
        description = f"{tasks} tasks in {max(1, min(chains, tasks))} independent chains."
    else:
        deps, caps = _layered_graph(tasks, width, personas)
        description = f"{tasks} tasks in layers of {max(1, min(width, tasks))}, two parents each."
    phase_ids, phase_of = _phases_of(shape, tasks, width)
    digits = max(6, len(str(tasks - 1)))
    names = [f"t{i:0{digits}d}" for i in range(tasks)]

    parts = [
        f'name = "synthetic-{shape}-{tasks}"',
        f'title = "Synthetic {shape} scenario, {tasks} tasks"',
        f'request = "Benchmark the coordinator on a {shape} graph of {tasks} tasks."',
        f'description = "{description}"',
        'cast = "./cast"',
        "",
        "[gate]",
        'verifier = "lead"',
        "time = 5",
        "",
        "[[gate.requires]]",
        'kind = "env-var"',
        f'name = "{_ENV_VAR}"',
        "",
        "[environment]",
        f'env_vars = ["{_ENV_VAR}"]',
        "",
    ]
    for pid in phase_ids:
        title = "Work" if shape == "chain" else f"Quarter {pid[1:]} of the layers"
        parts += ["[[phase]]", f'id = "{pid}"', f'title = "{title}"', ""]
    task_caps = [_capability(c) for c in caps]
    for i in range(tasks):
        dep = deps[i]
        dep_text = "depends_on = [" + ", ".join(f'"{names[d]}"' for d in dep) + "]\n" if dep else ""
        parts.append(
            f'[[task]]\nid = "{names[i]}"\nphase = "{phase_ids[phase_of[i]]}"\n'
            f'capability = "{task_caps[i]}"\nsummary = "Synthetic task {i}"\n'
            f"expected_time = {10 + (i * 7) % 50}\n{dep_text}"
        )
    scenario = out / "scenario.toml"
    scenario.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic cast and scenario for benchmarks.")
    parser.add_argument("--shape", choices=SHAPES, default="chain")
    parser.add_argument("--tasks", type=int, default=1000, help="number of tasks (default 1000)")
    parser.add_argument("--personas", type=int, default=20, help="specialists, 1-100 (default 20)")
    parser.add_argument("--chains", type=int, default=20, help="chain shape: number of chains")
    parser.add_argument("--width", type=int, default=100, help="layered shape: tasks per layer")
    parser.add_argument("--out", required=True, type=Path, help="folder to write (created if missing)")
    args = parser.parse_args(argv)
    try:
        scenario = write_synthetic(
            args.out, args.shape, args.tasks, args.personas, chains=args.chains, width=args.width
        )
    except ValueError as exc:
        parser.error(str(exc))
    sys.stdout.write(f"{scenario}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
