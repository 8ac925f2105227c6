"""The HTML page outside a browser: every value from the events reaches it escaped."""

from __future__ import annotations

import re
from pathlib import Path

from rolecall.render.html import html_page
from tests.render.runs import events_of, scenario_file

HOSTILE = "<img src=x onerror=\"alert(1)\"> & 'quoted'"


def test_values_from_the_events_are_escaped_in_text_and_attributes(tmp_path: Path) -> None:
    scenario = scenario_file(
        tmp_path,
        [
            {"id": "impl", "capability": "code.implement", "summary": HOSTILE, "fails": 1, "deliverable": HOSTILE},
            {"id": "plan", "capability": "design.plan", "summary": HOSTILE},
        ],
        title=HOSTILE,
        request=HOSTILE,
    )
    page = html_page(events_of(scenario))
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page  # in the timeline's tooltips
    for value in re.findall(r'="([^"]*)"', page):
        assert "<" not in value and ">" not in value
