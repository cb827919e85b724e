"""Dashboard benchmark: p50/p95 of the main pages and API routes over a store of N reports.

    python benchmarks/bench_web.py                   # 10,000 synthetic reports (built once, then reused)
    python benchmarks/bench_web.py --n 500 --repeat 50
    python benchmarks/bench_web.py --db /tmp/fazhi-bench/bench-10000.db   # an existing store

1. store     N reports: the synthetic corpus of ``bench_store.generate`` (which takes
             ``bench_throughput``'s generator when there is one) ingested with ``Store.ingest_paths``;
             a store that already holds N reports is reused as it is
2. app       ``create_app`` on that store, driven through FastAPI's TestClient (the whole ASGI stack:
             routing, store queries, templates; no network)
3. requests  each page kind with varied arguments (random reports, pages, indicators, filters, search
             words); the first request of a kind is reported apart (cold), the others give p50 / p95
             / max. The overview and the indicator comparisons are aggregates kept until the store
             changes (or ``stats_ttl``): "computed" rows ask for a new one every time (a comparison
             of another indicator or filter; the overview right after its aggregates were dropped),
             "kept" rows ask again for ones already computed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = 200
LEVELS = ("province", "prefecture", "county", "department")
WORDS = {
    "common": ["法治政府", "行政复议", "行政执法", "矛盾纠纷", "营商环境"],
    "two-char": ["复议", "调解", "执法", "信访", "普法"],
    "absent": ["量子纠缠", "火星基地"],
    "two terms": ["行政复议 纠错", "执法 培训"],
}


def build_store(n: int, db: Path, corpus: Path, workers: int | None) -> str:
    from bench_store import generate

    from fazhi.store import open_store

    url = f"sqlite:///{db}"
    store = open_store(url)
    try:
        have = store.count_reports()
        if have >= n:
            print(f"store: {db} holds {have} reports (reused)")
            return url
        t = time.perf_counter()
        files = generate(n, corpus)
        print(f"corpus: {len(files)} reports in {corpus} ({time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        result = store.ingest_paths([str(p) for p in files], workers=workers, progress=True)
        print(
            f"ingest: {result.added} added, {result.skipped} skipped, {len(result.failed)} failed "
            f"in {time.perf_counter() - t:.1f} s"
        )
    finally:
        store.close()
    return url


def percentiles(ms: list[float]) -> tuple[float, float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], ms[-1]


def cases(store, stats, rnd: random.Random) -> list[tuple[str, Callable[[], str], Callable[[], None] | None]]:
    """(name, next address, what to do before each request) of every page kind."""
    from fazhi.web import labels

    summaries = store.reports()
    ids = [r.id for r in summaries]
    years = sorted({r.year for r in summaries if r.year})
    places = sorted({r.jurisdiction for r in summaries if r.jurisdiction})
    pages = max(1, len(ids) // 50)
    indicators = [i["id"] for i in labels.indicators()]
    filters = ["", *(f"?year={y}" for y in years), *(f"?level={lv}" for lv in LEVELS)]
    combos = [f"{ind}{f}" for ind in indicators for f in filters]
    rnd.shuffle(combos)
    fresh = iter(combos * 10)  # every comparison computed, none kept
    kept = combos[:5]  # a few comparisons asked again and again

    def search_args() -> str:
        q = rnd.choice([w for ws in WORDS.values() for w in ws])
        f = rnd.choice(
            ["", f"&year={rnd.choice(years)}", f"&level={rnd.choice(LEVELS)}", f"&place={rnd.choice(places)}"]
        )
        return f"q={q}{f}"

    return [
        ("/ (overview)", lambda: rnd.choice(["/", *(f"/?year={y}" for y in years)]), None),
        ("/ recomputed (after a change)", lambda: "/", stats.clear),
        ("/reports (list)", lambda: f"/reports?page={rnd.randint(1, pages)}", None),
        (
            "/reports?filters",
            lambda: rnd.choice(
                [
                    f"/reports?year={rnd.choice(years)}",
                    f"/reports?level={rnd.choice(LEVELS)}",
                    f"/reports?place={rnd.choice(places)}",
                ]
            ),
            None,
        ),
        ("/reports/{id}", lambda: f"/reports/{rnd.choice(ids)}", None),
        ("/indicators/{id} computed", lambda: f"/indicators/{next(fresh)}", None),
        ("/indicators/{id} kept", lambda: f"/indicators/{rnd.choice(kept)}", None),
        ("/search?q=", lambda: "/search?" + search_args(), None),
        ("/api/reports", lambda: f"/api/reports?limit=50&offset={50 * rnd.randrange(pages)}", None),
        ("/api/reports/{id}", lambda: f"/api/reports/{rnd.choice(ids)}", None),
        ("/api/search?q=", lambda: "/api/search?" + search_args(), None),
        ("/api/indicators/{id} computed", lambda: f"/api/indicators/{next(fresh)}", None),
        ("/api/overview", lambda: "/api/overview", None),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000, help="reports in the store")
    ap.add_argument("--db", type=Path, help="SQLite file of the store (default: one per N in a temp folder)")
    ap.add_argument("--corpus", type=Path, help="folder for the generated corpus (reused when complete)")
    ap.add_argument("--workers", type=int, default=None, help="ingest processes (default: one per core)")
    ap.add_argument("--repeat", type=int, default=100, help="timed requests per page kind")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from fastapi.testclient import TestClient

    from fazhi.store import open_store
    from fazhi.web import create_app

    tmp = Path(tempfile.gettempdir()) / "fazhi-bench"
    db = args.db or tmp / f"bench-{args.n}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    url = build_store(args.n, db, args.corpus or tmp / "corpus", args.workers)

    store = open_store(url)
    rnd = random.Random(args.seed)
    app = create_app(store=store)
    failures = []
    with TestClient(app) as client:
        print(f"\n{store.count_reports()} reports; {args.repeat} requests per kind\n")
        print(f"{'page':32} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  bytes")
        for name, next_url, before in cases(store, app.state.stats, rnd):
            times, size = [], 0
            for _ in range(args.repeat + 1):
                target = next_url()
                if before:
                    before()
                t = time.perf_counter()
                r = client.get(target, headers={"accept": "text/html"})
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    failures.append(f"{target}: {r.status_code}")
                size = max(size, len(r.content))
            p50, p95, mx = percentiles(times[1:])
            flag = "" if p95 < TARGET_MS else f"  > {TARGET_MS} ms"
            print(f"{name:32} {times[0]:8.1f} {p50:8.1f} {p95:8.1f} {mx:8.1f}  {size}{flag}")
    store.close()
    if failures:
        print("\nnot 200:", *failures[:10], sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
