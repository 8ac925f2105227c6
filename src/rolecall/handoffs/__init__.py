"""Handoff and announcement message templates.

``load_templates`` reads a folder, so it lives in the files layer
(:func:`rolecall.files.load_templates`); it is re-exported here, on first
use, for code that imports it from this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports
from rolecall.handoffs.catalogue import SPEAKER, TEMPLATES
from rolecall.handoffs.library import TemplateLibrary
from rolecall.handoffs.template import Template, parse_template

if TYPE_CHECKING:
    from rolecall.files.templates import load_templates

__all__ = ["SPEAKER", "TEMPLATES", "Template", "TemplateLibrary", "load_templates", "parse_template"]


__getattr__ = lazy_exports("rolecall.handoffs", {"load_templates": "rolecall.files.templates"}, globals())
