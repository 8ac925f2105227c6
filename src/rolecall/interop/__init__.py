"""Import and export of other tools' persona files (Claude Code, CrewAI, role-boundary YAML)."""

from __future__ import annotations

__all__: list[str] = []
