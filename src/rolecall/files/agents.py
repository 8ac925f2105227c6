"""Reading an agents file and binding every persona of a cast to its command."""

from __future__ import annotations

from pathlib import Path

from rolecall._toml import read_toml
from rolecall.errors import InputError
from rolecall.live.agents import AgentsFile, Binding, agents_from_document, problems_beside_values, resolve_agents
from rolecall.roles.cast import Cast

__all__ = ["load_agents"]


def load_agents(path: Path | str, cast: Cast) -> tuple[AgentsFile, dict[str, Binding]]:
    """The agents file at ``path`` and one binding per persona of ``cast``, every command checked installed.

    Every problem of the file (syntax, keys, values, personas, placeholders, programs not
    installed) is raised together as one :class:`~rolecall.errors.InputError`.
    """
    path = Path(path)
    doc = read_toml(path)
    personas = {p.id: p.name for p in cast}
    try:
        agents = agents_from_document(doc, personas)
    except InputError as exc:
        # The rest of the file is checked too (programs included), so it is fixed in one pass.
        more = problems_beside_values(doc, personas, exc.problems, path.parent)
        raise InputError([*exc.problems, *more]) from None
    return agents, resolve_agents(agents, personas, doc, path.parent)
