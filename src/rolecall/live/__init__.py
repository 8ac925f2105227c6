"""Live runs: the same cast and scenario, each persona driven by a real CLI agent.

:func:`~rolecall.live.run.run_live` runs a plan on the
:class:`~rolecall.live.backend.LiveBackend`, which starts each persona's
command as bound in the agents file (:mod:`rolecall.live.agents`), reads how
it ended through its preset (:mod:`rolecall.live.presets`) and keeps
everything in the run folder; :func:`~rolecall.live.freeze.freeze` turns that
folder into a scenario that replays it. Imported on first use: a replay never
loads any of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecall._lazy import lazy_exports

if TYPE_CHECKING:
    from rolecall.live.agents import AgentSettings, AgentsFile, Binding, RunSettings, resolve_agents
    from rolecall.live.backend import LiveBackend
    from rolecall.live.freeze import freeze
    from rolecall.live.presets import PRESETS, AgentAnswer, Preset, read_answer
    from rolecall.live.run import LiveRun, live_scenario, planned_live, run_live

__all__ = [
    "PRESETS",
    "AgentAnswer",
    "AgentSettings",
    "AgentsFile",
    "Binding",
    "LiveBackend",
    "LiveRun",
    "Preset",
    "RunSettings",
    "freeze",
    "live_scenario",
    "planned_live",
    "read_answer",
    "resolve_agents",
    "run_live",
]

_WHERE = {
    "AgentSettings": "rolecall.live.agents",
    "AgentsFile": "rolecall.live.agents",
    "Binding": "rolecall.live.agents",
    "RunSettings": "rolecall.live.agents",
    "resolve_agents": "rolecall.live.agents",
    "LiveBackend": "rolecall.live.backend",
    "freeze": "rolecall.live.freeze",
    "PRESETS": "rolecall.live.presets",
    "AgentAnswer": "rolecall.live.presets",
    "Preset": "rolecall.live.presets",
    "read_answer": "rolecall.live.presets",
    "LiveRun": "rolecall.live.run",
    "live_scenario": "rolecall.live.run",
    "planned_live": "rolecall.live.run",
    "run_live": "rolecall.live.run",
}

__getattr__ = lazy_exports("rolecall.live", _WHERE, globals())
