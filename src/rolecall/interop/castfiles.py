"""Writing what an import or an export produced: TOML with a comment header, written atomically.

``tomli-w`` writes no comments, so each generated TOML file gets a header
prepended: where it came from and what the user must fill in. An import
writes its whole cast folder beside the target, checks it, and only then
renames it into place, so a failed import leaves nothing half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from rolecall.errors import InputError, Problem
from rolecall.files import check_output_dir, write_text_atomic
from rolecall.files.reading import os_reason
from rolecall.interop.draft import BuiltCast
from rolecall.interop.instructions import INSTRUCTIONS_DIR
from rolecall.interop.persona_draft import FILL_IN
from rolecall.roles.loader import MANIFEST_NAME
from rolecall.roles.persona import Persona

__all__ = [
    "cast_files",
    "check_new_folder",
    "count_fill_ins",
    "toml_text",
    "write_file",
    "write_files",
    "write_new_folder",
]

_FILL_HINT = f'Values starting with "{FILL_IN}" could not be derived from the source: replace them.'


def count_fill_ins(texts: Iterable[str]) -> int:
    """Lines the user must see to: values marked ``FILL IN:`` and placeholders noted in a header."""
    return sum(1 for text in texts for line in text.splitlines() if FILL_IN in line and line != f"# {_FILL_HINT}")


def toml_text(data: Mapping[str, Any], header: Iterable[str] = ()) -> str:
    """TOML for ``data`` under a ``#`` comment header; the hint to fill in comes first when needed."""
    body = tomli_w.dumps(dict(data), multiline_strings=True)
    lines = list(header)
    if FILL_IN in body and _FILL_HINT not in lines:
        lines.insert(1 if lines else 0, _FILL_HINT)
    comment = "".join(f"# {' '.join(line.split())}".rstrip() + "\n" for line in lines)
    return f"{comment}\n{body}" if comment else body


def _persona_data(persona: Persona) -> dict[str, Any]:
    data = persona.model_dump(mode="json", exclude_defaults=True)
    # kind and capacity are worth seeing even at their defaults, as in the shipped casts
    ordered: dict[str, Any] = {k: data[k] for k in ("id", "name", "title", "handle", "icon") if k in data}
    ordered["kind"] = persona.kind
    ordered["capacity"] = persona.capacity
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return ordered


def cast_files(built: BuiltCast, origin: str) -> dict[str, str]:
    """Every file of the cast folder, by path relative to it. ``origin`` names the import and its source."""
    manifest = built.manifest.model_dump(mode="json", exclude_defaults=True)
    files = {MANIFEST_NAME: toml_text(manifest, [origin, *built.notes.get("cast", ())])}
    for persona in built.personas:
        header = [origin, *built.notes.get(persona.id, ())]
        files[f"{persona.id}.toml"] = toml_text(_persona_data(persona), header)
    for pid, instructions in sorted(built.instructions.items()):
        text = instructions.text()
        if text:
            files[f"{INSTRUCTIONS_DIR}/{pid}.md"] = text
    return files


def _cannot_write(path: Path, exc: OSError) -> InputError:
    where = Path(exc.filename) if getattr(exc, "filename", None) else path
    return InputError.single(where, f"cannot write: {os_reason(exc)}")


def write_file(path: Path, text: str) -> None:
    if path.is_dir():
        raise InputError.single(path, "is a folder; expected a file path")
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def write_files(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write ``files`` into ``folder`` (created if needed), each atomically; other files are left alone."""
    if folder.exists() and not folder.is_dir():
        raise InputError.single(folder, "exists and is not a folder")
    written = []
    for name in sorted(files):
        path = folder / name
        write_file(path, files[name])
        written.append(path)
    return written


def check_new_folder(out: Path) -> None:
    """An import creates a cast folder: ``out`` must be new or an empty folder, in a place we can write."""
    if out.exists() and not out.is_dir():
        raise InputError.single(out, "exists and is a file; an import writes a new cast folder")
    check_output_dir(out, "-o")
    if out.is_dir():
        try:
            empty = not any(out.iterdir())
        except OSError as exc:
            raise InputError.single(out, f"cannot read folder: {os_reason(exc)}") from None
        if not empty:
            raise InputError.single(out, "folder exists and is not empty; an import writes a new cast folder")


def write_new_folder(out: Path, files: Mapping[str, str], verify: Callable[[Path], None]) -> None:
    """Write ``files`` into a staging folder beside ``out``, ``verify`` it, then rename it to ``out``."""
    check_new_folder(out)
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise _cannot_write(parent, exc) from None
    try:
        write_files(staging, files)
        try:
            verify(staging)
        except InputError as exc:
            # Name the files where they are meant to be, not where they were staged.
            raise InputError(_moved(p, staging, out) for p in exc.problems) from None
        os.chmod(staging, 0o777 & ~_umask())
        if out.is_dir():
            out.rmdir()
        os.replace(staging, out)
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _moved(problem: Problem, staging: Path, out: Path) -> Problem:
    if problem.path is None or not problem.path.is_relative_to(staging):
        return problem
    return replace(problem, path=out / problem.path.relative_to(staging))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
