"""Dashboard benchmark: p50/p95 of the main pages and API routes over a store of N reports.

    python benchmarks/bench_web.py                   # 10,000 synthetic reports, SQLite and PostgreSQL
    python benchmarks/bench_web.py --n 500 --repeat 50 --backend sqlite
    python benchmarks/bench_web.py --db /tmp/fazhi-bench/bench-10000.db   # an existing SQLite store
    python benchmarks/bench_web.py --backend postgres --pg-url postgresql://user@host/db

1. store     N reports: the synthetic corpus of ``bench_store.generate`` (which takes
             ``bench_throughput``'s generator when there is one) ingested with ``Store.ingest_paths``;
             a store that already holds N reports is reused as it is. PostgreSQL runs on a throw-away
             server from Debian's packages (``tests/pg.py``) unless ``--pg-url``.
2. app       ``create_app`` on that store, driven through FastAPI's TestClient (the whole ASGI stack:
             routing, store queries, templates; no network)
3. requests  each page kind with varied arguments (random reports, pages, indicators, filters, search
             words); the first request of a kind is reported apart (cold), the others give p50 / p95
             / max. The overview, the indicator catalogue and the comparisons are aggregates kept until
             the store changes (or ``stats_ttl``), so they are timed three ways:
             "kept"          asked again once computed;
             "first time"    a comparison never asked for since the server started: each request
                             takes an indicator (no filter, the catalogue's links) whose comparison and
                             kept facts are dropped just before, or another indicator and filter
                             ("computed");
             "after change"  right after a real change of the store: before each request one report
                             is added (a corpus file with a line of its own, so a new hash) or the
                             one added before is deleted, through the store as ``fazhi ingest`` in
                             another process would; the dashboard notices by the count of reports.
             Every row must stay under 200 ms at p95; rows over it are flagged.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = 200
LEVELS = ("province", "prefecture", "county", "department")
WORDS = {
    "common": ["法治政府", "行政复议", "行政执法", "矛盾纠纷", "营商环境"],
    "two-char": ["复议", "调解", "执法", "信访", "普法"],
    "absent": ["量子纠缠", "火星基地"],
    "two terms": ["行政复议 纠错", "执法 培训"],
}


def build_store(n: int, url: str, corpus: Path, workers: int | None) -> list[Path]:
    """The store at ``url`` with N reports (kept when it holds them); the corpus files."""
    from bench_store import generate

    from fazhi.store import open_store

    t = time.perf_counter()
    files = generate(n, corpus)
    print(f"corpus: {len(files)} reports in {corpus} ({time.perf_counter() - t:.1f} s)")
    store = open_store(url)
    try:
        have = store.count_reports()
        if have >= n:
            print(f"store: {url} holds {have} reports (reused)")
            return files
        t = time.perf_counter()
        result = store.ingest_paths([str(p) for p in files], workers=workers, progress=True)
        print(
            f"ingest: {result.added} added, {result.skipped} skipped, {len(result.failed)} failed "
            f"in {time.perf_counter() - t:.1f} s"
        )
    finally:
        store.close()
    return files


class Changes:
    """One real change of the store per call: add a report (a corpus file with a line of its own, so
    its hash is new), or delete the one added before. ``undo`` leaves the store as it was."""

    def __init__(self, store, files: list[Path], rnd: random.Random) -> None:
        self.store, self.files, self.rnd = store, files, rnd
        self.added: int | None = None
        self.n = 0

    def __call__(self) -> None:
        if self.added is not None:
            self.store.delete(self.added)
            self.added = None
            return
        self.n += 1
        data = self.rnd.choice(self.files).read_bytes() + f"\n附：第{self.n}次变更。\n".encode()
        rid = self.store.ingest_bytes(data, f"<change-{self.n}>")
        self.added = rid if isinstance(rid, int) else None

    def undo(self) -> None:
        if self.added is not None:
            self.store.delete(self.added)
            self.added = None


def percentiles(ms: list[float]) -> tuple[float, float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], ms[-1]


def cases(
    store, stats, rnd: random.Random, change: Changes
) -> list[tuple[str, Callable[[], str], Callable[[str], None] | None]]:
    """(name, next address, what to do before requesting it) of every page kind."""
    from fazhi import labels

    summaries = store.reports()
    ids = [r.id for r in summaries]
    years = sorted({r.year for r in summaries if r.year and 1949 <= r.year <= 2100})  # as the API accepts
    places = sorted({r.jurisdiction for r in summaries if r.jurisdiction})
    pages = max(1, len(ids) // 50)
    indicators = [i["id"] for i in labels.indicators()]
    filters = ["", *(f"?year={y}" for y in years), *(f"?level={lv}" for lv in LEVELS)]
    combos = [f"{ind}{f}" for ind in indicators for f in filters]
    rnd.shuffle(combos)
    fresh = iter(combos * 10)  # every comparison computed, none kept
    kept = combos[:5]  # a few comparisons asked again and again
    firsts = iter(indicators * 10)

    def forget(target: str) -> None:
        """Drop the kept comparison of the indicator about to be asked for (and only that), and the
        facts of it kept across changes: as if never asked for since the server started."""
        indicator = target.rsplit("/", 1)[1].split("?")[0]
        with stats._lock:
            for key in [k for k in stats._entries if isinstance(k, tuple) and k[1:2] == (indicator,)]:
                del stats._entries[key]
        stats._facts.forget(indicator)

    def search_args() -> str:
        q = rnd.choice([w for ws in WORDS.values() for w in ws])
        f = rnd.choice(
            ["", f"&year={rnd.choice(years)}", f"&level={rnd.choice(LEVELS)}", f"&place={rnd.choice(places)}"]
        )
        return f"q={q}{f}"

    def changed(_target: str) -> None:
        change()

    def year_overview() -> str:
        return rnd.choice(["/", *(f"/?year={y}" for y in years)])

    return [
        ("/ (overview) kept", year_overview, None),
        ("/ after change", lambda: "/", changed),
        ("/?year= after change", lambda: f"/?year={rnd.choice(years)}", changed),
        ("/reports (list)", lambda: f"/reports?page={rnd.randint(1, pages)}", None),
        (
            "/reports?filters",
            lambda: rnd.choice(
                [
                    f"/reports?year={rnd.choice(years)}",
                    f"/reports?level={rnd.choice(LEVELS)}",
                    f"/reports?place={rnd.choice(places)}",
                    f"/reports?sort=score&page={rnd.randint(1, pages)}",
                ]
            ),
            None,
        ),
        ("/reports?sort=score after change", lambda: "/reports?sort=score", changed),
        ("/reports/{id}", lambda: f"/reports/{rnd.choice(ids)}", None),
        ("/indicators (catalogue) kept", lambda: "/indicators", None),
        ("/indicators after change", lambda: "/indicators", changed),
        ("/indicators/{id} first time", lambda: f"/indicators/{next(firsts)}", forget),
        ("/indicators/{id} computed", lambda: f"/indicators/{next(fresh)}", None),
        ("/indicators/{id} after change", lambda: f"/indicators/{rnd.choice(indicators)}", changed),
        ("/indicators/{id} kept", lambda: f"/indicators/{rnd.choice(kept)}", None),
        ("/search?q=", lambda: "/search?" + search_args(), None),
        ("/api/reports", lambda: f"/api/reports?limit=50&offset={50 * rnd.randrange(pages)}", None),
        ("/api/reports/{id}", lambda: f"/api/reports/{rnd.choice(ids)}", None),
        ("/api/search?q=", lambda: "/api/search?" + search_args(), None),
        ("/api/indicators/{id} computed", lambda: f"/api/indicators/{next(fresh)}", None),
        ("/api/overview kept", lambda: "/api/overview", None),
        ("/api/overview after change", lambda: "/api/overview", changed),
    ]


def run(label: str, url: str, files: list[Path], args: argparse.Namespace) -> list[str]:
    """Time every page kind on the store at ``url``; the addresses that did not answer 200."""
    from fastapi.testclient import TestClient

    from fazhi.store import open_store
    from fazhi.web import create_app

    store = open_store(url)
    rnd = random.Random(args.seed)
    app = create_app(store=store)
    change = Changes(store, files, rnd)
    failures = []
    try:
        with TestClient(app) as client:
            load = os.getloadavg()[0]
            print(f"\n== {label}: {store.count_reports()} reports; {args.repeat} requests per kind")
            print(f"   (load average {load:.1f} on {os.cpu_count()} cores)\n")
            print(f"{'page':34} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  bytes")
            for name, next_url, before in cases(store, app.state.stats, rnd, change):
                times, size = [], 0
                for _ in range(args.repeat + 1):
                    target = next_url()
                    if before:
                        before(target)
                    t = time.perf_counter()
                    r = client.get(target, headers={"accept": "text/html"})
                    times.append((time.perf_counter() - t) * 1000)
                    if r.status_code != 200:
                        failures.append(f"{target}: {r.status_code}")
                    size = max(size, len(r.content))
                change.undo()
                p50, p95, mx = percentiles(times[1:])
                flag = "" if p95 < TARGET_MS else f"  > {TARGET_MS} ms"
                print(f"{name:34} {times[0]:8.1f} {p50:8.1f} {p95:8.1f} {mx:8.1f}  {size}{flag}")
    finally:
        change.undo()
        store.close()
    return failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000, help="reports in the store")
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--db", type=Path, help="SQLite file of the store (default: one per N in a temp folder)")
    ap.add_argument("--pg-url", help="an existing PostgreSQL database instead of a throw-away server")
    ap.add_argument("--corpus", type=Path, help="folder for the generated corpus (reused when complete)")
    ap.add_argument("--workers", type=int, default=None, help="ingest processes (default: one per core)")
    ap.add_argument("--repeat", type=int, default=100, help="timed requests per page kind")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    tmp = Path(tempfile.gettempdir()) / "fazhi-bench"
    tmp.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus or tmp / "corpus"
    failures = []
    if args.backend in ("sqlite", "both"):
        db = args.db or tmp / f"bench-{args.n}.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{db}"
        files = build_store(args.n, url, corpus, args.workers)
        failures += run("SQLite", url, files, args)
    if args.backend in ("postgres", "both"):
        server = None
        url = args.pg_url
        if url is None:
            from tests.pg import TempPostgres, Unavailable

            server = TempPostgres(settings={"shared_buffers": "512MB", "work_mem": "32MB"})
            try:
                url = server.start()
            except Unavailable as exc:
                print(f"\nPostgreSQL skipped: {exc}")
                server.stop()
                server = None
        try:
            if url:
                files = build_store(args.n, url, corpus, args.workers)
                failures += run("PostgreSQL", url, files, args)
        finally:
            if server is not None:
                server.stop()
    if failures:
        print("\nnot 200:", *failures[:10], sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
