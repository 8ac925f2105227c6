"""The writer and the schema agree: every event is written byte for byte as its pydantic adapter would."""

from __future__ import annotations

import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from rolecall.events import Event, event_line

KINDS: tuple[type[Event], ...] = typing.get_args(typing.get_args(Event)[0])


# Ids are plain strings to the generator (it ignores pydantic's patterns): the writer does not care.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KINDS).flatmap(st.from_type))
def test_every_event_is_written_as_its_adapter_would_write_it(event: Event) -> None:
    line = event_line(event)
    assert line == TypeAdapter(type(event)).dump_json(event).decode("utf-8") + "\n"
    assert line.endswith("\n") and "\n" not in line[:-1]
