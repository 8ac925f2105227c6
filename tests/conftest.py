from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
ROLES = ROOT / "roles"


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli(Protocol):
    """What the ``cli`` fixture gives: :func:`run_cli`."""

    def __call__(self, *args: str | Path, cwd: Path | None = None) -> Result: ...


def run_cli(*args: str | Path, cwd: Path | None = None) -> Result:
    """Run the real ``rolecall`` command in a fresh process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "rolecall", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli() -> Cli:
    return run_cli


@pytest.fixture
def product_team(tmp_path: Path) -> Path:
    """A private copy of the product-team cast that a test may break."""
    target = tmp_path / "product-team"
    shutil.copytree(ROLES / "product-team", target)
    return target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden transcripts under tests/golden/ instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
