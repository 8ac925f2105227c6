"""Replaying and checking from Python: what the command line and the pytest plugin are built on.

Both functions take files or values built in memory: a scenario file, a
:class:`~rolecall.orchestrator.Scenario` or a :class:`~rolecall.orchestrator.Plan`;
a policy file or a :class:`~rolecall.policies.Policy`; a template folder or a
:class:`~rolecall.handoffs.TemplateLibrary`. Files are read and written
through :mod:`rolecall.files`; given values only, nothing touches the disk
but the shipped templates, and those only when a transcript is rendered.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from rolecall.errors import InputError, Problem, UsageError
from rolecall.events import Event, JsonlSink, RunFinished, Sink
from rolecall.handoffs import TemplateLibrary
from rolecall.orchestrator import Coordinator, Plan, Scenario, build_plan
from rolecall.roles import Cast, resolve_cast

if TYPE_CHECKING:
    from rolecall.backends import Backend
    from rolecall.policies import Policy
    from rolecall.policies.check import CheckResult
    from rolecall.render.html import HtmlPage

__all__ = ["CastRef", "CheckTarget", "Replay", "ScenarioRef", "TemplatesRef", "check", "replay"]

ScenarioRef: TypeAlias = "Path | str | Scenario | Plan"
"""A scenario file, a scenario (planned against ``cast``, or the cast it names) or a plan."""
CastRef: TypeAlias = "Cast | Path | str"
"""A cast, a cast folder or the name of a cast (one beside the working folder, else a shipped one)."""
TemplatesRef: TypeAlias = "TemplateLibrary | Path | str"
"""Templates, or a folder of edited templates (files it lacks use the shipped ones)."""
CheckTarget: TypeAlias = "Path | str | Scenario | Plan | Replay"
"""A scenario or events.jsonl file, a folder of them, a scenario, a plan, or a replay with its events."""


@dataclass(frozen=True)
class Replay:
    """What :func:`replay` produced: the plan, the closing event, the events and the files written."""

    plan: Plan
    final: RunFinished
    events: tuple[Event, ...] = ()
    """Every event, in order; empty when the replay was asked not to keep them."""
    written: tuple[Path, ...] = ()
    """``events.jsonl``, then ``transcript.md`` and ``transcript.html`` unless only events were written."""
    templates: TemplateLibrary | None = field(default=None, repr=False, compare=False)
    """The templates the transcripts are worded with (``None``: the shipped ones)."""
    _views: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _page: HtmlPage | None = field(default=None, repr=False, compare=False)
    """The page the files were written from: the views are rendered from it again when asked."""

    @property
    def outcome(self) -> str:
        """``completed``, ``blocked_at_gate``, ``stopped_at_decision`` or ``failed``."""
        return self.final.outcome

    @property
    def completed(self) -> bool:
        return self.final.outcome == "completed"

    def markdown(self) -> str:
        """The Markdown transcript: the one written to ``transcript.md``, or rendered now from the events."""
        if "md" not in self._views:
            from rolecall.render.markdown import markdown_transcript

            page = self._page
            self._views["md"] = page.transcript.text() if page else markdown_transcript(self._kept(), self.templates)
        return self._views["md"]

    def html(self) -> str:
        """The self-contained HTML page: the one written to ``transcript.html``, or rendered now."""
        if "html" not in self._views:
            from rolecall.render.html import html_page

            page = self._page
            self._views["html"] = page.text() if page else html_page(self._kept(), self.templates)
        return self._views["html"]

    def _kept(self) -> tuple[Event, ...]:
        if not self.events:
            raise UsageError("this replay kept no events to render; replay with keep_events=True")
        return self.events


def replay(
    scenario: ScenarioRef,
    *,
    cast: CastRef | None = None,
    templates: TemplatesRef | None = None,
    output: Path | str | None = None,
    events_only: bool = False,
    sinks: Iterable[Sink] = (),
    backend: Backend | None = None,
    keep_events: bool = True,
) -> Replay:
    """Replay a scenario (deterministically, with the default scripted backend) and return the run.

    ``cast`` replaces the cast the scenario names. With ``output``, the
    folder gets ``events.jsonl``, ``transcript.md`` and ``transcript.html``
    (only ``events.jsonl`` with ``events_only``), each written atomically; the
    folder is checked, and the templates and the scenario are read, before
    anything runs. Each of ``sinks`` receives every event as it happens;
    ``keep_events=False`` keeps none in memory, for a large run streamed to
    sinks and files. Bad input raises :class:`~rolecall.errors.InputError`
    listing every problem, a bad argument :class:`~rolecall.errors.UsageError`.
    """
    from rolecall.files import atomic_writer, check_output_dir, check_output_file

    _argument("scenario", scenario, (str, os.PathLike, Scenario, Plan), "a path, a Scenario or a Plan")
    _argument("cast", cast, (str, os.PathLike, Cast, type(None)), "a cast name, a folder or a Cast")
    _argument("templates", templates, (str, os.PathLike, TemplateLibrary, type(None)), "a folder or a TemplateLibrary")
    _argument("output", output, (str, os.PathLike, type(None)), "a folder path")
    sinks = _sinks(sinks)
    _backend(backend)
    folder = Path(output) if output is not None else None
    if folder is not None:
        check_output_dir(folder, "output")
        names = ("events.jsonl",) if events_only else ("events.jsonl", "transcript.md", "transcript.html")
        for name in names:  # all of them before the first is written: a bad one writes nothing
            check_output_file(folder / name, "output")
    elif events_only:
        raise UsageError("events_only needs an output folder")
    library = _templates(templates)
    plan = _plan(scenario, cast)
    kept: list[Event] = []
    every = [*sinks, kept.append] if keep_events else list(sinks)
    coordinator = Coordinator(plan, backend)
    if folder is None:
        final = coordinator.run(*every)
        return Replay(plan, final, tuple(kept), (), library)
    from rolecall.files.spool import Spool
    from rolecall.render.html import HtmlPage

    page = None if events_only else HtmlPage(library, Spool)  # a large run's text waits on disk
    events_file = folder / "events.jsonl"
    with atomic_writer(events_file) as handle:
        writer = JsonlSink(handle, batch=512)
        final = coordinator.run(*every, *([page] if page is not None else []), writer)
        writer.flush()
    if page is None:
        return Replay(plan, final, tuple(kept), (events_file,), library)
    # Written piece by piece: a large run's page is never held whole as one string.
    with atomic_writer(folder / "transcript.md") as handle:
        handle.writelines(page.transcript.pieces())
    with atomic_writer(folder / "transcript.html") as handle:
        handle.writelines(page.pieces())
    written = (events_file, folder / "transcript.md", folder / "transcript.html")
    return Replay(plan, final, tuple(kept), written, library, _page=page)


def check(
    targets: CheckTarget | Iterable[CheckTarget],
    *,
    policies: Policy | Path | str | Iterable[Policy | Path | str] | None = None,
    allow_empty: bool = False,
    templates: TemplatesRef | None = None,
    cast: CastRef | None = None,
    backend: Backend | None = None,
) -> list[CheckResult]:
    """Check each run against the policies and its scenario's ``[expect]`` table; one result per run.

    A folder stands for every scenario below it and its own ``*.jsonl`` files
    (:func:`rolecall.files.collect_targets`); a scenario or
    a plan is replayed (on ``backend``, default the scripted one); saved
    events and a :class:`Replay` are checked as they are. ``policies``
    defaults to ``./policies/*.toml`` when the working folder has one, else
    the shipped policies; each applies to the runs of the cast it names, and
    a run no rule applies to fails unless ``allow_empty``. ``cast`` replaces
    the cast each scenario names. The transcript is rendered only when a
    result is asked for a finding's line or excerpt, with ``templates``.
    """
    from rolecall.files import collect_targets, default_policies, load_policies
    from rolecall.policies import Policy

    _argument("cast", cast, (str, os.PathLike, Cast, type(None)), "a cast name, a folder or a Cast")
    _argument("templates", templates, (str, os.PathLike, TemplateLibrary, type(None)), "a folder or a TemplateLibrary")
    _backend(backend)
    library = _templates(templates)
    if policies is None:
        rules = load_policies(default_policies())
    else:
        # One policy or one file is taken as itself, not iterated: a path string would give its letters.
        given: list[Any] = (
            [policies] if isinstance(policies, str | os.PathLike | Policy) else _items("policies", policies)
        )
        for policy in given:
            _argument("policies", policy, (str, os.PathLike, Policy), "a policy file or a Policy")
        files = load_policies(Path(p) for p in given if not isinstance(p, Policy))
        loaded = iter(files)
        rules = [p if isinstance(p, Policy) else next(loaded) for p in given]
    items: list[Path | Scenario | Plan | Replay] = []
    for target in _as_targets(targets):
        items += collect_targets([target]) if isinstance(target, Path) else [target]
    override = _cast(cast) if cast is not None else None
    results: list[CheckResult] = []
    problems: list[Problem] = []
    for item in items:
        # Every target is checked: the problems of all bad files are reported together.
        try:
            results.append(_check(item, rules, library, allow_empty, override, backend))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return results


def _check(
    target: Path | Scenario | Plan | Replay,
    policies: list[Policy],
    templates: TemplateLibrary | None,
    allow_empty: bool,
    cast: Cast | None,
    backend: Backend | None,
) -> CheckResult:
    # Imported here: a replay never loads the policy engine.
    from rolecall.policies.check import check_events, check_plan

    if isinstance(target, Replay):
        if cast is not None:
            raise UsageError("a replay has already run with its cast; pass its scenario to use another cast")
        if not target.events:
            raise UsageError("a replay checked needs its events; replay with keep_events=True")
        source = target.plan.source
        return check_events(
            target.events,
            policies,
            expect=target.plan.scenario.expect,
            templates=templates,
            allow_empty=allow_empty,
            target=source if source is not None else target.plan.scenario.name,
        )
    if isinstance(target, Path) and target.suffix == ".jsonl":
        from rolecall.files import read_events

        return check_events(read_events(target), policies, templates=templates, allow_empty=allow_empty, target=target)
    plan = _plan(target, cast)
    return check_plan(
        plan,
        policies,
        backend=backend,
        templates=templates,
        allow_empty=allow_empty,
        target=target if isinstance(target, Path) else None,
    )


def _as_targets(targets: CheckTarget | Iterable[CheckTarget]) -> list[Path | Scenario | Plan | Replay]:
    # A scenario is a pydantic model and a path a string, and both iterate: test for one target first.
    kinds = (str, os.PathLike, Scenario, Plan, Replay)
    items: list[Any] = [targets] if isinstance(targets, kinds) else _items("targets", targets)
    for target in items:
        _argument("targets", target, kinds, "a path, a Scenario, a Plan or a Replay")
    return [Path(t) if isinstance(t, str | os.PathLike) else t for t in items]


def _argument(name: str, value: object, kinds: tuple[type, ...], expected: str) -> None:
    """A wrong argument is a UsageError naming it, not a TypeError from deep inside."""
    if not isinstance(value, kinds):
        raise UsageError(f"{name}: expected {expected}, got {type(value).__name__} {value!r:.60}")


def _items(name: str, value: object) -> list[object]:
    # A dict iterates over its keys, which would then be taken for file names.
    if isinstance(value, dict) or not isinstance(value, Iterable):
        raise UsageError(f"{name}: expected one value or a list of them, got {type(value).__name__} {value!r:.60}")
    return list(value)


def _sinks(sinks: object) -> list[Sink]:
    items = _items("sinks", sinks)
    for sink in items:
        if not callable(sink):
            raise UsageError(f"sinks: each sink is called with every event; got {type(sink).__name__} {sink!r:.60}")
    return items  # type: ignore[return-value]


def _backend(backend: object) -> None:
    needed = ("clock", "wall_start", "capacity", "start", "time", "running", "next_completions")
    missing = [name for name in needed if not hasattr(backend, name)] if backend is not None else []
    if missing:
        raise UsageError(
            f"backend: expected a Backend (rolecall.backends), got {type(backend).__name__}; "
            f"it has no {', '.join(missing)}"
        )


def _plan(scenario: ScenarioRef, cast: CastRef | None) -> Plan:
    if isinstance(scenario, Plan):
        if cast is not None:
            raise UsageError("a plan is already planned against its cast; pass its scenario to use another cast")
        return scenario
    resolved = _cast(cast) if cast is not None else None
    if isinstance(scenario, Scenario):
        return build_plan(scenario, resolved if resolved is not None else resolve_cast(scenario.cast))
    from rolecall.files import plan_file

    return plan_file(Path(scenario), resolved)


def _cast(cast: CastRef) -> Cast:
    return cast if isinstance(cast, Cast) else resolve_cast(cast)


def _templates(templates: TemplatesRef | None) -> TemplateLibrary | None:
    if templates is None or isinstance(templates, TemplateLibrary):
        return templates
    from rolecall.files import load_templates

    return load_templates(Path(templates))
