"""The ``rolecall import`` and ``rolecall export`` commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecall.errors import InputError, UsageError

if TYPE_CHECKING:
    from rolecall.interop.imported import Imported, ImportOptions
    from rolecall.interop.instructions import Instructions
    from rolecall.roles import Cast

__all__ = ["add_parsers"]

_IMPORT_FORMATS = {
    "claude-code": ("DIR", "a folder of Claude Code subagent files (.claude/agents/), searched recursively, "
                    "or one file"),
    "crewai": ("CONFIG", "a CrewAI config folder (agents.yaml and tasks.yaml, or crew.yaml and task.yaml) "
               "or an agents file; its tasks file is found beside it"),
    "role-boundaries": ("DIR", "a folder of persona files with role_boundaries (<id>.agent.yaml, or .md with "
                        "the persona as front matter), searched recursively"),
}  # fmt: skip


def _out(text: str) -> None:
    sys.stdout.write(text)


def _cast_name(args: argparse.Namespace, out: Path) -> tuple[str | None, str]:
    """The ``--name`` given (checked), and the name to use without one: the output folder's."""
    from rolecall.interop.naming import persona_id

    if args.name is not None and persona_id(args.name) != args.name:
        raise UsageError(f"--name '{args.name}': a cast name is lower-case letters, digits, '-' and '_'")
    return args.name, persona_id(out.absolute().name) or "imported"


def _cast_ref(scenario: Path, out: Path) -> str:
    """How the scenario names the cast folder: a path relative to the scenario's own folder."""
    ref = Path(os.path.relpath(out.absolute(), scenario.absolute().parent)).as_posix()
    return ref if ref.startswith(".") or "/" in ref else f"./{ref}"


def _verify(folder: Path, scenario: str | None) -> None:
    """The imported cast must load as any cast does, and its scenario must plan against it."""
    from rolecall.orchestrator import build_plan, load_scenario
    from rolecall.roles import load_cast

    cast = load_cast(folder)
    if scenario is not None:
        parsed, doc = load_scenario(folder / scenario)
        build_plan(parsed, cast, doc)


def _scenario_destination(args: argparse.Namespace, out: Path, name: str) -> Path:
    """Where the CrewAI tasks go, checked before any work."""
    path = Path(args.scenario) if args.scenario else out / "scenarios" / f"{name}.toml"
    if path.is_dir():
        raise UsageError(f"--scenario {path}: is a folder; expected a file path")
    if path.absolute().parent == out.absolute():
        raise UsageError(
            f"--scenario {path}: a TOML file directly in the cast folder reads as a persona; "
            "put it in a subfolder or elsewhere"
        )
    if not path.absolute().is_relative_to(out.absolute()):
        from rolecall.files import check_output_file

        check_output_file(path, "--scenario")
    return path


def _read(args: argparse.Namespace, options: ImportOptions, out: Path, scenario: Path | None) -> Imported:
    if scenario is not None:
        from rolecall.interop.crewai import find_crew_files, import_crewai

        crew = find_crew_files(Path(args.source), Path(args.tasks) if args.tasks else None)
        return import_crewai(crew, options, _cast_ref(scenario, out))
    from rolecall.interop.sources import read_tree

    files = read_tree(Path(args.source))
    if args.format == "claude-code":
        from rolecall.interop.claude_code import import_claude_code

        return import_claude_code(files, options)
    from rolecall.interop.role_boundaries import import_role_boundaries

    return import_role_boundaries(files, options)


def _cmd_import(args: argparse.Namespace) -> int:
    from rolecall.interop.castfiles import cast_files, check_new_folder, toml_text, write_file, write_new_folder
    from rolecall.interop.imported import ImportOptions

    out = Path(args.output)
    check_new_folder(out)
    given, default = _cast_name(args, out)
    options = ImportOptions(default_name=default, source=args.source, name=given, orchestrator=args.orchestrator)
    scenario_path = _scenario_destination(args, out, given or default) if args.format == "crewai" else None
    imported = _read(args, options, out, scenario_path)
    _out(imported.report.text())
    if imported.cast is None:
        raise InputError.single(Path(args.source), "nothing imported: no file holds a persona (see the report above)")
    written = cast_files(imported.cast, imported.origin)
    inside: str | None = None
    scenario_text = None
    if imported.scenario is not None and scenario_path is not None:
        scenario_text = toml_text(imported.scenario, [imported.origin, *imported.scenario_notes])
        if scenario_path.absolute().is_relative_to(out.absolute()):
            inside = scenario_path.absolute().relative_to(out.absolute()).as_posix()
            written[inside] = scenario_text
    write_new_folder(out, written, lambda folder: _verify(folder, inside))
    if scenario_text is not None and scenario_path is not None and inside is None:
        write_file(scenario_path, scenario_text)
        _verify(out, os.path.relpath(scenario_path.absolute(), out.absolute()))
    texts = [*written.values(), *([scenario_text] if scenario_text and not inside else [])]
    _summary(imported, out, texts, scenario_path if scenario_text is not None else None)
    return 0


