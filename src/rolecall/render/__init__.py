"""Views of an event stream: summaries, transcripts, reports, pictures."""

from rolecall.render.summary import summary_text

__all__ = ["summary_text"]
