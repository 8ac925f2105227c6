from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rolecall.cli import main

ROOT = Path(__file__).resolve().parents[2]
# The shared corpora sit beside the repository, never inside it (see their README).
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT.parent / "shared" / "seeds"
SOURCE_CAST = CORPORA / "shageevan-nextjs-saas-fullstack-dev-team"

_SUMMARY = re.compile(r"^(\d+) files?: (\d+) imported, (\d+) imported with warnings, (\d+) skipped$", re.MULTILINE)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def counts(self) -> tuple[int, int, int, int]:
        """(files, imported, with warnings, skipped) from an import's report."""
        match = _SUMMARY.search(self.out)
        assert match, f"no report summary in:\n{self.out}\n{self.err}"
        files, imported, warned, skipped = (int(g) for g in match.groups())
        return files, imported, warned, skipped


RunCli = Callable[..., Run]


@pytest.fixture
def rolecall(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run the real command line in this process, as a user would type it."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"the shared persona corpora are not beside the repository ({CORPORA})")
    return CORPORA
