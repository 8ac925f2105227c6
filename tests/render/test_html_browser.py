"""The HTML page in a real headless browser (Debian's chromium, driven by selenium).

Skipped, saying why, where chromium, chromedriver or selenium are missing;
.ci/run installs them. The screenshots are saved under test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import ROOT, SCENARIOS, run_cli

if TYPE_CHECKING:
    from selenium.webdriver import Chrome
    from selenium.webdriver.remote.webelement import WebElement

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
if not CHROMIUM or not CHROMEDRIVER:
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1300,1600", "--hide-scrollbars", "--force-device-scale-factor=1",
]  # fmt: skip


def _driver(offline: bool = False) -> Chrome:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    if offline:
        options.add_argument("--proxy-server=127.0.0.1:9")
        options.add_argument("--host-resolver-rules=MAP * ~NOTFOUND")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver: Chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    return driver


@pytest.fixture(scope="module")
def stripe_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stripe")
    assert run_cli("replay", SCENARIOS / "stripe-subscription.toml", "-o", out).code == 0
    return out / "transcript.html"


@pytest.fixture
def browser() -> Iterator[Chrome]:
    driver = _driver()
    yield driver
    driver.quit()


def _visible(driver: Chrome, selector: str) -> list[WebElement]:
    return [el for el in driver.find_elements("css selector", selector) if el.is_displayed()]


def test_page_is_self_contained(stripe_page: Path) -> None:
    text = stripe_page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(http" not in text


def test_stripe_page_loads_has_one_bar_per_task_and_filters(stripe_page: Path, browser: Chrome) -> None:
    browser.get(stripe_page.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    bars = browser.find_elements("css selector", "#timeline-svg rect.bar")
    tasks = {bar.get_attribute("data-task") for bar in bars}
    assert len(bars) == len(tasks) == 14
    assert browser.find_elements("css selector", "#timeline-svg rect.bar.critical")
    assert browser.find_elements("css selector", "#graph-svg line.edge")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "stripe-subscription.png"))

    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "persona-filter")).select_by_value("sam")
    messages = _visible(browser, ".msg")
    assert messages and {m.get_attribute("data-persona") for m in messages} == {"sam"}
    rows = _visible(browser, "#timeline-svg g.row")
    assert [r.get_attribute("data-persona") for r in rows] == ["sam"]
    browser.save_screenshot(str(ARTIFACTS / "stripe-subscription-sam.png"))
    Select(browser.find_element("id", "persona-filter")).select_by_value("")
    assert len(_visible(browser, "#timeline-svg g.row")) == 8


def test_page_looks_the_same_with_the_network_disabled(stripe_page: Path, browser: Chrome) -> None:
    browser.get(stripe_page.as_uri())
    online = browser.get_screenshot_as_png()
    offline = _driver(offline=True)
    try:
        offline.get(stripe_page.as_uri())
        assert offline.get_screenshot_as_png() == online
        assert [e for e in offline.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        offline.quit()


def test_page_stays_usable_for_2000_tasks(tmp_path: Path, browser: Chrome) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import write_synthetic

    scenario = write_synthetic(tmp_path / "big", shape="layered", tasks=2000)
    assert run_cli("replay", scenario, "-o", tmp_path / "out").code == 0
    page = tmp_path / "out" / "transcript.html"
    browser.set_page_load_timeout(60)
    browser.get(page.as_uri())
    assert len(browser.find_elements("css selector", "#timeline-svg rect.bar")) == 2000
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "persona-filter")).select_by_value("p03")
    assert [r.get_attribute("data-persona") for r in _visible(browser, "#timeline-svg g.row")] == ["p03"]
    browser.save_screenshot(str(ARTIFACTS / "synthetic-2000.png"))


def _attribute(element: WebElement, name: str) -> str:
    """An attribute or property the page sets: one that is missing fails the test here."""
    value = element.get_attribute(name)
    assert value is not None, name
    return value


def _boxes(driver: Chrome, selector: str) -> list[dict[str, Any]]:
    return [
        {**el.rect, "lane": el.get_attribute("data-lane"), "title": el.find_element("css selector", "title")}
        for el in driver.find_elements("css selector", selector)
    ]


def test_concurrent_work_of_one_persona_gets_a_lane_each(tmp_path: Path, browser: Chrome) -> None:
    from tests.render.runs import two_at_once

    out = tmp_path / "out"
    assert run_cli("replay", two_at_once(tmp_path), "-o", out).code == 0
    browser.get((out / "transcript.html").as_uri())
    row = browser.find_element("css selector", '#timeline-svg g.row[data-persona="local"]')
    assert row.get_attribute("data-lanes") == "2"
    bars = _boxes(browser, '#timeline-svg g.row[data-persona="local"] rect.bar')
    assert sorted(b["lane"] for b in bars) == ["0", "0", "1"]
    for i, a in enumerate(bars):
        for b in bars[i + 1 :]:
            apart_x = a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
            apart_y = a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
            assert apart_x or apart_y, "two bars of one persona drawn over each other"
    assert len({b["y"] for b in bars}) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "lanes-two-at-once.png"))


def test_failed_attempts_reviews_and_rework_are_drawn_and_labelled_apart(tmp_path: Path, browser: Chrome) -> None:
    for scenario in ("fallback-escalation", "evaluator-optimizer"):
        assert run_cli("replay", SCENARIOS / f"{scenario}.toml", "-o", tmp_path / scenario).code in (0, 1)
    browser.get((tmp_path / "fallback-escalation" / "transcript.html").as_uri())
    failed = browser.find_elements("css selector", "#timeline-svg rect.bar.failed")
    assert len(failed) == 4
    tips = [_attribute(el.find_element("css selector", "title"), "textContent") for el in failed]
    assert [t.split(": ", 1)[1].split(",")[0] for t in tips] == [f"failed attempt {n}" for n in range(1, 5)]
    assert not browser.find_elements("css selector", "#timeline-svg rect.bar.failed.critical")
    done = browser.find_elements("css selector", "#timeline-svg rect.bar.work")
    assert done and all("failed" not in _attribute(el, "class") for el in done)
    legend = browser.find_element("id", "timeline-legend").text
    for words in ("failed attempt", "review", "rework", "critical path", "one lane per slot"):
        assert words in legend
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "fallback-escalation.png"))
    browser.get((tmp_path / "evaluator-optimizer" / "transcript.html").as_uri())
    assert len(browser.find_elements("css selector", "#timeline-svg rect.bar.review")) == 2
    rework = browser.find_elements("css selector", "#timeline-svg rect.bar.rework")
    assert len(rework) == 1
    assert "rework round 2" in _attribute(rework[0].find_element("css selector", "title"), "textContent")
    browser.save_screenshot(str(ARTIFACTS / "evaluator-optimizer.png"))