def _summary(imported: Imported, out: Path, texts: list[str], scenario: Path | None) -> None:
    from rolecall._words import count
    from rolecall.interop.castfiles import count_fill_ins

    cast = imported.cast
    assert cast is not None
    _out(f"Cast:      {out} ({cast.manifest.name}: {len(cast.personas)} personas, "
         f"{len(cast.manifest.capability)} capabilities), valid\n")  # fmt: skip
    if scenario is not None and imported.scenario is not None:
        _out(f"Scenario:  {scenario} ({len(imported.scenario['task'])} tasks), plans against the cast\n")
    marked = count_fill_ins(texts)
    if marked:
        _out(f'Fill in:   {count(marked, "place")} (values starting "FILL IN:", placeholders named in file headers); '
             f'list them with: grep -rn "FILL IN" {out}\n')  # fmt: skip


def _load(cast_ref: str) -> tuple[Cast, dict[str, Instructions]]:
    from rolecall.interop.instructions import load_instructions
    from rolecall.roles import resolve_cast

    cast = resolve_cast(cast_ref)
    return cast, load_instructions(cast.source, [p.id for p in cast.personas])


def _cmd_export(args: argparse.Namespace) -> int:
    from rolecall.files import check_output_dir, check_output_file, is_dir, is_file, read_text
    from rolecall.interop.castfiles import write_file, write_files
    from rolecall.interop.exporters import AGENTS_MD, AGENTS_MD_MARK, agents_md_text, claude_code_files, crewai_files

    out = Path(args.output)
    if args.format == "agents-md":
        # A trailing slash names a folder, as everywhere else, whether or not it exists yet.
        named_folder = args.output.endswith(("/", os.sep)) or is_dir(out)
        target = out / AGENTS_MD if named_folder else out
        check_output_file(target, "-o")
        if not args.force and is_file(target) and AGENTS_MD_MARK not in read_text(target, what="file"):
            raise UsageError(
                f"-o {target}: the file exists and was not written by rolecall export; pass --force to replace it"
            )
    else:
        check_output_dir(out, "-o")
    cast, instructions = _load(args.cast)
    if args.format == "agents-md":
        write_file(target, agents_md_text(cast, instructions))
        written = [target]
    elif args.format == "claude-code":
        written = write_files(out, claude_code_files(cast, instructions))
    else:
        scenario = None
        if args.scenario:
            from rolecall.orchestrator import build_plan, load_scenario

            scenario, doc = load_scenario(Path(args.scenario))
            build_plan(scenario, cast, doc)  # every task must make sense in this cast
        written = write_files(out, crewai_files(cast, instructions, scenario))
    _out(f"Exported cast {cast.name} ({len(cast.personas)} personas) as {args.format}:\n")
    _out("".join(f"  {path}\n" for path in written))
    return 0


def add_parsers(sub: Any) -> None:
    """Add the ``import`` and ``export`` commands to the top-level subparsers."""
    p = sub.add_parser(
        "import",
        help="turn Claude Code, CrewAI or role-boundary persona files into a cast",
        description="Read another tool's persona files into a new cast folder that `rolecall roles validate` "
        "accepts, printing what happened to each file (imported, imported with warnings, skipped and why). "
        'What cannot be derived is marked "FILL IN:". Exit 2 when nothing could be imported.',
    )
    formats = p.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name, (metavar, what) in _IMPORT_FORMATS.items():
        f = formats.add_parser(name, help=f"import {what.split(' (')[0]}", description=f"Import {what}.")
        f.add_argument("source", metavar=metavar, help=what)
        f.add_argument("-o", "--output", required=True, metavar="OUT", help="the new cast folder (must not exist "
                       "or be empty), e.g. roles/my-team")  # fmt: skip
        f.add_argument("--name", default=None, help="the cast's name (default: the name of the OUT folder)")
        f.add_argument(
            "--orchestrator", default=None, metavar="ID", help="make this imported persona the orchestrator "
            "(default: the one the files call orchestrator, else one is added)"
        )  # fmt: skip
        if name == "crewai":
            f.add_argument("--tasks", default=None, metavar="FILE", help="the tasks file, if not beside the agents")
            f.add_argument(
                "--scenario", default=None, metavar="FILE", help="where to write the tasks as a scenario "
                "(default: OUT/scenarios/NAME.toml)"
            )  # fmt: skip
        f.set_defaults(handler=_cmd_import)

    p = sub.add_parser(
        "export",
        help="write a cast as Claude Code subagents, CrewAI YAML or AGENTS.md",
        description="Write a cast for the agents that run, each agent's instructions ending with its role "
        "boundaries in plain words: what it owns, what it must never do and whom to hand it to, how to hand "
        "off. Existing files of the same names are replaced; the same cast always gives the same files.",
    )
    formats = p.add_subparsers(dest="format", metavar="FORMAT", required=True)
    targets = {
        "claude-code": ("DIR", "one <name>.md subagent per persona, e.g. -o .claude/agents"),
        "crewai": ("DIR", "agents.yaml (and tasks.yaml with --scenario)"),
        "agents-md": ("FILE", "one AGENTS.md for Codex-style agents (a folder gets DIR/AGENTS.md)"),
    }
    for name, (metavar, what) in targets.items():
        f = formats.add_parser(name, help=what, description=f"Export a cast: {what}.")
        f.add_argument("cast", metavar="CAST", help="a shipped cast name or a cast folder")
        f.add_argument("-o", "--output", required=True, metavar=metavar, help=what)
        if name == "crewai":
            f.add_argument("--scenario", default=None, metavar="FILE", help="also write its tasks as tasks.yaml")
        if name == "agents-md":
            f.add_argument(
                "--force", action="store_true", help="replace an existing file that rolecall export did not write"
            )
        f.set_defaults(handler=_cmd_export)
