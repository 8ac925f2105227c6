"""Fuzzing the command line: a mistake in a user's file is one clear message, never a traceback.

Each example writes its files into a fresh temporary folder (hypothesis reuses function-scoped
fixtures across examples, so ``tmp_path`` would leak one example's files into the next), runs
``rolecall.cli.main`` in-process with its output captured, and checks the promise of the README:

- no exception escapes ``main`` (argparse's ``SystemExit`` counts as its exit code);
- the exit code is 0, 1 or 2, and nothing prints a traceback;
- on exit 2, standard error names a culprit file (see strategies.py for which files count),
  and every ``error:`` line names a file; when the oracle knows where a file is wrong (a TOML
  syntax error's line, a value's field, a bad line of an event stream or a template), some
  message gives ``file:LINE:`` (that line when it is known exactly) followed by the field;
- an input that is certainly invalid exits 2, not 0 or 1: a value of the wrong type is an
  error, not something to coerce;
- an HTML page never carries a ``<script>`` tag that came from the input.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rolecall.cli import main
from tests.fuzz import strategies as fz
from tests.fuzz.strategies import Case

F = TypeVar("F", bound=Callable[..., None])


def fuzz_settings(weight: float) -> settings:
    """Settings of one fuzz test: the active profile, "ci" unless one was chosen, times ``weight``.

    ``--hypothesis-profile=NAME`` loads NAME for the whole session; without it the session runs
    hypothesis' "default" profile, which the fuzz tests replace with "ci" for themselves only.
    """
    name = settings.get_current_profile_name()
    base = settings.get_profile("ci" if name == "default" else name)
    return settings(base, max_examples=max(1, round(base.max_examples * weight)))


# -- running the command line ------------------------------------------------------------------


class _Capture(io.StringIO):
    # main() closes sys.stderr on a broken pipe; the captured text must survive that.
    def close(self) -> None:
        pass


@dataclass(frozen=True)
class Outcome:
    code: object
    out: str
    err: str
    error: BaseException | None = None
    trace: str = ""


def invoke(argv: Sequence[str], cwd: Path) -> Outcome:
    """Run ``main(argv)`` in ``cwd`` with stdout and stderr captured; never raises."""
    out, err = _Capture(), _Capture()
    try:
        with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code: object = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:
        # The innermost frames say where; a RecursionError's thousand outer ones only repeat.
        return Outcome(None, out.getvalue(), err.getvalue(), exc, traceback.format_exc(limit=-30))
    finally:
        _forget_casts_under(cwd)
    return Outcome(code, out.getvalue(), err.getvalue())


def _forget_casts_under(root: Path) -> None:
    # Loaded casts are cached per folder for the life of the process; thousands of temporary
    # cast folders would otherwise pile up in memory.
    try:
        from rolecall.roles import registry
    except ImportError:
        return
    cache = getattr(registry, "_cache", None)
    if isinstance(cache, dict):
        real = root.resolve()
        for key in [k for k in cache if isinstance(k, Path) and k.is_relative_to(real)]:
            del cache[key]


@dataclass(frozen=True)
class Command:
    """A command line; ``{slot}`` arguments become paths of the case, ``{root}`` its folder."""

    name: str
    argv: tuple[str, ...]
    html: bool = False
    pages: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Command({self.name!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def render(self, case: Case, root: Path) -> list[str]:
        slots = dict(case.slots)
        out = []
        for arg in self.argv:
            if arg.startswith("{root}"):
                out.append(str(root) + arg.removeprefix("{root}"))
            elif arg.startswith("{") and arg.endswith("}"):
                out.append(str(root / slots[arg[1:-1]]))
            else:
                out.append(arg)
        return out


def _named(err: str, root: Path, culprit: str) -> bool:
    """Whether ``err`` names ``culprit`` as given, by its full path or by its file name."""
    path = root / culprit
    forms = {culprit, str(path), path.name}
    if "\x00" in culprit:
        # A NUL cannot be printed as is: the part before it, or an escaped form, will do.
        forms = {path.name.split("\x00", 1)[0], repr(path.name)[1:-1]}
    return any(form and form in err for form in forms)


def _points_at(err: str, where: fz.Where) -> bool:
    """Whether a message names the file with a line (``where.line`` if known) and the field."""
    located = re.compile(re.escape(Path(where.file).name) + r":(\d+):")
    for line in err.splitlines():
        match = located.search(line)
        if match is None or (where.line is not None and int(match.group(1)) != where.line):
            continue
        if where.field is None or where.field in line[match.end() :]:
            return True
    return False


def judge(outcome: Outcome, case: Case, command: Command, root: Path) -> list[str]:
    """Every way the run broke the promise; empty when it kept it."""
    if outcome.error is not None:
        return [f"{type(outcome.error).__name__} escaped main: {fz.short(str(outcome.error), 200)}"]
    problems = []
    if outcome.code not in (0, 1, 2):
        problems.append(f"exit code {outcome.code!r}, expected 0, 1 or 2")
    for stream, text in (("stdout", outcome.out), ("stderr", outcome.err)):
        if "Traceback" in text:
            problems.append(f"a traceback on {stream}")
    if outcome.code == 2:
        culprits = sorted(case.culprits)
        if not any(_named(outcome.err, root, c) for c in culprits):
            problems.append(f"exit 2 but stderr names none of {culprits}")
        for line in outcome.err.splitlines():
            if line.startswith("error: <input>"):
                problems.append(f"a problem that names no file: {fz.short(line, 120)}")
        if case.where is not None and not _points_at(outcome.err, case.where):
            w = case.where
            problems.append(
                f"exit 2 but no message points at {w.file}:{w.line or 'LINE'}: {w.field or ''}".rstrip(": ")
            )
    elif case.must_fail:
        problems.append(f"exit {outcome.code!r} for input that is certainly invalid")
    pages = [("stdout", outcome.out)] if command.html else []
    pages += [(p, (root / p).read_text("utf-8", "replace")) for p in command.pages if (root / p).is_file()]
    for where, page in pages:
        if fz.SCRIPT_TAG in page:
            problems.append(f"the HTML page ({where}) carries a <script> tag from the input")
    return problems


def _shown(arg: str, root: Path) -> str:
    arg = arg.replace(str(root), "$TMP")
    return arg if arg.isprintable() and arg and " " not in arg else repr(arg)


@dataclass(frozen=True)
class Result:
    """One run: the command line, what happened, and every broken promise."""

    argv: tuple[str, ...]
    case: Case
    outcome: Outcome
    problems: tuple[str, ...]
    root: Path

    @property
    def shown(self) -> str:
        return "rolecall " + " ".join(_shown(a, self.root) for a in self.argv)

    def report(self) -> str:
        lines = [self.shown, f"input: {self.case.note}", *(f"- {p}" for p in self.problems)]
        if self.outcome.trace:
            lines.append(self.outcome.trace)
        elif self.outcome.err:
            lines += ["stderr:", fz.short(self.outcome.err.replace(str(self.root), "$TMP"), 1500)]
        return "\n".join(lines)


# Thousands of examples each write a folder of files: on a RAM-backed file system that costs
# a millisecond, on a disk ten or more.
_SHM = Path("/dev/shm")
SCRATCH = str(_SHM) if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="rolecall-fuzz-", dir=SCRATCH)


@contextlib.contextmanager
def case_folder(case: Case) -> Iterator[Path]:
    with scratch_folder() as tmp:
        root = Path(tmp)
        case.write(root)
        yield root


def execute(case: Case, command: Command, root: Path, extra: Callable[[Outcome], list[str]] | None = None) -> Result:
    argv = command.render(case, root)
    outcome = invoke(argv, root)
    problems = judge(outcome, case, command, root) + (extra(outcome) if extra else [])
    return Result(tuple(argv), case, outcome, tuple(problems), root)


def run_case(case: Case, command: Command) -> Result:
    with case_folder(case) as root:
        return execute(case, command, root)


def check(case: Case, command: Command) -> None:
    result = run_case(case, command)
    assert not result.problems, result.report()


# -- the commands that read each kind of file --------------------------------------------------

COMMANDS: dict[str, tuple[Command, ...]] = {
    "cast": (
        Command("roles validate", ("roles", "validate", "{cast}")),
        Command("roles list", ("roles", "list", "--cast", "{cast}")),
        Command("roles show", ("roles", "show", "sam", "--cast", "{cast}")),
        Command("route", ("route", "Add a createUser Server Action", "--cast", "{cast}")),
        Command("plan", ("plan", "{scenario}")),
        Command("replay html", ("replay", "{scenario}", "--format", "html"), html=True),
        Command("check", ("check", "{scenario}")),
    ),
    "scenario": (
        Command("plan", ("plan", "{scenario}")),
        Command("replay", ("replay", "{scenario}")),
        Command("replay html", ("replay", "{scenario}", "--format", "html"), html=True),
        Command("replay -o", ("replay", "{scenario}", "-o", "{root}/out"), pages=("out/transcript.html",)),
        Command("replay jsonl", ("replay", "{scenario}", "--format", "jsonl")),
        Command("report", ("report", "{scenario}")),
        Command("check", ("check", "{scenario}")),
        Command("check json junit", ("check", "{scenario}", "--format", "json", "--junit", "{root}/junit.xml")),
    ),
    "policy": (
        Command("check --policy", ("check", "{scenario}", "--policy", "{policy}")),
        Command("check events --policy", ("check", "{events}", "--policy", "{policy}", "--format", "json")),
        Command("check --policy --junit", ("check", "{scenario}", "--policy", "{policy}", "--junit", "{root}/j.xml")),
    ),
    "templates": (
        Command("replay --templates", ("replay", "{scenario}", "--templates", "{templates}")),
        Command(
            "replay html --templates", ("replay", "{scenario}", "--templates", "{templates}", "--format", "html"), True
        ),
        Command("render --templates", ("render", "{events}", "--templates", "{templates}")),
        Command(
            "render html --templates", ("render", "{events}", "--templates", "{templates}", "--format", "html"), True
        ),
        Command("check --templates", ("check", "{scenario}", "--templates", "{templates}", "--policy", "{policy}")),
    ),
    "events": (
        Command("render", ("render", "{events}")),
        Command("render html", ("render", "{events}", "--format", "html"), html=True),
        Command("render summary", ("render", "{events}", "--format", "summary")),
        Command("render jsonl", ("render", "{events}", "--format", "jsonl")),
        Command("report", ("report", "{events}")),
        Command("check --policy", ("check", "{events}", "--policy", "{policy}")),
        Command("check", ("check", "{events}", "--format", "json")),
    ),
    "golden": (
        Command("replay --golden", ("replay", "{scenario}", "--golden", "{golden}")),
        Command("replay --update-golden", ("replay", "{scenario}", "--golden", "{golden}", "--update-golden")),
    ),
    "report": (Command("parse-report", ("parse-report", "{answer}")),),
}


def runs(cases: st.SearchStrategy[Case]) -> st.SearchStrategy[tuple[Case, Command]]:
    return cases.flatmap(lambda case: st.tuples(st.just(case), st.sampled_from(COMMANDS[case.kind])))


def with_known(kind: str) -> Callable[[F], F]:
    """Run every known cause of this kind of input through every command that reads it, always."""
    known = [case for case in fz.known_cases().values() if case.kind == kind]

    def decorate(test: F) -> F:
        for case in reversed(known):
            for command in reversed(COMMANDS[kind]):
                test = example(run=(case, command))(test)
        return test

    return decorate


# -- mutated shipped files -----------------------------------------------------------------------


@fuzz_settings(4)
@with_known("cast")
@given(run=runs(fz.cast_cases()))
def test_cast_files(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(5)
@with_known("scenario")
@given(run=runs(fz.scenario_cases()))
def test_scenario_files(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(2.5)
@with_known("policy")
@given(run=runs(fz.policy_cases()))
def test_policy_files(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(3)
@with_known("templates")
@given(run=runs(fz.template_cases()))
def test_template_files(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(5)
@with_known("events")
@given(run=runs(fz.event_cases()))
def test_event_streams(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(1.5)
@with_known("golden")
@given(run=runs(fz.golden_cases()))
def test_golden_files(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(1.5)
@with_known("report")
@given(run=runs(fz.report_cases()))
def test_agent_answers(run: tuple[Case, Command]) -> None:
    check(*run)


# -- files from scratch --------------------------------------------------------------------------


@fuzz_settings(3)
@given(run=runs(fz.generated_toml_cases()))
def test_generated_toml(run: tuple[Case, Command]) -> None:
    check(*run)


@fuzz_settings(2.5)
@given(run=runs(fz.generated_event_cases()))
def test_generated_event_streams(run: tuple[Case, Command]) -> None:
    check(*run)


# -- paths: the arguments themselves -------------------------------------------------------------

SIMPLE = str(fz.SCENARIO_DIR / "simple-request.toml")
SIMPLE_EVENTS = "simple.jsonl"


def _bad_paths(suffix: str) -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    """Kinds of unusable path: the path (relative to the case folder) and the symlinks it needs."""
    return {
        "missing": (f"missing{suffix}", ()),
        "folder": (f"folder{suffix}", ()),
        "inside a file": (f"file.txt/x{suffix}", ()),
        "symlink loop": (f"loop{suffix}", ((f"loop{suffix}", f"loop{suffix}"),)),
        "NUL byte": (f"nu\x00l{suffix}", ()),
        "name too long": ("a" * 300 + suffix, ()),
        "unreadable": (f"mem{suffix}", ((f"mem{suffix}", "/proc/self/mem"),)),
    }


def _bad_folders() -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    return {
        "missing": ("missing", ()),
        "a file": ("file.txt", ()),
        "inside a file": ("file.txt/x", ()),
        "symlink loop": ("loopdir", (("loopdir", "loopdir"),)),
        "NUL byte": ("nu\x00l", ()),
        "name too long": ("a" * 300, ()),
        "unreadable file": ("mem", (("mem", "/proc/self/mem"),)),
    }


# (name, argv with {path} for the bad path, suffix the path needs, whether it names a folder)
READERS: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    ("plan", ("plan", "{path}"), ".toml", False),
    ("replay", ("replay", "{path}"), ".toml", False),
    ("report scenario", ("report", "{path}"), ".toml", False),
    ("check scenario", ("check", "{path}"), ".toml", False),
    ("render", ("render", "{path}"), ".jsonl", False),
    ("render html", ("render", "{path}", "--format", "html"), ".jsonl", False),
    ("report events", ("report", "{path}"), ".jsonl", False),
    ("check events", ("check", "{path}"), ".jsonl", False),
    ("check --policy", ("check", SIMPLE, "--policy", "{path}"), ".toml", False),
    ("parse-report", ("parse-report", "{path}"), ".txt", False),
    ("roles validate", ("roles", "validate", "{path}"), "", True),
    ("roles list --cast", ("roles", "list", "--cast", "{path}"), "", True),
    ("plan --cast", ("plan", SIMPLE, "--cast", "{path}"), "", True),
    ("replay --templates", ("replay", SIMPLE, "--templates", "{path}"), "", True),
    ("render --templates", ("render", "{events}", "--templates", "{path}"), "", True),
)


def _path_cases() -> Iterator[object]:
    for reader, argv, suffix, folder in READERS:
        kinds = _bad_folders() if folder else _bad_paths(suffix)
        for kind, (path, links) in kinds.items():
            yield pytest.param(argv, path, links, id=f"{reader}: {kind}")


def run_input_path(argv: tuple[str, ...], path: str, links: tuple[tuple[str, str], ...]) -> Result:
    case = Case(
        kind="path",
        files=(("file.txt", b"a regular file\n"), (SIMPLE_EVENTS, fz.shipped_events("stripe-subscription"))),
        # A path through a regular file may be reported as that file: it is what is in the way.
        culprits=frozenset({path, "file.txt"} if path.startswith("file.txt/") else {path}),
        must_fail=True,
        note=f"path {path!r}",
        slots=(("path", path), ("events", SIMPLE_EVENTS)),
        links=links,
        folders=("folder.toml", "folder.jsonl", "folder.txt"),
    )
    with case_folder(case) as root:
        return execute(case, Command(argv[0], argv), root)


@pytest.mark.parametrize(("argv", "path", "links"), list(_path_cases()))
def test_unusable_input_paths(argv: tuple[str, ...], path: str, links: tuple[tuple[str, str], ...]) -> None:
    """A path that cannot be read is bad input naming the path, whatever reads it."""
    result = run_input_path(argv, path, links)
    assert not result.problems, result.report()


CAST_NAMES = ("", ".", "..", "/", "-", "a" * 300, "nul\x00cast", "Product-Team", " product-team", "product-team/")
CAST_READERS = (
    ("roles", "list", "--cast"),
    ("route", "Add a createUser Server Action", "--cast"),
    ("roles", "validate"),
)


def run_cast_name(argv: tuple[str, ...], name: str) -> Result:
    with scratch_folder() as tmp:
        root = Path(tmp)
        # Named as given, or as the folder it stands for (``..`` is reported as its real path).
        named = {name.strip() or "cast"}
        with contextlib.suppress(OSError, ValueError):
            named.add(str((root / name).resolve()))
        case = Case(kind="path", files=(), culprits=frozenset(named), must_fail=True, note=f"--cast {name!r}")
        return execute(case, Command("cast name", (*argv, name)), root)


@pytest.mark.parametrize("name", CAST_NAMES, ids=[repr(n)[:20] for n in CAST_NAMES])
@pytest.mark.parametrize("argv", CAST_READERS, ids=[" ".join(a[:2]) for a in CAST_READERS])
def test_cast_names_that_are_not_names(argv: tuple[str, ...], name: str) -> None:
    """``--cast`` takes a shipped name or a folder; anything else is bad input naming what was given."""
    result = run_cast_name(argv, name)
    assert not result.problems, result.report()


# -- output paths ----------------------------------------------------------------------------------

# (option, target relative to the case folder or absolute, folders to create, expected)
# where expected is "fail" (exit 2 naming the target) or "write" (exit 0 or 1 and the file written).
# --golden without --update-golden only reads: a golden folder that does not exist yet is a missing
# golden file (exit 1, "create it with --update-golden"), but a path that can never be a folder
# (a regular file, a path through one, a NUL byte) is bad input like any other output path.
OUTPUTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("-o", "file.txt", (), "fail"),
    ("-o", "file.txt/out", (), "fail"),
    ("-o", "loopdir", (), "fail"),
    ("-o", "o\x00ut", (), "fail"),
    ("-o", "a" * 300, (), "fail"),
    ("-o", "/proc", (), "fail"),
    ("-o", "/proc/rolecall-fuzz/out", (), "fail"),
    ("-o", "out", ("out/events.jsonl",), "fail"),
    ("-o", "out", ("out/transcript.html",), "fail"),
    ("-o", "new/deeper/out", (), "write"),
    ("--junit", "folder", ("folder",), "fail"),
    ("--junit", "file.txt/junit.xml", (), "fail"),
    ("--junit", "j\x00unit.xml", (), "fail"),
    ("--junit", "a" * 300 + ".xml", (), "fail"),
    ("--junit", "/proc/junit.xml", (), "fail"),
    ("--junit", "/proc/rolecall-fuzz/junit.xml", (), "fail"),
    ("--junit", "new/deeper/junit.xml", (), "write"),
    ("--junit", "file.txt", (), "write"),
    ("--golden", "file.txt", (), "fail"),
    ("--golden", "file.txt/golden", (), "fail"),
    ("--golden", "g\x00olden", (), "fail"),
    ("--golden", "golden", ("golden/simple-request.md",), "fail"),
    ("--update-golden", "file.txt", (), "fail"),
    ("--update-golden", "file.txt/golden", (), "fail"),
    ("--update-golden", "g\x00olden", (), "fail"),
    ("--update-golden", "/proc", (), "fail"),
    ("--update-golden", "/proc/rolecall-fuzz", (), "fail"),
    ("--update-golden", "golden", ("golden/simple-request.md",), "fail"),
    ("--update-golden", "new/deeper/golden", (), "write"),
)


def _output_argv(option: str, target: str) -> tuple[tuple[str, ...], str]:
    """The command line writing to ``target``, and the file it writes there."""
    if option == "-o":
        return ("replay", SIMPLE, "-o", target), f"{target}/events.jsonl"
    if option == "--junit":
        return ("check", SIMPLE, "--junit", target), target
    extra = ("--update-golden",) if option == "--update-golden" else ()
    return ("replay", SIMPLE, "--golden", target, *extra), f"{target}/simple-request.md"


def run_output(option: str, target: str, folders: tuple[str, ...], expected: str) -> Result:
    case = Case(
        kind="path",
        files=(("file.txt", b"a regular file\n"),),
        culprits=frozenset(
            {folders[0] if folders else target, *(["file.txt"] if target.startswith("file.txt/") else [])}
        ),
        must_fail=expected == "fail",
        note=f"{option} {target!r}",
        slots=(("target", target),),
        links=(("loopdir", "loopdir"),),
        folders=folders,
    )
    argv, written = _output_argv(option, "{target}")

    def written_when_ok(outcome: Outcome) -> list[str]:
        path = Path(written.replace("{target}", str(root / target)))
        if expected == "write" and outcome.code in (0, 1) and not path.is_file():
            return [f"exit {outcome.code} but {path} was not written"]
        return []

    with case_folder(case) as root:
        return execute(case, Command(option, argv), root, written_when_ok)


@pytest.mark.parametrize(
    ("option", "target", "folders", "expected"),
    OUTPUTS,
    ids=[f"{o} {repr(t)[1:40]}{' with ' + f[0] if f else ''}" for o, t, f, _ in OUTPUTS],
)
def test_output_paths(option: str, target: str, folders: tuple[str, ...], expected: str) -> None:
    """An output that cannot be written is bad input naming it; a missing parent folder is created."""
    result = run_output(option, target, folders, expected)
    assert not result.problems, result.report()
