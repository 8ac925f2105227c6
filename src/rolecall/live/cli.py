"""The ``rolecall run --live`` and ``rolecall freeze`` commands."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecall.errors import UsageError

if TYPE_CHECKING:
    from rolecall.orchestrator.scenario import Decision

__all__ = ["add_parsers"]

EXIT_INTERRUPTED = 130


def _out(text: str) -> None:
    sys.stdout.write(text)


def _cmd_run(args: argparse.Namespace) -> int:
    from rolecall.files import check_output_dir, load_agents, load_templates, plan_file
    from rolecall.files.reading import is_dir, is_file
    from rolecall.live.agents import default_agents_file
    from rolecall.live.approvals import approver_for
    from rolecall.live.progress import Progress
    from rolecall.live.run import agent_totals, planned_live, run_live, stamp
    from rolecall.render.summary import SummaryBuilder
    from rolecall.roles import resolve_cast

    if not args.live:
        raise UsageError(
            "rolecall run starts real agents, which can cost money and change files; say so with --live "
            "(to replay the scenario without agents: rolecall replay)"
        )
    scenario_path = Path(args.scenario)
    agents_path = Path(args.agents) if args.agents else default_agents_file()
    if not is_file(agents_path):
        where = "--agents" if args.agents else "the default agents file"
        what = "is a folder, not an agents file" if is_dir(agents_path) else "does not exist"
        raise UsageError(f"{where} {agents_path} {what}: bind each persona to a command there (docs/live.md)")
    folder = Path(args.output) if args.output else Path("runs") / f"{scenario_path.stem}-{stamp()}"
    check_output_dir(folder, "output")
    if args.output and is_dir(folder) and any(folder.iterdir()):
        raise UsageError(f"-o {folder} already holds files: a run folder is never reused, choose a new one")
    templates = load_templates(Path(args.templates) if args.templates else None)
    plan = plan_file(scenario_path, resolve_cast(args.cast) if args.cast else None)
    agents, bindings = load_agents(agents_path, plan.cast)
    here = agents_path.parent
    workdir_text = args.workdir or agents.run.workdir
    in_run = "{run}" in workdir_text
    workdir = Path(workdir_text.replace("{run}", str(folder)))
    if not in_run and not is_dir(workdir):
        where = "--workdir" if args.workdir else f"[run] workdir in {agents_path}"
        raise UsageError(f"{where}: {workdir} is not a folder; agents work in an existing folder")
    plan = planned_live(plan, agents.run.retries)
    outside = sorted({f for t in plan.tasks for f in t.files if Path(f).is_absolute() or ".." in Path(f).parts})
    if outside:
        sys.stderr.write(
            "rolecall: warning: tasks list files outside the working folder, where changes are not seen: "
            + ", ".join(outside)
            + "\n"
        )
    approver = approver_for(args.approve, plan.scenario, interactive=sys.stdin.isatty())
    show = sys.stderr.isatty() and not args.quiet
    progress = Progress(len(plan.tasks)) if show else None
    if approver is not None and progress is not None:
        asks, shown = approver, progress

        def approver(decision: Decision) -> bool:
            shown.close()  # the question starts on a clean line, not after the progress line
            return asks(decision)

    folder = _claim(folder, fixed=bool(args.output))
    workdir = Path(workdir_text.replace("{run}", str(folder)))
    workdir.mkdir(parents=True, exist_ok=True)
    summary = SummaryBuilder()
    received: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    # A CI runner stops a job with SIGTERM: the agents must stop with the run, as on Ctrl-C.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        run = run_live(
            plan,
            bindings,
            agents.run,
            templates,
            folder,
            here=here,
            workdir=workdir,
            approver=approver,
            live_sinks=(progress,) if progress is not None else (),
            views=(summary,),
            on_change=progress.redraw if progress is not None else None,
            agents_file=agents_path,
        )
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        sys.stderr.write(
            f"rolecall: interrupted; every agent was stopped and {folder / 'events.jsonl'} "
            "holds the run up to its last event\n"
        )
        return 128 + received[0] if received else EXIT_INTERRUPTED
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if progress is not None:
            progress.close()
    _out(summary.text() + agent_totals(folder) + "Written:    " + ", ".join(map(str, run.written)) + "\n")
    _out(f"Run folder: {folder} (prompts/, output/, answers/, activities.jsonl, run.log)\n")
    return 0 if run.completed else 1


def _claim(folder: Path, fixed: bool) -> Path:
    """Create the run folder; a default name already taken (two runs in one second) gets a suffix."""
    if fixed:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        candidate = folder if n == 1 else folder.with_name(f"{folder.name}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise UsageError(f"could not create a run folder beside {folder}: pass -o RUN_DIR")


def _cmd_freeze(args: argparse.Namespace) -> int:
    from rolecall.files import check_output_file
    from rolecall.live.freeze import freeze

    check_output_file(args.output, "-o")
    written = freeze(Path(args.run), Path(args.output), force=args.force)
    _out(f"Froze {args.run} into {written}: replay it with rolecall replay {written}\n")
    return 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="run a scenario with real agents (--live): each persona driven by its command",
        description="Run a scenario with real CLI agents: each persona of the cast is bound to a command "
        "(Claude Code, Gemini CLI, Codex, aider, ollama, llama.cpp or any program) in an agents file. "
        "The coordinator decides as in a replay; the agents do the work. Everything is checked before the "
        "first agent starts. The run folder keeps the prompts, each agent's raw output and answer, "
        "events.jsonl (written as the run goes), run.log and the transcripts. "
        "Exit 0 when the run completed, 1 when it did not, 2 for bad input, 130 when interrupted (Ctrl-C), "
        "143 when stopped by SIGTERM (129 on SIGHUP); either way every agent is stopped first.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file")
    p.add_argument("--live", action="store_true", help="really start the agents (required: they cost money)")
    p.add_argument("-o", "--output", metavar="RUN_DIR", help="run folder (default: runs/<scenario>-<time>)")
    p.add_argument(
        "--agents", metavar="FILE", help="agents file binding personas to commands (default: orchestrator/agents.toml)"
    )
    p.add_argument(
        "--approve",
        metavar="yes|no|FILE",
        help="answer the scenario's decisions: all yes, all no, or a TOML file of decision-id = true|false "
        "(default: ask on the terminal)",
    )
    p.add_argument("--workdir", metavar="DIR", help="folder the agents work in (default: the agents file's [run])")
    p.add_argument("--cast", metavar="CAST", help="use this cast instead of the one the scenario names")
    p.add_argument("--templates", metavar="DIR", help="folder of edited templates (prompts and handoffs)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line on the terminal")
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser(
        "freeze",
        help="turn a live run folder into a scenario that replays it",
        description="Write a scenario from a live run: the durations (in seconds), failures, review verdicts, "
        "decisions and deliverables as they happened, so CI replays the run deterministically and checks "
        "the policies against what the agents really did.",
    )
    p.add_argument("run", metavar="RUN_DIR", help="a folder written by rolecall run --live")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="scenario TOML file to write")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=_cmd_freeze)
