"""The ``rolecall import`` and ``rolecall export`` commands."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parsers"]


def add_parsers(sub: Any) -> None:
    """Add the ``import`` and ``export`` commands to the top-level subparsers."""
    del sub
    _ = argparse
