"""Full-text search: every way a search can run finds exactly what a plain substring scan finds.

The ``check_*`` functions take any store; tests/test_postgres.py runs them on PostgreSQL too.
"""

from __future__ import annotations

import random

import pytest

from fazhi.store import open_store, search, sqlite
from fazhi.store.ngrams import cover
from fazhi.store.search import marks, parse_query


@pytest.fixture(scope="module")
def store(tmp_path_factory, examples_dir):
    s = open_store(f"sqlite:///{tmp_path_factory.mktemp('search') / 'store.db'}")
    result = s.ingest_paths([examples_dir], workers=0)
    assert result.added == 5 and not result.failed
    yield s
    s.close()


def reference(store, query: str, **filters) -> set[tuple[int, int]]:
    """(report id, sentence start) of every sentence that holds every term: a scan in Python."""
    terms = [t.lower() for t in parse_query(query)]
    out = set()
    for summary in store.reports():
        if filters.get("year") and summary.year != filters["year"]:
            continue
        if filters.get("level") and summary.level != filters["level"]:
            continue
        doc = store.report(summary.id).document
        for s in doc.sentences:
            sentence = doc.text[s.start : s.end]
            if sentence.strip() and all(t in sentence.lower() for t in terms):
                out.add((summary.id, s.start))
    return out


def found(store, query: str, **filters) -> set[tuple[int, int]]:
    hits = store.search(query, limit=100000, **filters)
    assert len(hits) == len({(h.report_id, h.start) for h in hits}), "a sentence came twice"
    return {(h.report_id, h.start) for h in hits}


def random_queries(store, n: int, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    docs = [store.report(r.id).document for r in store.reports()]
    out = []
    while len(out) < n:
        d = rnd.choice(docs)
        s = rnd.choice(d.sentences)
        sentence = d.text[s.start : s.end]
        if not sentence.strip():
            continue
        k = rnd.choice([1, 2, 2, 2, 3, 4, 5, 7])
        i = rnd.randrange(max(1, len(sentence) - k + 1))
        q = sentence[i : i + k].strip()
        if q and '"' not in q:
            out.append(q)
    return out


QUERIES = [
    "行政复议",  # common, long
    "复议",  # two characters
    "法",  # one character
    "议",
    "调解 复议",  # two terms: both must be in the sentence
    "app",  # Latin letters ignore case (the text has APP)
    "APP",
    "量子纠缠",  # nowhere
    "鲸",
    "100%",
    "二是",
    "%",  # punctuation only: PostgreSQL's index has no key for it, so every report is read
    "。二是",  # punctuation and Han: the pairs of the Han characters
    '"行政 复议"',  # a quoted term keeps its space (and so finds nothing here)
]


# -- checks shared with PostgreSQL ---------------------------------------------------------------------


def check_matches_reference(store, queries) -> None:
    for q in queries:
        assert found(store, q) == reference(store, q), q


def check_hits(store) -> None:
    hits = store.search("行政复议", limit=50)
    assert hits
    for h in hits:
        stored = store.report(h.report_id)
        assert stored.document.doc == h.doc
        assert stored.document.text[h.start : h.end] == h.sentence  # offsets into the report's text
        assert (h.jurisdiction, h.year) == (stored.document.jurisdiction, stored.document.year)
        assert h.marks and all(h.sentence[a:b] == "行政复议" for a, b in h.marks)
    hit = store.search("调解 复议")[0]
    assert {hit.sentence[a:b] for a, b in hit.marks} >= {"调解", "复议"}


def check_pages(store) -> None:
    everything = store.search("法", limit=1000)
    assert len(everything) > 30
    pages = [store.search("法", limit=10, offset=o) for o in range(0, 30, 10)]
    assert [(h.report_id, h.start) for p in pages for h in p] == [
        (h.report_id, h.start) for h in everything[:30]
    ]
    assert store.search("法", limit=10, offset=10**6) == []
    assert store.search("", limit=10) == []
    assert store.search("   ") == []


def check_filters(store) -> None:
    by_doc = {r.doc: r for r in store.reports()}
    huli = by_doc["huli-district-2024"]
    for filters in ({"year": 2020}, {"level": "county"}, {"year": 2024, "level": "department"}):
        for q in ("复议", "法治政府", "法"):
            assert found(store, q, **filters) == reference(store, q, **filters), (q, filters)
    assert {h.report_id for h in store.search("复议", place="湖里区", limit=1000)} == {huli.id}
    assert {h.doc for h in store.search("法治", place="350200", limit=1000)} == {
        "huli-district-2024",
        "xiamen-city-2024",
        "xiamen-city-2020-traditional",
        "xiamen-justice-bureau-2024",
    }
    assert store.search("法治", place="110000") == []
    in_area = store.search("复议", area="disputes", limit=1000)
    assert in_area and all(h.area == "disputes" for h in in_area)
    assert found(store, "复议", area="disputes") < found(store, "复议")
    # indicator: sentences holding a fact of that indicator
    summary, fact = next((s, f) for s, f in store.facts() if f.indicator)
    hits = store.search(fact.evidence[:3], indicator=fact.indicator, limit=1000)
    assert any(h.report_id == summary.id and h.start <= fact.start < h.end for h in hits)
    for h in hits:
        facts = store.report(h.report_id).document.facts
        assert any(f.indicator == fact.indicator and h.start <= f.start < h.end for f in facts)


# -- SQLite ----------------------------------------------------------------------------------------------


def test_matches_reference(store):
    check_matches_reference(store, QUERIES)


def test_random_substrings_match_reference(store):
    check_matches_reference(store, random_queries(store, 150))


def force_way(monkeypatch: pytest.MonkeyPatch, way: str | None) -> None:
    """Make every search run ``way`` (walk, index or scope; scope only where the filters leave
    reports); None leaves the way to the planner."""
    if way is None:
        return
    choose = search._choose

    def forced(*args, **kwargs):
        chosen, ids = choose(*args, **kwargs)
        return (chosen if chosen == "none" or (way == "scope" and not ids) else way), ids

    monkeypatch.setattr(search, "_choose", forced)


@pytest.mark.parametrize(
    ("way", "expansion"),
    [
        ("walk", 200),  # every sentence in storage order
        ("index", 200),  # FTS5: trigram phrases, and the trigrams that start with a short term
        ("index", 1),  # too many trigrams start with a short term: a walk after all
        ("scope", 200),  # the sentences of the reports that pass the filters
        (None, 200),  # the way the planner picks
    ],
)
def test_every_way_matches_reference(store, monkeypatch, way, expansion):
    monkeypatch.setattr(sqlite, "MAX_EXPANSION", expansion)
    force_way(monkeypatch, way)
    check_matches_reference(store, QUERIES + random_queries(store, 40, seed=5))
    check_filters(store)


@pytest.mark.parametrize("scope", [0, 10**6])
def test_filters_either_way(store, monkeypatch, scope):
    """Narrow filters scan the reports' sentences (scope large), wide ones use the index (scope 0)."""
    monkeypatch.setattr(search, "SCOPE", scope)
    check_filters(store)


def test_hits(store):
    check_hits(store)


def test_pages(store):
    check_pages(store)


def test_term_at_the_end_of_a_sentence(store):
    """A heading like 五、聚力化解纠纷… ends without punctuation; its last two characters are found too."""
    for summary in store.reports():
        doc = store.report(summary.id).document
        for s in doc.sentences:
            sentence = doc.text[s.start : s.end]
            if len(sentence) > 4 and sentence[-1] not in "。；;！？!?，,":
                tail = sentence[-2:]
                assert (summary.id, s.start) in found(store, tail), tail
                assert (summary.id, s.start) in found(store, sentence[-1]), sentence[-1]
                return
    pytest.fail("no sentence without final punctuation in the examples")


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("行政复议", ["行政复议"]),
        ("行政复议  纠错 ", ["行政复议", "纠错"]),
        ('"行政 复议" 纠错', ["行政 复议", "纠错"]),
        ("复议 复议", ["复议"]),
        ("", []),
        ('""', ['""']),
    ],
)
def test_parse_query(query, terms):
    assert parse_query(query) == terms


