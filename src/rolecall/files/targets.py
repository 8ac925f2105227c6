"""What ``rolecall check`` reads: scenario files and saved events, named one by one or by folder."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from rolecall._resources import shipped_dir
from rolecall.errors import InputError, UsageError
from rolecall.files.reading import is_dir, os_reason

__all__ = ["collect_targets", "default_targets"]


def default_targets(cwd: Path | None = None) -> list[Path]:
    """``./scenarios``; without one there is nothing to check, and saying so beats passing something else."""
    local = cwd / "scenarios" if cwd is not None else Path("scenarios")  # relative: shown as the user wrote it
    if not is_dir(local):
        raise UsageError(
            f"nothing to check: there is no {local} folder here; name scenario files, events files or folders "
            f"(the shipped examples are in {shipped_dir('scenarios')})"
        )
    return [local]


# The folders pytest does not look into by default, so both find the same scenarios.
_SKIPPED = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}", "__pycache__")


def collect_targets(paths: Sequence[Path]) -> list[Path]:
    """Scenario files and events files.

    A folder stands for every scenario below it (the ``*.toml`` files with tasks
    or phases, in subfolders too, as the pytest plugin finds them) and the
    ``*.jsonl`` files directly in it.
    """
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
            found = sorted([*_scenarios_below(path), *path.glob("*.jsonl")])
            if not found:
                raise InputError.single(path, "no scenario (*.toml) or events (*.jsonl) files in this folder")
            out += found
        else:
            out.append(path)
    return out


def _scenarios_below(folder: Path) -> list[Path]:
    from rolecall.files.scenarios import looks_like_scenario

    found: list[Path] = []
    # Symbolic links to folders are not followed: a link loop must not hang a check.
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not any(fnmatch.fnmatch(f, skip) for skip in _SKIPPED))
        found += [Path(root) / name for name in files if name.endswith(".toml")]
    return [path for path in found if looks_like_scenario(path)]
