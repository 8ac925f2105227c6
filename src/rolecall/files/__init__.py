"""The only code that touches the disk for user files.

Every read goes through :mod:`rolecall.files.reading`, which turns each OS
error, decoding error and size problem into an :class:`~rolecall.errors.InputError`
naming the path; every write goes through :mod:`rolecall.files.writing`, which
checks a destination before any work is done and replaces files atomically.

The loaders of each format read their files here and hand the parsed
documents to the pure core: casts (:mod:`~rolecall.files.casts`), scenarios
(:mod:`~rolecall.files.scenarios`), policies (:mod:`~rolecall.files.policies`),
templates (:mod:`~rolecall.files.templates`), what ``rolecall check`` reads
(:mod:`~rolecall.files.targets`) and event streams
(:mod:`~rolecall.files.events`). The loaders are imported on first use: they
import the models, and the models' modules import :mod:`rolecall.files.reading`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports
from rolecall.files.reading import (
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    is_dir,
    is_file,
    iter_lines,
    read_bytes,
    read_stdin,
    read_text,
)
from rolecall.files.writing import (
    atomic_writer,
    check_input_dir,
    check_output_dir,
    check_output_file,
    write_text_atomic,
)

if TYPE_CHECKING:
    from rolecall.files.agents import load_agents
    from rolecall.files.casts import load_cast
    from rolecall.files.events import read_events, stream_events
    from rolecall.files.policies import default_policies, load_policies, load_policy
    from rolecall.files.scenarios import load_scenario, plan_file
    from rolecall.files.targets import collect_targets, default_targets
    from rolecall.files.templates import load_templates

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "atomic_writer",
    "check_input_dir",
    "check_output_dir",
    "check_output_file",
    "collect_targets",
    "default_policies",
    "default_targets",
    "is_dir",
    "is_file",
    "iter_lines",
    "load_agents",
    "load_cast",
    "load_policies",
    "load_policy",
    "load_scenario",
    "load_templates",
    "plan_file",
    "read_bytes",
    "read_events",
    "read_stdin",
    "read_text",
    "stream_events",
    "write_text_atomic",
]

_LOADERS = {
    "load_agents": "rolecall.files.agents",
    "read_events": "rolecall.files.events",
    "stream_events": "rolecall.files.events",
    "load_cast": "rolecall.files.casts",
    "default_policies": "rolecall.files.policies",
    "load_policies": "rolecall.files.policies",
    "load_policy": "rolecall.files.policies",
    "load_scenario": "rolecall.files.scenarios",
    "plan_file": "rolecall.files.scenarios",
    "collect_targets": "rolecall.files.targets",
    "default_targets": "rolecall.files.targets",
    "load_templates": "rolecall.files.templates",
}


__getattr__ = lazy_exports("rolecall.files", _LOADERS, globals())
