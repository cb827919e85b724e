"""The dashboard and its JSON API through FastAPI's test client, on a real SQLite store filled with the
five bundled examples (``store.ingest_paths``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from fazhi.models import Document, Fact, Section, Span
from fazhi.store import open_store
from fazhi.web import WebSettings, create_app
from fazhi.web.highlight import TextIndex, mark_sentence, render_text

from .conftest import EXAMPLES

HTML = {"accept": "text/html"}
CONTRACT = {"doc", "source", "title", "author", "jurisdiction", "admin_code", "level", "parent", "year"}
CONTRACT |= {"published", "script", "text", "sections", "facts"}
SCRIPT_REPORT = (
    "测试市2024年度法治政府建设情况报告\n"
    "一、主要举措和成效\n"
    "2024年，测试市办理行政复议案件120件，<script>alert('x')</script>行政机关负责人出庭应诉率达100%。\n"
    "二、存在的不足\n"
    "法治宣传教育的针对性还不够强，基层执法力量较为薄弱。\n"
    "三、下一步工作安排\n"
    "2025年，测试市将继续深化行政执法体制改革，推进法治政府建设。\n"
)


def fill_store(path: Path):
    """A SQLite store at ``path`` with the bundled examples (processed in this process)."""
    store = open_store(f"sqlite:///{path}")
    result = store.ingest_paths([str(EXAMPLES)], workers=0)
    assert result.added == len(list(EXAMPLES.glob("*.txt"))), result.failed
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = fill_store(tmp_path_factory.mktemp("web") / "fazhi.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store=store)) as c:
        yield c


@pytest.fixture
def fresh(tmp_path):
    """A client on its own store (for uploads), with small limits."""
    s = fill_store(tmp_path / "fresh.db")
    app = create_app(store=s, settings=WebSettings(max_upload_bytes=4096, page_size=2))
    with TestClient(app) as c:
        yield c
    s.close()


def ids(store) -> dict[str, int]:
    return {r.doc: r.id for r in store.reports()}


# -- text rendering ---------------------------------------------------------------------------------


def _doc(text: str, facts: list[Fact] = (), sections: list[Section] = ()) -> Document:
    from fazhi import outline

    return Document(
        doc="t",
        source="t",
        text=text,
        facts=list(facts),
        sections=list(sections),
        paragraphs=outline.paragraph_spans(text),
        sentences=outline.sentence_spans(text),
    )


def _fact(text: str, surface: str, nth: int = 0) -> Fact:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Fact(surface, 1.0, "", "none", "count", "", None, None, start, start + len(surface), "")


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_render_text_escapes_and_keeps_every_character():
    text = "第一句<script>alert(1)</script>办结120件。\n第二句 a & b 达到99.5%；第三句。"
    doc = _doc(text, [_fact(text, "120件"), _fact(text, "99.5%")])
    out = str(render_text(doc))
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "a &amp; b" in out
    assert _plain(out).replace("\n", "") == text.replace("\n", "")
    # every fact marked once, with an id from its offset, inside the sentence that holds it
    for f in doc.facts:
        assert f'<mark class="fact" id="f-{f.start}" data-fact="{doc.facts.index(f)}"' in out
    first = re.search(r'<span class="s" id="s-0" data-e="(\d+)">(.*?)</span>', out)
    assert first and "120件" in first.group(2)


def test_render_text_facts_crossing_sentences_and_overlapping():
    text = "甲乙丙。丁戊己。"
    crossing = Fact("丙。丁", 1, "", "none", "count", "", None, None, 2, 5, "")
    inside = Fact("乙丙", 1, "", "none", "count", "", None, None, 1, 3, "")
    out = str(render_text(_doc(text, [inside, crossing])))
    assert _plain(out).strip() == text
    assert out.count('id="f-1"') == 1 and 'id="f-2"' not in out  # the overlapping one is left unwrapped
    assert out.count("<span") == out.count("</span>") and out.count("<mark") == out.count("</mark>")


def test_headings_get_their_class_and_anchor():
    text = "一、主要举措\n全年办结120件。"
    sec = Section("一", "主要举措", 1, 0, len(text))
    out = str(render_text(_doc(text, sections=[sec])))
    assert '<p data-p="0" class="h d1">' in out


def test_text_index_finds_the_sentence_of_an_offset():
    index = TextIndex([Span(0, 4), Span(4, 9), Span(12, 20)])
    assert index.anchor(0) == "s-0"
    assert index.anchor(6) == "s-4"
    assert index.anchor(10) == "s-4"  # between sentences: the one before
    assert TextIndex([]).anchor(3) == "text"


def test_mark_sentence():
    assert str(mark_sentence("<b>行政复议</b>", [(5, 7)])) == "&lt;b&gt;行政<mark>复议</mark>&lt;/b&gt;"


# -- pages ------------------------------------------------------------------------------------------


def test_overview(client, store):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200
    body = r.text
    assert "得分排名" in body and "得分分布" in body and "各领域覆盖" in body
    for rid in ids(store).values():
        assert f'href="/reports/{rid}"' in body  # five reports, all ranked
    assert body.count('class="chart') == 3 and "vendor/echarts/echarts.min.js" in body
    ranking = re.search(
        r'<table class="ranking">(.*?)</table>', client.get("/?year=2020", headers=HTML).text, re.S
    )
    assert ranking and ranking.group(1).count('<a href="/reports/') == 1


def test_no_page_loads_anything_from_outside(client, store):
    rid = ids(store)["shishi-city-2024"]
    for url in ("/", "/reports", f"/reports/{rid}", "/indicators", "/search?q=复议", "/upload", "/docs"):
        r = client.get(url, headers=HTML)
        assert r.status_code == 200, url
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text), url
        assert "cdn" not in r.text.lower(), url
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]
    for asset in (
        "vendor/echarts/echarts.min.js",
        "vendor/swagger-ui/swagger-ui-bundle.js",
        "app.js",
        "app.css",
    ):
        assert client.get(f"/static/{asset}").status_code == 200


def test_report_page_marks_every_fact_and_links_evidence(client, store):
    rid = ids(store)["shishi-city-2024"]
    stored = store.report(rid)
    body = client.get(f"/reports/{rid}", headers=HTML).text
    sentence_ids = set(re.findall(r'<span class="s" id="(s-\d+)"', body))
    assert len(sentence_ids) == len(stored.document.sentences)
    marks = re.findall(r'<mark class="fact" id="f-(\d+)" data-fact="(\d+)"', body)
    assert len(marks) == len(stored.document.facts)
    for start, i in marks:
        f = stored.document.facts[int(i)]
        assert f.start == int(start)
    # every evidence link and outline link points at a sentence on the page
    targets = re.findall(r'<a class="(?:ev|jump)" href="#(s-\d+)"', body)
    targets += re.findall(r'href="#(s-\d+)" data-start="\d+" data-end="\d+" class="jump"', body)
    assert targets and set(targets) <= sentence_ids
    assert stored.assessment is not None
    for c in stored.assessment.criteria:
        assert f'id="crit-{c.id}"' in body and html.escape(c.name) in body
    assert "<h1>" in body and (stored.document.title or stored.document.doc) in body


def test_report_list_pages_and_filters(fresh):
    first = fresh.get("/reports", headers=HTML).text
    assert "共 5 份" in first and "第 1 页 / 共 3 页" in first and 'rel="next" href="?page=2"' in first
    second = fresh.get("/reports?page=2", headers=HTML).text
    rows = lambda t: set(re.findall(r'<td><a href="/reports/(\d+)"', t))  # noqa: E731
    assert rows(first) and rows(second) and not rows(first) & rows(second)
    assert "共 2 份" in fresh.get("/reports?level=county", headers=HTML).text
    assert "共 1 份" in fresh.get("/reports?year=2020", headers=HTML).text
    assert "共 4 份" in fresh.get("/reports?place=350200", headers=HTML).text  # 厦门市 and 湖里区 in it
    ranked = fresh.get("/reports?sort=score&page=2", headers=HTML).text
    assert re.search(r'<td class="num">3</td>\s*<td><a href="/reports/', ranked)  # ranks go on over pages
    assert fresh.get("/reports?level=city", headers=HTML).status_code == 422
    assert fresh.get("/reports?sort=name", headers=HTML).status_code == 422
    assert fresh.get("/reports?year=20x4", headers=HTML).status_code == 422


def test_indicator_pages(client, store):
    rows = store.facts(indicator="leader_appearance_rate")
    catalogue = client.get("/indicators", headers=HTML).text
    n_reports = len({r.id for r, _ in rows})
    assert re.search(rf"出庭应诉率</a> <small[^>]*>{n_reports} 份报告 · {len(rows)} 条</small>", catalogue)
    assert rows, "the examples state appearance-in-court rates"
    body = client.get("/indicators/leader_appearance_rate", headers=HTML).text
    assert "各地比较" in body and "年度变化" in body
    cells = re.findall(r'<a href="/reports/(\d+)#f-(\d+)"', body)
    assert cells
    for rid, start in cells:
        assert any(r.id == int(rid) and f.start == int(start) for r, f in rows)
    assert client.get("/indicators/no_such_thing", headers=HTML).status_code == 404


def test_stats_cache_keeps_computes_once_and_clears():
    import threading

    from fazhi.web.stats import StatsCache

    calls = []
    gate = threading.Event()

    def slow():
        calls.append(1)
        gate.wait(5)
        return len(calls)

    cache = StatsCache(store=None, ttl=60)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert results == [1, 1, 1, 1] and len(calls) == 1  # four asked at once, computed once
    assert cache.get("k", slow) == 1
    cache.clear()
    assert cache.get("k", slow) == 2
    cache.ttl = 0
    assert cache.get("k", slow) == 3  # expired


def test_search_page(client):
    body = client.get("/search?q=行政复议", headers=HTML).text
    hits = re.findall(r'<a href="/reports/(\d+)#s-(\d+)">', body)
    assert hits and "<mark>行政复议</mark>" in body
    assert "没有找到" in client.get("/search?q=量子纠缠", headers=HTML).text
    assert client.get("/search?q=复议&area=nowhere", headers=HTML).status_code == 422


def test_error_pages_are_chinese_and_json_for_the_api(client):
    r = client.get("/reports/99999", headers=HTML)
    assert r.status_code == 404 and "未找到" in r.text
    r = client.get("/api/reports/99999")
    assert r.status_code == 404 and r.json() == {"detail": "no report with id 99999"}


# -- JSON API ---------------------------------------------------------------------------------------


def test_api_reports_list(client, store):
    r = client.get("/api/reports")
    assert r.status_code == 200 and r.headers["x-total-count"] == "5"
    items = r.json()
    assert isinstance(items, list) and len(items) == 5
    for item in items:
        assert {"id", "doc", "jurisdiction", "year", "score"} <= set(item)
        assert item["url"] == f"/reports/{item['id']}"
    assert {i["doc"] for i in items} == {p.stem for p in EXAMPLES.glob("*.txt")}
    page = client.get("/api/reports?limit=2&offset=2").json()
    assert (
        [i["id"] for i in page]
        == [i["id"] for i in items[2:4]]
        == [r.id for r in store.reports(limit=2, offset=2)]
    )
    assert [i["doc"] for i in client.get("/api/reports?year=2020").json()] == ["xiamen-city-2020-traditional"]
    scores = [r.score for r in store.reports()]
    assert [i["score"] for i in client.get("/api/reports?sort=score").json()] == sorted(scores, reverse=True)
    xiamen = client.get("/api/reports?sort=score&place=350200").json()
    assert len(xiamen) == 4 and [i["score"] for i in xiamen] == sorted(
        (i["score"] for i in xiamen), reverse=True
    )
    assert client.get("/api/reports?level=city").status_code == 422
    assert client.get("/api/reports?limit=0").status_code == 422


def test_api_report(client, store):
    rid = ids(store)["xiamen-city-2024"]
    d = client.get(f"/api/reports/{rid}").json()
    stored = store.report(rid)
    assert set(d) >= CONTRACT and d["id"] == rid
    assert {k: d[k] for k in stored.document.to_dict()} == stored.document.to_dict()
    assert d["assessment"] == stored.assessment.to_dict()
    assert "sentences" not in d and client.get(f"/api/reports/{rid}?full=true").json()["sentences"]


def test_api_search(client):
    hits = client.get("/api/search", params={"q": "行政复议"}).json()
    assert hits
    for h in hits:
        a, b = h["marks"][0]
        assert h["sentence"][a:b] == "行政复议"
        assert h["url"] == f"/reports/{h['report_id']}#s-{h['start']}"
    assert len(client.get("/api/search", params={"q": "行政复议", "limit": 2}).json()) == 2
    assert client.get("/api/search", params={"q": "行政复议", "year": 2020}).json() == [
        h
        for h in client.get("/api/search", params={"q": "行政复议", "limit": 500}).json()
        if h["year"] == 2020
    ]
    assert client.get("/api/search").status_code == 422


def test_api_facts_indicators_overview(client, store):
    facts = client.get("/api/facts", params={"indicator": "leader_appearance_rate"}).json()
    assert facts and all(f["indicator"] == "leader_appearance_rate" for f in facts)
    assert all(f["url"] == f"/reports/{f['report']['id']}#f-{f['start']}" for f in facts)
    catalogue = client.get("/api/indicators").json()
    assert {"id": "leader_appearance_rate", "name": "行政机关负责人出庭应诉率"}.items() <= next(
        i for i in catalogue if i["id"] == "leader_appearance_rate"
    ).items()
    cmp = client.get("/api/indicators/leader_appearance_rate").json()
    assert cmp["unit"] == "%" and cmp["places"] and cmp["n_facts"] == len(facts)
    assert cmp["n_places"] == len(cmp["places"])
    page = client.get("/api/indicators/leader_appearance_rate?limit=1&offset=1").json()
    assert page["places"] == cmp["places"][1:2]
    ov = client.get("/api/overview").json()
    assert ov["n_reports"] == 5 and len(ov["ranking"]) == 5
    assert ov["ranking"][0]["score"] == max(r.score for r in store.reports())
    assert sum(sum(v for k, v in row.items() if k != "bin") for row in ov["distribution"]) == 5
    assert {c["area"] for c in ov["coverage"]} >= {"disputes", "enforcement"}
    assert client.get("/api/overview?year=2020").json()["n_reports"] == 1
    assert {a["id"] for a in client.get("/api/areas").json()} >= {"leadership", "society"}


def test_openapi_documents_every_api_route(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/reports", "/api/reports/{report_id}", "/api/search", "/api/facts", "/api/overview"} <= paths
    assert "post" in spec["paths"]["/api/reports"]
    assert not any(p.startswith(("/reports", "/search", "/upload")) for p in paths)  # pages are not API
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs


# -- upload -----------------------------------------------------------------------------------------


def _cli_reason(tmp_path: Path, name: str, data: bytes) -> str:
    """What ``fazhi extract`` says about the same file."""
    from fazhi.cli import cli

    p = tmp_path / name
    p.write_bytes(data)
    result = CliRunner().invoke(cli, ["extract", str(p)])
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if x.startswith(f"fazhi: {p}: "))
    return line.removeprefix(f"fazhi: {p}: ")


def test_upload_page_stores_a_report_and_escapes_it(fresh):
    before = fresh.get("/api/overview").json()["n_reports"]
    r = fresh.post(
        "/upload",
        files={"files": ("测试市-2024.txt", SCRIPT_REPORT.encode("utf-8"), "text/plain")},
        headers=HTML,
    )
    assert r.status_code == 200 and "已存储" in r.text
    rid = int(re.search(r'已存储：<a href="/reports/(\d+)"', r.text).group(1))
    page = fresh.get(f"/reports/{rid}", headers=HTML).text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert fresh.get("/api/overview").json()["n_reports"] == before + 1  # the cache was cleared
    again = fresh.post("/upload", files={"files": ("again.txt", SCRIPT_REPORT.encode("utf-8"))}, headers=HTML)
    assert "此前已存储" in again.text and f'/reports/{rid}"' in again.text


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("empty.txt", b"   \n", 422),
        ("english.txt", b"This annual report is written in English only, with no Chinese at all.\n" * 5, 422),
        ("binary.txt", bytes(range(256)) * 4, 422),
    ],
)
def test_upload_refuses_bad_files_with_the_cli_reason(fresh, tmp_path, name, data, status):
    reason = _cli_reason(tmp_path, name, data)
    r = fresh.post("/upload", files={"files": (name, data, "text/plain")}, headers=HTML)
    assert r.status_code == status
    assert "未能处理" in r.text and html.escape(f"{name}: {reason}") in r.text
    api = fresh.post("/api/reports", files={"files": (name, data, "text/plain")})
    assert api.status_code == status
    assert api.json() == [
        {"filename": name, "status": "failed", "id": None, "doc": None, "reason": reason, "url": None}
    ]


def test_upload_limits_type_and_size(fresh):
    r = fresh.post("/api/reports", files={"files": ("report.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert r.status_code == 415 and "file type .exe is not accepted" in r.json()[0]["reason"]
    big = ("法治" * 3000).encode("utf-8")  # over the 4096-byte limit of this client
    r = fresh.post("/api/reports", files={"files": ("big.txt", big, "text/plain")})
    assert r.status_code == 413 and "larger than the limit" in r.json()[0]["reason"]
    r = fresh.post("/upload", files={"files": ("big.txt", big, "text/plain")}, headers=HTML)
    assert r.status_code == 413 and "larger than the limit" in r.text
    # a body far over the limit is refused before it is read
    r = fresh.post(
        "/api/reports",
        content=b"x",
        headers={"content-length": str(10**9), "content-type": "multipart/form-data; boundary=x"},
    )
    assert r.status_code == 413
    assert fresh.post("/api/reports").status_code == 422  # no file at all
    assert (
        fresh.post(
            "/upload", headers=HTML, files={"files": ("", b"", "application/octet-stream")}
        ).status_code
        == 422
    )


def test_aggregates_follow_reports_stored_elsewhere(fresh, tmp_path):
    """A report ingested by another process (here: straight into the store) shows on the next request."""
    assert fresh.get("/api/overview").json()["n_reports"] == 5
    (tmp_path / "other.txt").write_text(SCRIPT_REPORT, encoding="utf-8")
    fresh.app.state.store.ingest_paths([str(tmp_path / "other.txt")], workers=0)
    assert fresh.get("/api/overview").json()["n_reports"] == 6
    assert fresh.get("/api/reports").headers["x-total-count"] == "6"


def test_api_upload_stores_and_returns_the_report(fresh):
    r = fresh.post(
        "/api/reports", files={"files": ("测试市-2024.txt", SCRIPT_REPORT.encode("utf-8"), "text/plain")}
    )
    assert r.status_code == 201
    (item,) = r.json()
    assert item["status"] == "added" and item["doc"] == "测试市-2024"
    d = fresh.get(f"/api/reports/{item['id']}").json()
    assert "<script>alert('x')</script>" in d["text"]  # stored as written; escaped only when shown
    again = fresh.post("/api/reports", files={"files": ("copy.txt", SCRIPT_REPORT.encode("utf-8"))})
    assert again.status_code == 200 and again.json()[0]["status"] == "stored"


# -- the command --------------------------------------------------------------------------------------


def test_serve_command(monkeypatch, tmp_path):
    import uvicorn

    from fazhi.cli import cli

    seen = {}
    monkeypatch.setattr(
        uvicorn, "run", lambda app, host, port, **kw: seen.update(app=app, host=host, port=port)
    )
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "8123", "--max-upload-mb", "1"]
    )
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123
    assert seen["app"].state.web.max_upload_bytes == 1024 * 1024
    assert db.exists()
    bad = CliRunner().invoke(cli, ["serve", "--db", "nosuchdriver://x"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output


# -- PostgreSQL ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_store():
    import os

    from .pg import TempPostgres, Unavailable

    server = TempPostgres()
    try:
        url = server.start()
    except Unavailable as exc:
        server.stop()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests cannot run in CI: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    s = open_store(url)
    assert s.ingest_paths([str(EXAMPLES)], workers=0).added == 5
    yield s
    s.close()
    server.stop()


@pytest.mark.postgres
def test_dashboard_on_postgresql(pg_store):
    rid = ids(pg_store)["shishi-city-2024"]
    with TestClient(create_app(store=pg_store)) as c:
        for url in ("/", "/?year=2024", "/reports?sort=score", "/reports?place=350200", f"/reports/{rid}"):
            assert c.get(url, headers=HTML).status_code == 200, url
        for url in ("/indicators", "/indicators/leader_appearance_rate?level=county", "/search?q=复议"):
            assert c.get(url, headers=HTML).status_code == 200, url
        assert c.get("/api/overview").json()["n_reports"] == 5
        assert c.get("/api/search?q=行政复议").json()


def test_a_page_reads_the_number_of_reports_once(fresh, tmp_path, monkeypatch):
    """Every aggregate a page asks for is checked against one reading of the store's size, even right
    after a change, and the change shows."""
    store = fresh.app.state.store
    calls = []
    count = store.count_reports
    assert fresh.app.state.warmed.wait(60)  # start-up's aggregates, computed outside any request
    monkeypatch.setattr(store, "count_reports", lambda *a, **k: calls.append(1) or count(*a, **k))
    for url in ("/", "/indicators", "/indicators/leader_appearance_rate", "/api/overview"):
        (tmp_path / f"{len(calls)}.txt").write_text(SCRIPT_REPORT + f"附：{url}\n", encoding="utf-8")
        store.ingest_paths([str(tmp_path / f"{len(calls)}.txt")], workers=0)
        calls.clear()
        r = fresh.get(url, headers=HTML)
        assert r.status_code == 200 and len(calls) == 1, (url, len(calls))
    assert fresh.get("/api/overview").json()["n_reports"] == 9
