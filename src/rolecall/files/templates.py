"""Reading template folders: the shipped ``handoffs/`` and a user's edited copy of it."""

from __future__ import annotations

from pathlib import Path

from rolecall._resources import shipped_dir
from rolecall.errors import InputError, Problem
from rolecall.files.reading import is_dir, os_reason, read_text
from rolecall.handoffs.catalogue import SPEAKER, TEMPLATES
from rolecall.handoffs.library import TemplateLibrary
from rolecall.handoffs.template import Template, parse_template

__all__ = ["SUFFIX", "load_templates"]

SUFFIX = ".md"
_MAX_TEMPLATE = 1024 * 1024
"""A message template is a paragraph or two; a megabyte is a wrong file, not a template."""


def load_templates(folder: Path | None = None) -> TemplateLibrary:
    """Templates from ``folder`` (a copy of ``handoffs/``); files it lacks come from the defaults."""
    defaults = shipped_dir("handoffs")
    problems: list[Problem] = []
    base: dict[str, Template] = {}
    if folder is not None:
        if not is_dir(folder):
            try:
                folder.stat()
                what = "is not a folder"
            except (OSError, ValueError) as exc:
                what = os_reason(exc) if isinstance(exc, OSError) else "is not a usable path"
            raise InputError.single(folder, f"templates folder: {what}")
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            if path.stem not in TEMPLATES:
                known = ", ".join(f"{n}{SUFFIX}" for n in TEMPLATES)
                problems.append(Problem(path, f"unknown template '{path.stem}'; known: {known}"))
    for name, allowed in TEMPLATES.items():
        path = defaults / f"{name}{SUFFIX}"
        if folder is not None and (folder / f"{name}{SUFFIX}").exists():
            path = folder / f"{name}{SUFFIX}"
        try:
            base[name] = parse_template(read_text(path, what="template file", limit=_MAX_TEMPLATE), name, allowed, path)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    assert set(base) == set(SPEAKER)
    return TemplateLibrary(base, {})
