"""All disk access lives in rolecall.files: the core packages plan, check and render values in memory."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "rolecall"
PURE = ("orchestrator", "policies", "roles", "handoffs")
ALLOWED = {SRC / "roles" / "registry.py"}
"""The registry resolves cast names to folders and notices when a cast's files change."""

DISK_CALLS = frozenset(
    {"open", "read_text", "read_bytes", "glob", "rglob", "iterdir", "cwd", "is_file", "is_dir", "exists", "stat"}
)
DISK_READERS = frozenset({"read_toml", "iter_lines", "read_events", "read_stdin", "shipped_dir"})


def _modules() -> list[Path]:
    return sorted(p for package in PURE for p in (SRC / package).rglob("*.py") if p not in ALLOWED)


def _disk_calls(path: Path) -> list[str]:
    """``file:line: name()`` of each call that reads the disk, in source order."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in DISK_CALLS | DISK_READERS:
            found.append((node.lineno, node.col_offset, f"{path.name}:{node.lineno}: {name}()"))
    return [text for *_, text in sorted(found)]


def test_the_core_packages_never_touch_the_disk() -> None:
    modules = _modules()
    assert len(modules) > 20, "the scan must see the packages"
    found = [f"{path.parent.name}/{hit}" for path in modules for hit in _disk_calls(path)]
    assert found == [], "read files in rolecall.files, not in the core:\n" + "\n".join(found)


def test_the_scan_sees_every_kind_of_disk_call(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from pathlib import Path\n\n\ndef f(p: Path) -> None:\n"
        "    p.read_text()\n    open(p)\n    Path.cwd()\n    sorted(p.glob('*.toml'))\n    p.is_file()\n",
        encoding="utf-8",
    )
    calls = [hit.rsplit(": ", 1)[1] for hit in _disk_calls(sample)]
    assert calls == ["read_text()", "open()", "cwd()", "glob()", "is_file()"]


@pytest.mark.parametrize(
    ("module", "name", "home"),
    [
        ("rolecall.roles", "load_cast", "rolecall.files.casts"),
        ("rolecall.orchestrator", "plan_file", "rolecall.files.scenarios"),
        ("rolecall.orchestrator", "load_scenario", "rolecall.files.scenarios"),
        ("rolecall.policies", "load_policy", "rolecall.files.policies"),
        ("rolecall.handoffs", "load_templates", "rolecall.files.templates"),
        ("rolecall", "load_cast", "rolecall.files.casts"),
        ("rolecall", "plan_file", "rolecall.files.scenarios"),
    ],
)
def test_the_loaders_keep_their_old_names(module: str, name: str, home: str) -> None:
    """Code importing a loader from its model's package gets the files layer's function itself."""
    import importlib

    assert getattr(importlib.import_module(module), name) is getattr(importlib.import_module(home), name)


def test_importing_rolecall_stays_cheap() -> None:
    code = "import sys, rolecall\nprint(' '.join(sorted(m for m in sys.modules if m.startswith('rolecall'))))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split() == ["rolecall", "rolecall.errors"]


@pytest.mark.parametrize(
    "module",
    ["rolecall.files.casts", "rolecall.files.scenarios", "rolecall.files.policies", "rolecall.files.templates",
     "rolecall.files.targets", "rolecall.api", "rolecall.roles.loader", "rolecall.policies.check"],
)  # fmt: skip
def test_each_module_imports_first_without_a_cycle(module: str) -> None:
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)
