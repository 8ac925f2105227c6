"""Import and export of other tools' persona files (Claude Code, CrewAI, role-boundary YAML).

Importers turn source files into a draft cast (and, for CrewAI tasks, a
scenario) with a per-file report; exporters render a cast as those tools'
files, each agent's instructions stating its boundaries. The command line is
in :mod:`rolecall.interop.cli`. Names load on first use: the command line
builds its parser without paying for YAML and the importers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports

if TYPE_CHECKING:
    from rolecall.interop.claude_code import import_claude_code
    from rolecall.interop.crewai import find_crew_files, import_crewai
    from rolecall.interop.exporters import agents_md_text, claude_code_files, crewai_files
    from rolecall.interop.role_boundaries import import_role_boundaries

__all__ = [
    "agents_md_text",
    "claude_code_files",
    "crewai_files",
    "find_crew_files",
    "import_claude_code",
    "import_crewai",
    "import_role_boundaries",
]

_LAZY = {
    "agents_md_text": "rolecall.interop.exporters",
    "claude_code_files": "rolecall.interop.exporters",
    "crewai_files": "rolecall.interop.exporters",
    "find_crew_files": "rolecall.interop.crewai",
    "import_claude_code": "rolecall.interop.claude_code",
    "import_crewai": "rolecall.interop.crewai",
    "import_role_boundaries": "rolecall.interop.role_boundaries",
}


__getattr__ = lazy_exports("rolecall.interop", _LAZY, globals())
