"""Backends perform the activities the coordinator decides on.

The coordinator decides (assignments, the gate, redirects, handoffs,
check-ins, retries, fallback, escalation); a backend only starts an activity
and later reports how it ended. :class:`ScriptedBackend` takes all of that from
the scenario file, in virtual minutes; a live backend runs real agents.
"""

from __future__ import annotations

from rolecall.backends.base import Activity, ActivityKind, Backend, Clock, Completion, Outcome
from rolecall.backends.scripted import ScriptedBackend

__all__ = ["Activity", "ActivityKind", "Backend", "Clock", "Completion", "Outcome", "ScriptedBackend"]
