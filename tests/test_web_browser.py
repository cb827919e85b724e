"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against uvicorn on 127.0.0.1.

Clicks overview -> report -> fact and evidence, search -> sentence, comparison -> fact, and uploads a
report holding ``<script>``. Every request that leaves the server is refused and fails the test (the
dashboard must work with no internet); screenshots go to ``tests/_artifacts/``.

Chromium comes from the system (``scripts/install-system-deps.sh``, run by ``make test``), never from
``playwright install``. Without it these tests skip, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from fazhi.web import create_app

from .conftest import ROOT
from .test_web_api import SCRIPT_REPORT, fill_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "_artifacts"


def _unavailable(reason: str) -> None:
    message = f"browser tests need Chromium: {reason} (install it with scripts/install-system-deps.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    store = fill_store(tmp_path_factory.mktemp("browser") / "fazhi.db")
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    pw = sync_playwright().start()
    try:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1440, "height": 1000},
            locale="zh-CN",
        )
    except Exception as exc:  # noqa: BLE001 - a Chromium that cannot start is reported, not a traceback
        pw.stop()
        _unavailable(f"Chromium did not start: {exc}".splitlines()[0])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield context
    context.close()
    pw.stop()


@pytest.fixture
def page(browser, server):
    base, _store = server
    page = browser.new_page()
    outside: list[str] = []
    problems: list[str] = []

    def route(r):
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.base = base
    yield page
    page.close()
    assert not outside, f"requests outside the server: {outside}"
    assert not problems, problems


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def charts_drawn(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.chart canvas').length >= {n}", timeout=15000)


def highlighted(page) -> list[tuple[int, int, str]]:
    """(start, end, text) of every highlighted sentence."""
    return page.eval_on_selector_all(
        "#text .s.hl", "els => els.map(e => [+e.id.slice(2), +e.dataset.e, e.textContent])"
    )


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
    )


def test_overview_report_fact_and_evidence(page, server):
    base, store = server
    page.goto(base + "/")
    charts_drawn(page, 3)  # ECharts from the package's static files
    assert page.locator("table.ranking tbody tr").count() == 5
    shot(page, "1-overview")

    first = page.locator("table.ranking tbody tr").first.locator("a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/reports/\d+$"))
    rid = int(page.url.rsplit("/", 1)[1])
    stored = store.report(rid)
    assert stored.document.jurisdiction == name or stored.document.author == name
    assert page.locator("mark.fact").count() == len(stored.document.facts)
    shot(page, "2-report")

    # a fact in the text: its sentence lights up, the panel tells what it is
    mark = page.locator("mark.fact").nth(3)
    i = int(mark.get_attribute("data-fact"))
    fact = stored.document.facts[i]
    mark.click()
    assert "active" in mark.get_attribute("class")
    spans = highlighted(page)
    assert len(spans) == 1 and spans[0][0] <= fact.start < spans[0][1] and fact.surface in spans[0][2]
    assert page.locator("#fact-panel").is_visible()
    assert page.locator("#fact-panel [data-k=surface]").inner_text() == fact.surface
    assert page.url.endswith(f"#f-{fact.start}")
    shot(page, "3-report-fact")

    # the evidence of a criterion: the sentences of its quote light up and come into view
    link = page.locator("a.ev").first
    start, end = int(link.get_attribute("data-start")), int(link.get_attribute("data-end"))
    link.click()
    spans = highlighted(page)
    assert (
        spans
        and spans[0][0] <= start < spans[0][1]
        and all(s < max(end, start + 1) and e > start for s, e, _ in spans)
    )
    quote = stored.document.text[start:end]
    assert quote[:10] in "".join(t for _, _, t in spans)
    assert in_view(page, f"#s-{spans[0][0]}")
    shot(page, "4-report-evidence")

    # the facts table below links back into the text
    row = page.locator("a.fact-link").nth(5)
    j = int(row.get_attribute("data-fact"))
    row.click()
    f = stored.document.facts[j]
    assert "active" in page.locator(f"#f-{f.start}").get_attribute("class")
    assert in_view(page, f"#f-{f.start}")


def test_link_to_a_fact_opens_it(page, server):
    base, store = server
    rid = next(r.id for r in store.reports() if r.doc == "xiamen-city-2024")
    fact = store.report(rid).document.facts[-1]
    page.goto(f"{base}/reports/{rid}#f-{fact.start}")
    page.wait_for_selector(f"#f-{fact.start}.active")
    assert page.locator("#fact-panel [data-k=surface]").inner_text() == fact.surface
    assert in_view(page, f"#f-{fact.start}")


def test_search_to_sentence(page, server):
    base, _ = server
    page.goto(base + "/")
    page.fill("form.quick input[name=q]", "行政复议")
    page.press("form.quick input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("ol.hits li")
    assert hits.count() > 0 and hits.first.locator("mark").first.inner_text() == "行政复议"
    shot(page, "5-search")
    hits.first.locator(".hit-head a").click()
    page.wait_for_url(re.compile(r"/reports/\d+#s-\d+$"))
    sid = page.url.rsplit("#", 1)[1]
    page.wait_for_selector(f"#{sid}.hl")
    assert "行政复议" in page.locator(f"#{sid}").inner_text()
    shot(page, "6-search-hit")


def test_indicator_comparison_to_fact(page, server):
    base, _ = server
    page.goto(base + "/indicators")
    page.get_by_role("link", name="行政机关负责人出庭应诉率").click()
    page.wait_for_url(re.compile(r"/indicators/leader_appearance_rate"))
    charts_drawn(page, 2)
    cells = page.locator("table.compare a")
    assert cells.count() > 0
    shot(page, "7-indicator")
    href = cells.first.get_attribute("href")
    cells.first.click()
    page.wait_for_url(re.compile(r"/reports/\d+#f-\d+$"))
    start = href.rsplit("#f-", 1)[1]
    page.wait_for_selector(f"#f-{start}.active")


def test_upload_shows_script_as_text(page, server, tmp_path):
    base, _ = server
    report = tmp_path / "测试市-2024.txt"
    report.write_text(SCRIPT_REPORT, encoding="utf-8")
    page.goto(base + "/upload")
    page.set_input_files("input[name=files]", str(report))
    page.click("form.upload button")
    page.wait_for_selector(".outcomes")
    shot(page, "8-upload")
    page.locator(".outcomes a").first.click()
    page.wait_for_url(re.compile(r"/reports/\d+$"))
    text = page.locator("#text").inner_text()
    assert "<script>alert('x')</script>" in text  # shown, not run (a dialog would fail the test)
    assert page.locator("#text script").count() == 0
    shot(page, "9-uploaded-report")

    bad = tmp_path / "notes.txt"
    bad.write_text("Only English here, no Chinese at all. " * 4, encoding="utf-8")
    page.goto(base + "/upload")
    page.set_input_files("input[name=files]", str(bad))
    page.click("form.upload button")
    reason = page.locator(".outcomes .reason").inner_text()
    assert reason.startswith("notes.txt: text is not Chinese")
    shot(page, "10-upload-refused")


def test_api_docs_work_offline(page, server):
    base, _ = server
    page.goto(base + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".swagger-ui .opblock").count() >= 8
    shot(page, "11-docs")
