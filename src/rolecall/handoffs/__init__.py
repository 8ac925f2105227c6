"""Handoff and announcement message templates."""

from rolecall.handoffs.catalogue import SPEAKER, TEMPLATES
from rolecall.handoffs.library import TemplateLibrary, load_templates
from rolecall.handoffs.template import Template, parse_template

__all__ = ["SPEAKER", "TEMPLATES", "Template", "TemplateLibrary", "load_templates", "parse_template"]
