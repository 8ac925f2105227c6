"""A review loop that runs out of rounds fails the author's task; the saved stream must read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecall import cli
from tests.conftest import SCENARIOS


def test_an_exhausted_review_loop_reads_back_and_renders(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (SCENARIOS / "evaluator-optimizer.toml").read_text(encoding="utf-8")
    text = text.replace('verdicts = ["changes-requested", "approved"], max_rounds = 3',
                        'verdicts = ["changes-requested", "changes-requested"], max_rounds = 2')  # fmt: skip
    scenario = tmp_path / "exhausted.toml"
    scenario.write_text(text, encoding="utf-8")
    assert cli.main(["replay", str(scenario), "-o", str(tmp_path / "out")]) == 1
    capsys.readouterr()
    assert cli.main(["render", str(tmp_path / "out" / "events.jsonl"), "--format", "summary"]) == 0
    transcript = (tmp_path / "out" / "transcript.md").read_text(encoding="utf-8")
    assert "was not approved within the review rounds" in transcript
