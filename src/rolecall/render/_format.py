"""Small formatting helpers shared by the views."""

from __future__ import annotations

__all__ = ["duration", "percent_faster", "speedup"]


def duration(minutes: int) -> str:
    """``45`` -> ``45m``, ``120`` -> ``2h``, ``150`` -> ``2h 30m``."""
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}h {mins:02d}m"
    if hours:
        return f"{hours}h"
    return f"{mins}m"


def speedup(sequential: int, parallel: int) -> str:
    return f"{sequential / parallel:.2f}x" if parallel else "n/a"


def percent_faster(sequential: int, parallel: int) -> str:
    """Time saved against the sequential sum, as the source documents state it."""
    if not sequential:
        return "0%"
    return f"{round(100 * (sequential - parallel) / sequential)}%"
