"""The spool a view keeps its text in: the same pieces back, in order, whether in memory or on disk."""

from __future__ import annotations

import errno
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rolecall.errors import UsageError
from rolecall.files.spool import Spool
from rolecall.orchestrator import Coordinator, plan_file
from rolecall.render.html import HtmlPage
from rolecall.render.markdown import MarkdownTranscript
from tests.conftest import SCENARIOS

# Any str a view may hold: newlines of every kind, non-ASCII, even lone surrogates.
texts = st.lists(st.text(alphabet=st.characters(codec=None, blacklist_categories=())), max_size=30)


@given(texts, st.integers(min_value=0, max_value=50))
def test_pieces_come_back_as_appended_whatever_the_spill_point(pieces: list[str], spill_at: int) -> None:
    spool = Spool(spill_at=spill_at)
    for piece in pieces:
        spool.append(piece)
    assert list(spool) == pieces
    assert list(spool) == pieces  # read twice
    spool.append("after")
    assert list(spool) == [*pieces, "after"]
    spool.close()


def test_small_text_stays_in_memory_and_large_text_moves_to_disk() -> None:
    spool = Spool(spill_at=10)
    spool.append("short")
    assert not spool.spilled
    spool.append("and now past the limit")
    assert spool.spilled
    assert list(spool) == ["short", "and now past the limit"]


@pytest.mark.parametrize("name", ["stripe-subscription", "fallback-escalation", "evaluator-optimizer"])
def test_a_spilled_transcript_and_page_are_the_same_bytes(name: str) -> None:
    events = Coordinator(plan_file(SCENARIOS / f"{name}.toml")).events()
    in_memory, spilled = HtmlPage(), HtmlPage(store=lambda: Spool(spill_at=64))
    for event in events:
        in_memory(event)
        spilled(event)
    assert "".join(spilled.pieces()) == "".join(in_memory.pieces())
    assert spilled.transcript.text() == in_memory.transcript.text()
    alone = MarkdownTranscript(store=lambda: Spool(spill_at=0))
    for event in events:
        alone(event)
    assert alone.text() == in_memory.transcript.text()


def test_no_room_for_the_spool_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    spool = Spool(spill_at=1)
    with pytest.raises(UsageError, match="temporary file") as caught:
        spool.append("too much")
    assert "no space left" in str(caught.value).lower() and "TMPDIR" in str(caught.value)


def test_no_usable_temporary_folder_at_all_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def nowhere() -> str:
        raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found in ['/tmp', '/var/tmp']")

    def refuse(*args: object, **kwargs: object) -> None:
        nowhere()

    monkeypatch.setattr(tempfile, "gettempdir", nowhere)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(UsageError) as caught:
        Spool(spill_at=0).append("text")
    message = str(caught.value)
    assert "no usable temporary folder found in ['/tmp', '/var/tmp']" in message and "TMPDIR" in message
