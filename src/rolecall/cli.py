"""The ``rolecall`` command line.

Exit codes: 0 success, 1 a check or expectation failed, 2 bad input or usage.
Errors in user files are printed one line per problem, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecall import __version__
from rolecall._output import GuardedOutput, tell
from rolecall.errors import InputError, RolecallError, UsageError

if TYPE_CHECKING:
    from rolecall.handoffs import TemplateLibrary
    from rolecall.orchestrator import Plan

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


def _out(text: str) -> None:
    sys.stdout.write(text)


# -- roles -------------------------------------------------------------------


def _cmd_roles_list(args: argparse.Namespace) -> int:
    from rolecall.roles import resolve_cast, shipped_casts
    from rolecall.roles.card import cast_table

    if args.all:
        _out("\n".join(cast_table(resolve_cast(name)) for name in shipped_casts()))
    else:
        _out(cast_table(resolve_cast(args.cast)))
    return EXIT_OK


def _cmd_roles_show(args: argparse.Namespace) -> int:
    from rolecall.roles import resolve_cast
    from rolecall.roles.card import persona_card

    cast = resolve_cast(args.cast)
    _out(persona_card(cast, cast.persona(args.persona)))
    return EXIT_OK


def _cmd_roles_validate(args: argparse.Namespace) -> int:
    from rolecall.files import load_cast
    from rolecall.roles import cast_folder, shipped_casts

    failures: list[InputError] = []
    folders: list[Path] = []
    for ref in args.paths or shipped_casts():
        try:
            folders.append(cast_folder(ref))
        except UsageError as exc:  # an unknown name must not hide the problems of the other folders
            failures.append(InputError.single(Path(ref), str(exc)))
    for folder in folders:
        try:
            cast = load_cast(folder)
        except InputError as exc:
            failures.append(exc)
            continue
        _out(f"ok: {folder} ({cast.name}: {len(cast)} personas, {len(cast.capabilities)} capabilities)\n")
    if failures:
        raise InputError([p for f in failures for p in f.problems])
    return EXIT_OK


def _cmd_route(args: argparse.Namespace) -> int:
    from rolecall.roles import resolve_cast, route
    from rolecall.roles.card import route_text

    text = " ".join(args.request).strip()
    if not text:
        raise UsageError('route needs a request, e.g. rolecall route "Add a createUser Server Action"')
    cast = resolve_cast(args.cast)
    _out(route_text(cast, route(cast, text)))
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from rolecall.schemas import schema_json

    _out(schema_json(args.name))
    return EXIT_OK


# -- scenarios ---------------------------------------------------------------


def _plan(args: argparse.Namespace) -> Plan:
    from rolecall.files import plan_file
    from rolecall.roles import resolve_cast

    cast = resolve_cast(args.cast) if args.cast else None
    return plan_file(Path(args.scenario), cast)


def _cmd_plan(args: argparse.Namespace) -> int:
    from rolecall.orchestrator import Coordinator
    from rolecall.render.plan_text import plan_text

    plan = _plan(args)
    final = Coordinator(plan).run(lambda _event: None)
    _out(plan_text(plan, final, plan.scenario.clock))
    return EXIT_OK


def _templates(args: argparse.Namespace) -> TemplateLibrary:
    from rolecall.files import load_templates

    return load_templates(Path(args.templates) if args.templates else None)


def _cmd_replay(args: argparse.Namespace) -> int:
    from rolecall.api import replay
    from rolecall.events import JsonlSink
    from rolecall.files.spool import Spool
    from rolecall.render.html import HtmlPage
    from rolecall.render.markdown import MarkdownTranscript
    from rolecall.render.summary import SummaryBuilder

    if args.update_golden and not args.golden:
        raise UsageError("--update-golden needs --golden DIR")
    if args.events_only and not args.output:
        raise UsageError("--events-only needs -o DIR")
    _check_destinations(args)
    templates = _templates(args)  # checked before anything runs
    shown = args.format or ("summary" if args.output or args.golden else "md")
    files = bool(args.output) and not args.events_only
    # Written files come with their transcript and page; anything else shown is rendered as the run goes.
    page = HtmlPage(templates, Spool) if not files and shown == "html" else None
    transcript = page.transcript if page is not None else None
    if transcript is None and not files and (shown == "md" or args.golden):
        transcript = MarkdownTranscript(templates, Spool)
    summary = SummaryBuilder()
    sinks: list[Any] = [summary]
    if page is not None:
        sinks.append(page)  # feeds its transcript too
    elif transcript is not None:
        sinks.append(transcript)
    if shown == "jsonl" and not args.output:
        sinks.append(JsonlSink(sys.stdout))
    run = replay(
        Path(args.scenario),
        cast=args.cast or None,
        templates=templates,
        output=args.output,
        events_only=args.events_only,
        sinks=sinks,
        keep_events=False,
    )

    def markdown() -> str:
        return transcript.text() if transcript is not None else run.markdown()

    if shown == "jsonl" and args.output:
        from rolecall.files import iter_lines

        # Streamed back: the file just written may be larger than any file rolecall reads whole.
        sys.stdout.writelines(text for _, text in iter_lines(Path(args.output) / "events.jsonl"))
    elif shown == "md" and transcript is not None:
        sys.stdout.writelines(transcript.pieces())  # never held whole
    elif shown == "md":
        _out(run.markdown())
    elif shown == "html" and page is not None:
        sys.stdout.writelines(page.pieces())
    elif shown == "html":
        _out(run.html())
    elif shown == "summary" and not args.golden:
        written = "Written:    " + ", ".join(map(str, run.written)) + "\n" if args.output else ""
        _out(summary.text() + written)
    if args.golden:
        return _golden(Path(args.golden) / f"{Path(args.scenario).stem}.md", markdown(), args.update_golden)
    return EXIT_OK if run.completed else EXIT_FAILED


def _check_destinations(args: argparse.Namespace) -> None:
    """A bad output path is a usage error before any work is done, not a traceback after it."""
    from rolecall.files import check_output_dir

    if args.output is not None:
        check_output_dir(args.output, "-o")
    if args.golden is not None and args.update_golden:
        check_output_dir(args.golden, "--golden")
    elif args.golden is not None:
        from rolecall.files.writing import check_input_dir

        check_input_dir(args.golden, "--golden")


def _golden(path: Path, text: str, update: bool) -> int:
    """Compare the transcript with its golden file, or rewrite the golden file."""
    import difflib

    from rolecall.files import read_text, write_text_atomic

    if update:
        write_text_atomic(path, text)
        sys.stderr.write(f"updated {path}\n")
        return EXIT_OK
    if not path.exists():
        sys.stderr.write(f"rolecall: no golden transcript {path}; create it with --update-golden\n")
        return EXIT_FAILED
    expected = read_text(path, what="golden transcript")
    if expected == text:
        sys.stderr.write(f"matches {path}\n")
        return EXIT_OK
    diff = difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(path), "replay")
    _out("".join(diff))
    sys.stderr.write(f"rolecall: transcript differs from {path}; review the diff, then --update-golden\n")
    return EXIT_FAILED


def _cmd_render(args: argparse.Namespace) -> int:
    from rolecall.events import event_line
    from rolecall.files.events import stream_events
    from rolecall.files.spool import Spool
    from rolecall.render.markdown import MarkdownTranscript
    from rolecall.render.summary import SummaryBuilder

    templates = _templates(args)
    # Streamed: each event goes to the view as it is read, so a large stream is never held whole;
    # the text waits in a spool (on disk past a few MB). A problem anywhere raises before anything
    # is printed.
    view: Any
    lines = Spool()
    if args.format == "jsonl":
        view = lambda event: lines.append(event_line(event))  # noqa: E731
    elif args.format == "summary":
        view = SummaryBuilder()
    elif args.format == "html":
        from rolecall.render.html import HtmlPage

        view = HtmlPage(templates, Spool)
    else:
        view = MarkdownTranscript(templates, Spool)
    last = None
    for event in stream_events(Path(args.events), partial=args.partial):
        view(event)
        last = event
    assert last is not None
    unfinished = last.kind != "run_finished"
    if unfinished:
        sys.stderr.write(f"rolecall: warning: the run did not finish; shown up to its last event (seq {last.seq})\n")
    if args.format in ("md", "html"):
        sys.stdout.writelines(view.pieces())  # never held whole: a large run's page is hundreds of MB
    elif args.format == "jsonl":
        sys.stdout.writelines(lines)
    else:
        _out(view.text())
    if unfinished and args.format == "md":
        _out(f"\n_The run did not finish: the stream stops at event {last.seq}._\n")
    return EXIT_FAILED if unfinished else EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from rolecall.files.events import stream_events
    from rolecall.orchestrator import Coordinator
    from rolecall.render.report import ReportBuilder

    builder = ReportBuilder()
    source = Path(args.source)
    if source.suffix == ".jsonl":
        for event in stream_events(source):
            builder(event)
    else:
        args.scenario = args.source
        Coordinator(_plan(args)).run(builder)
    _out(builder.markdown(heading_level=1))
    return EXIT_OK


def _cmd_parse_report(args: argparse.Namespace) -> int:
    from rolecall.files import read_stdin, read_text
    from rolecall.handoffs.report_block import parse_report

    text = read_stdin() if args.file == "-" else read_text(Path(args.file))
    parsed = parse_report(text)
    if not parsed.found:
        _out("no === ORCHESTRATOR REPORT === block found\n")
        return EXIT_FAILED
    _out(f"{parsed.kind} report with {len(parsed.sections)} sections:\n")
    _out("".join(f"  - {name} ({len(body.splitlines())} lines)\n" for name, body in parsed.sections.items()))
    if parsed.missing:
        _out("missing: " + ", ".join(parsed.missing) + "\n")
        return EXIT_FAILED
    _out("complete\n")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from rolecall.api import check
    from rolecall.files import default_policies, default_targets, load_policies, write_text_atomic
    from rolecall.policies.report import json_report, junit_xml, text_report

    if args.junit is not None:
        from rolecall.files import check_output_file

        check_output_file(args.junit, "--junit")
    templates = _templates(args)
    policies = load_policies([Path(p) for p in args.policy] if args.policy else default_policies())
    targets = [Path(t) for t in args.targets] or default_targets()
    results = check(targets, policies=policies, templates=templates, allow_empty=args.allow_empty)
    _out(json_report(results) if args.format == "json" else text_report(results, policies))
    if args.junit:
        write_text_atomic(Path(args.junit), junit_xml(results))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED


# -- parser ------------------------------------------------------------------


def _add_cast(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cast",
        default="product-team",
        metavar="NAME|PATH",
        help="a shipped cast name (product-team, feature-crew, model-tiers) or a cast folder (default: product-team)",
    )


def _add_cast_override(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cast", default=None, metavar="NAME|PATH", help="use this cast instead of the one the scenario names"
    )


def _add_templates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates",
        metavar="DIR",
        default=None,
        help="a copy of handoffs/ with edited message templates (files it lacks use the defaults)",
    )


def build_parser() -> argparse.ArgumentParser:
    from rolecall.schemas import SCHEMA_NAMES

    parser = argparse.ArgumentParser(
        prog="rolecall",
        description="Declare a cast of role agents in TOML, replay scenarios through it "
        "deterministically, check role-boundary policies and render handoff transcripts.",
        epilog="Exit codes: 0 ok, 1 a check failed, 2 bad input or usage. Run 'rolecall COMMAND --help' for details.",
    )
    parser.add_argument("--version", action="version", version=f"rolecall {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    roles = sub.add_parser(
        "roles",
        help="list, show and validate personas of a cast",
        description="Inspect and validate casts of personas.",
    )
    roles_sub = roles.add_subparsers(dest="roles_command", metavar="SUBCOMMAND", required=True)
    p = roles_sub.add_parser(
        "list",
        help="list the personas of a cast",
        description="List the personas of a cast with their handles and capabilities.",
    )
    _add_cast(p)
    p.add_argument("--all", action="store_true", help="list every shipped cast")
    p.set_defaults(handler=_cmd_roles_list)
    p = roles_sub.add_parser(
        "show",
        help="show one persona's card",
        description="Show a persona: who it is, what it owns, what is never its "
        "job and to whom that goes, whom it hands work to.",
    )
    p.add_argument("persona", metavar="ID|@handle", help="persona id (morgan) or handle (@backend)")
    _add_cast(p)
    p.set_defaults(handler=_cmd_roles_show)
    p = roles_sub.add_parser(
        "validate",
        help="check cast folders for problems",
        description="Load cast folders and report every problem found "
        "(file, line, field). Without paths, checks the shipped casts.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH|NAME", help="cast folders (containing cast.toml) or shipped cast names"
    )
    p.set_defaults(handler=_cmd_roles_validate)

    p = sub.add_parser(
        "route",
        help="who owns a free-text request, and who must not do it",
        description="Route a request to the persona owning the work, explaining the "
        "matched keywords and capability. Unmatched or ambiguous requests go to "
        "the orchestrator.",
    )
    p.add_argument("request", nargs="+", help="the request text")
    _add_cast(p)
    p.set_defaults(handler=_cmd_route)

    p = sub.add_parser(
        "plan",
        help="check a scenario and print its levels, critical path and times",
        description="Validate a scenario against its cast (every problem at once, "
        "exit 2), then print the dependency levels, the critical path, the "
        "sequential time and the parallel makespan under per-persona capacity.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file")
    _add_cast_override(p)
    p.set_defaults(handler=_cmd_plan)

    p = sub.add_parser(
        "replay",
        help="replay a scenario deterministically into events",
        description="Replay a scenario in virtual time: the prerequisites gate, "
        "then every task in dependency order and in parallel where the cast "
        "allows. Exit 0 when the run completes, 1 when it is blocked at the gate, "
        "stopped at a decision or has failed tasks, 2 for bad input.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file")
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="write DIR/events.jsonl, DIR/transcript.md and DIR/transcript.html (atomically) and print a summary",
    )
    p.add_argument(
        "--events-only", action="store_true", help="with -o: write only events.jsonl (fastest, for large runs)"
    )
    p.add_argument(
        "--format",
        choices=("md", "html", "summary", "jsonl"),
        default=None,
        help="what to print: the Markdown transcript (default without -o), the self-contained HTML page, "
        "a short summary (default with -o) or the events as JSON Lines",
    )
    _add_templates(p)
    p.add_argument(
        "--golden",
        metavar="DIR",
        default=None,
        help="compare the transcript with DIR/<scenario>.md; print a diff and exit 1 when it differs",
    )
    p.add_argument("--update-golden", action="store_true", help="with --golden: rewrite the golden file instead")
    _add_cast_override(p)
    p.set_defaults(handler=_cmd_replay)

    p = sub.add_parser(
        "render",
        help="render a saved events.jsonl",
        description="Render a saved event stream again, without re-running it: the Markdown "
        "transcript is a pure function of the events and the templates.",
    )
    p.add_argument("events", metavar="EVENTS", help="an events.jsonl written by replay")
    p.add_argument(
        "--format",
        choices=("md", "html", "summary", "jsonl"),
        default="md",
        help="the Markdown transcript (default), the HTML page, a short summary, or the events again",
    )
    _add_templates(p)
    p.add_argument(
        "--partial",
        action="store_true",
        help="accept a stream that stops before run_finished (a live run killed part way): render it up to its "
        "last event, exit 1",
    )
    p.set_defaults(handler=_cmd_render)

    p = sub.add_parser(
        "report",
        help="print the final report of a scenario or a saved events.jsonl",
        description="Print the final report, computed from the events: outcome, agent performance, "
        "phases, parallel against sequential time, the critical path and optimisation opportunities.",
    )
    p.add_argument("source", metavar="SCENARIO|EVENTS", help="a scenario TOML file or an events.jsonl")
    _add_cast_override(p)
    p.set_defaults(handler=_cmd_report)

    p = sub.add_parser(
        "parse-report",
        help="read an === ORCHESTRATOR REPORT === block from an agent's answer",
        description="Find the ORCHESTRATOR REPORT block in a text (an agent's answer, a deliverable), list "
        "its sections and name the missing ones. Exit 0 when complete, 1 when missing or absent.",
    )
    p.add_argument("file", metavar="FILE", help="a text file, or - for standard input")
    p.set_defaults(handler=_cmd_parse_report)

    p = sub.add_parser(
        "check",
        help="check scenarios or saved events against policies and expectations",
        description="Replay each scenario (or read saved events.jsonl), evaluate the policies and the "
        "scenario's [expect] table, and print every finding with its rule, personas, task, event and "
        "transcript line. Exit 0 when everything passes, 1 when an error-level finding or an expectation "
        "fails, 2 for bad input.",
    )
    p.add_argument(
        "targets",
        nargs="*",
        metavar="SCENARIO|EVENTS|DIR",
        help="scenario TOML files, events.jsonl files or folders (every scenario below a folder, and the "
        "*.jsonl files in it); default: ./scenarios",
    )
    p.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="PATH",
        help="a policy file (repeatable); default: ./policies/*.toml when that folder exists, else the "
        "shipped policies; each policy applies to runs of the cast it names",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="how to print the results")
    p.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML (one test case per check)")
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="pass a run that no policy rule applies to (by default it fails: nothing was checked)",
    )
    _add_templates(p)
    p.set_defaults(handler=_cmd_check)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of a file format",
        description="Print the JSON Schema of one of rolecall's file formats.",
    )
    p.add_argument("name", choices=SCHEMA_NAMES, help="which format")
    p.set_defaults(handler=_cmd_schema)

    from rolecall.interop.cli import add_parsers as add_interop_parsers
    from rolecall.live.cli import add_parsers as add_live_parsers

    add_interop_parsers(sub)
    add_live_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A replay builds hundreds of thousands of long-lived objects (the scenario, the plan,
    # the views' state) and almost no cycles: at the default threshold the collector
    # re-scans them every few hundred allocations, about a tenth of a large replay.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*thresholds)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    stdout = sys.stdout
    sys.stdout = GuardedOutput(stdout)
    try:
        code = handler(args)
        sys.stdout.flush()  # a full disk shows here at the latest, not at exit
        return code
    except InputError as exc:
        count = len(exc.problems)
        tell(
            [f"error: {problem}\n" for problem in exc.problems]
            + [f"{count} problem{'s' if count != 1 else ''} found\n"]
        )
        return EXIT_INPUT
    except RolecallError as exc:
        tell([f"rolecall: error: {exc}\n"])
        return EXIT_INPUT
    except BrokenPipeError:
        # `rolecall ... | head` closing the pipe early is not an error
        sys.stderr.close()
        return EXIT_OK
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    raise SystemExit(main())
