"""What ``rolecall check`` reads: scenario files and saved events, named one by one or by folder."""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path

from rolecall._resources import shipped_dir
from rolecall.errors import InputError
from rolecall.files.reading import is_dir, os_reason

__all__ = ["collect_targets", "default_targets"]


def default_targets(cwd: Path | None = None) -> list[Path]:
    """``./scenarios`` when the working folder has one, else the shipped scenario library."""
    local = cwd / "scenarios" if cwd is not None else Path("scenarios")  # relative: shown as the user wrote it
    return [local if is_dir(local) else shipped_dir("scenarios")]


def collect_targets(paths: Sequence[Path]) -> list[Path]:
    """Scenario files and events.jsonl files; a folder contributes its *.toml and *.jsonl files."""
    out: list[Path] = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise InputError.single(path, os_reason(exc)) from None
        except ValueError as exc:
            raise InputError.single(path, f"not a usable path ({exc})") from None
        if stat.S_ISDIR(mode):
            if (path / "cast.toml").exists():
                raise InputError.single(
                    path,
                    "a cast folder (it holds cast.toml), not scenarios: check scenario files or a folder of them, "
                    "and validate a cast with 'rolecall roles validate'",
                )
            found = sorted([*path.glob("*.toml"), *path.glob("*.jsonl")])
            if not found:
                raise InputError.single(path, "no scenario (*.toml) or events (*.jsonl) files in this folder")
            out += found
        else:
            out.append(path)
    return out
