"""Views of an event stream: JSON Lines, summaries, transcripts."""

from rolecall.render.jsonl import JsonlSink, dump_events, event_line, read_events
from rolecall.render.summary import summary_text

__all__ = ["JsonlSink", "dump_events", "event_line", "read_events", "summary_text"]