@pytest.mark.parametrize(
    ("sentence", "terms", "expected"),
    [
        ("行政复议申请", ["复议"], [(2, 4)]),
        ("复议复议", ["复议"], [(0, 2), (2, 4)]),
        ("行政复议申请", ["行政复", "复议申"], [(0, 5)]),  # overlaps merge
        ("依托APP办理", ["app"], [(2, 5)]),
        ("无关", ["复议"], []),
    ],
)
def test_marks(sentence, terms, expected):
    assert marks(sentence, terms) == expected


def test_query_quotes_are_safe(store):
    for q in ['"', '""', '" OR "', "复议\"'", "NEAR(复议", "*", "复议*", "%", "_", "\\", "a%b"]:
        assert found(store, q) == reference(store, q), q


@pytest.mark.parametrize(
    ("term", "grams"),
    [
        ("行政复", ["行政复"]),
        ("行政复议", ["行政复", "政复议"]),
        ("行政复议决定", ["行政复", "议决定"]),
        ("行政复议决定书", ["行政复", "议决定", "决定书"]),
        ("复复复复", ["复复复"]),
    ],
)
def test_cover(term, grams):
    """Every character of the term is in some trigram, so every sentence holding the term holds them."""
    assert cover(term, 3) == grams
    assert set("".join(grams)) == set(term)


def test_trigrams_apart_are_not_a_match(tmp_path):
    """The index keeps no positions: a sentence holding every trigram of a term, but not the term, is
    not a hit (and one holding it is)."""
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as s:
        rid = s.ingest_bytes(
            "某县2024年法治政府建设情况报告\n一、主要工作\n我们推进行政复核，政复议工作有序开展。\n办理行政复议案件12件。\n".encode(),
            source="a.txt",
        )
        assert isinstance(rid, int)
        hits = s.search("行政复议", limit=50)
        assert [h.sentence for h in hits] == ["办理行政复议案件12件。"]
        assert [h.marks for h in hits] == [[(2, 6)]]
        assert s.search("行政复 议工作", limit=50)[0].sentence == "我们推进行政复核，政复议工作有序开展。"
