"""The HTML page outside a browser: every value from the events reaches it escaped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from rolecall import events as ev
from rolecall.events import dump_events
from rolecall.files import read_events
from rolecall.render.html import HtmlPage, html_page
from tests.conftest import SCENARIOS
from tests.render.page_text import PageText
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


SHIPPED = sorted(SCENARIOS.glob("*.toml"))
MESSAGE = re.compile(r"^`\[\d+:\d\d\]` ", re.MULTILINE)


@pytest.fixture(scope="module")
def shipped_pages() -> dict[str, tuple[str, str]]:
    """Each shipped scenario's (Markdown transcript, HTML page), from one feed of its events."""
    pages = {}
    for path in SHIPPED:
        page = HtmlPage()
        for event in events_of(path):
            page(event)
        pages[path.stem] = (page.transcript.text(), page.text())
    return pages


@pytest.mark.parametrize("name", [p.stem for p in SHIPPED])
def test_no_mermaid_source_reaches_the_page(name: str, shipped_pages: dict[str, tuple[str, str]]) -> None:
    markdown, page = shipped_pages[name]
    seen = PageText(page).text
    for word in ("gantt", "sequenceDiagram", "dateFormat", "axisFormat", "participant", "```", "mermaid"):
        assert word not in seen, (name, word)
    if "```mermaid" in markdown:  # the timeline and the graph stand in for the diagrams
        assert 'id="timeline-svg"' in page


@pytest.mark.parametrize("name", [p.stem for p in SHIPPED])
def test_the_page_has_one_message_per_transcript_message(name: str, shipped_pages: dict[str, tuple[str, str]]) -> None:
    markdown, page = shipped_pages[name]
    messages = PageText(page).messages
    assert len(messages) == len(MESSAGE.findall(markdown)) > 0
    assert all(m["data-persona"] and m["data-kind"] for m in messages)


def test_the_report_and_summary_are_html_with_tables(shipped_pages: dict[str, tuple[str, str]]) -> None:
    _, page = shipped_pages["stripe-subscription"]
    report = page[page.index("<div class=report>") :]
    report = report[: report.index("</div>")]
    assert report.count("<table>") == 3  # figures, agent performance, phases
    assert "<th class=r>Tasks</th>" in report and "<td class=r>100%</td>" in report
    assert "<ol><li>Most idle (per slot)" in report
    assert "|" not in PageText(report).text and "**" not in PageText(page).text
    summary = page[page.index("<h3>Summary</h3>") :]
    assert summary.index('data-kind="run_finished"') < summary.index("<blockquote>")
    assert "8 personas did the work: 14 of 14 tasks finished, 6 handoffs, 0 redirects." in summary


def test_the_words_are_the_transcripts(shipped_pages: dict[str, tuple[str, str]]) -> None:
    _, page = shipped_pages["role-boundary-violation"]
    seen = PageText(page).text
    for said in (
        "STOP: Sam, this task is outside your role.",
        "I'll take this one... (create-user-action: Server Actions, backend.server-actions)",
        "Context: the orchestrator redirected this backend.server-actions work to its owner",
    ):
        assert said in seen
    assert "<code>backend.server-actions</code>" in page and "<i>create-user-action</i>" in page
    _, stripe = shipped_pages["stripe-subscription"]
    assert "<span>[QA stream]</span> <b>Quinn</b>" in stripe
    assert "<h3>Phase 2: Implementation (PARALLEL)</h3>" in stripe  # the phase number settled, as in the Markdown
    assert "\x00" not in stripe


def _hostile(persona: ev.PersonaView, n: int) -> ev.PersonaView:
    """The persona with markup in every free-text field, its own redirect wording included."""
    return replace(
        persona,
        name=f"{HOSTILE} {n}",
        title=f"</td><script>alert({n})</script> title",
        icon="<b>!</b>",
        templates={"redirect": "<script>alert('redirect')</script> {violator}, <i>stop</i>.\n{reasons}"},
    )


def test_every_persona_value_of_a_valid_stream_is_escaped(tmp_path: Path) -> None:
    events = events_of(SCENARIOS / "role-boundary-violation.toml")
    start = events[0]
    assert isinstance(start, ev.RunStarted)
    crafted = [replace(start, personas=tuple(_hostile(p, n) for n, p in enumerate(start.personas))), *events[1:]]
    stream = tmp_path / "events.jsonl"
    stream.write_text(dump_events(crafted), encoding="utf-8")
    page = html_page(read_events(stream))  # valid: read back with every check a saved stream gets
    read = PageText(page)
    assert read.tags.count("script") == 1  # the page's own
    assert "<img" not in page and "<script>alert" not in page and "<b>!</b>" not in page
    seen = read.text
    assert f"{HOSTILE} 0" in seen and "</td><script>alert(" in seen and "<b>!</b>" in seen
    assert "<script>alert('redirect')</script> " in seen and ", <i>stop</i>." in seen
    for name, value in read.attributes:
        assert "<" not in value and ">" not in value, name
    for value in re.findall(r'="([^"]*)"', page):
        assert "<" not in value and ">" not in value


def test_the_page_is_the_same_bytes_in_every_run(tmp_path: Path) -> None:
    scenario = SCENARIOS / "stripe-subscription.toml"
    pages = []
    for seed in ("1", "2"):  # set and dict orders must not leak into the page
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
        run = subprocess.run(
            [sys.executable, "-m", "rolecall", "replay", str(scenario), "--format", "html"],
            capture_output=True,
            env=env,
            check=True,
        )
        pages.append(run.stdout)
    assert pages[0] == pages[1]
    assert pages[0].decode("utf-8") == html_page(events_of(scenario))
