"""The templates of one rendering: a folder's templates plus per-persona overrides.

Built from parsed templates in memory; reading a template folder is
:func:`rolecall.files.load_templates`.
"""

from __future__ import annotations

from collections.abc import Mapping

from rolecall.errors import InputError, Problem
from rolecall.handoffs.catalogue import TEMPLATES
from rolecall.handoffs.template import Template, parse_template

__all__ = ["TemplateLibrary"]


class TemplateLibrary:
    """The templates of one rendering: folder templates plus per-persona overrides."""

    def __init__(self, base: Mapping[str, Template], personal: Mapping[tuple[str, str], Template]) -> None:
        self._base = dict(base)
        self._personal = dict(personal)

    def for_speaker(self, name: str, persona: str) -> Template:
        return self._personal.get((persona, name)) or self._base[name]

    def with_personas(self, overrides: Mapping[str, Mapping[str, str]]) -> TemplateLibrary:
        """A copy adding persona overrides (persona id -> template name -> text)."""
        problems: list[Problem] = []
        personal = dict(self._personal)
        for persona, templates in overrides.items():
            for name, text in templates.items():
                field = f"templates.{name}"
                if name not in TEMPLATES:
                    problems.append(Problem(None, f"persona '{persona}': unknown template '{name}'", field))
                    continue
                try:
                    personal[(persona, name)] = parse_template(text, name, TEMPLATES[name], None, field)
                except InputError as exc:
                    problems.extend(exc.problems)
        if problems:
            raise InputError(problems)
        return TemplateLibrary(self._base, personal)
