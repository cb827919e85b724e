"""Ingest: once per content, bad files reported and skipped, whole reports only, resume after Ctrl-C;
and the ``ingest``, ``reprocess`` and ``search`` commands.

The ``check_*`` functions take any store URL; tests/test_postgres.py runs them on PostgreSQL too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

import fazhi
from fazhi.cli import cli
from fazhi.store import open_store
from fazhi.store.database import WORKER_DIED

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def corpus(folder: Path, examples_dir: Path, copies: int = 1) -> Path:
    """The bundled examples, ``copies`` times over with one changed line each (so each is new content)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for p in sorted(examples_dir.glob("*.txt")):
            text = p.read_text(encoding="utf-8")
            (folder / f"{p.stem}-{i:03d}.txt").write_text(text + f"\n第{i}份副本。", encoding="utf-8")
    return folder


def assert_whole(store) -> None:
    """Every stored report has all its parts (nothing half-written)."""
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, n_sentences, n_facts FROM reports")).all()
        for rid, n_sentences, n_facts in rows:
            got = conn.execute(
                text("SELECT count(*) FROM sentences WHERE report_id = :i"), {"i": rid}
            ).scalar()
            assert got == n_sentences > 0
            got = conn.execute(text("SELECT count(*) FROM facts WHERE report_id = :i"), {"i": rid}).scalar()
            assert got == n_facts
        orphans = conn.execute(
            text("SELECT count(*) FROM sentences WHERE report_id NOT IN (SELECT id FROM reports)")
        )
        assert orphans.scalar() == 0


# -- checks shared with PostgreSQL ---------------------------------------------------------------------


def check_ingest_once(url: str, examples_dir: Path, workers: int) -> None:
    with open_store(url) as store:
        first = store.ingest_paths([examples_dir], workers=workers)
        assert (first.added, first.skipped, first.failed) == (5, 0, [])
        again = store.ingest_paths([examples_dir], workers=workers)
        assert (again.added, again.skipped, again.failed) == (0, 5, [])
        assert store.count_reports() == 5
        assert_whole(store)
        stored = store.report(store.reports(place="石狮市")[0].id)
        assert stored.source.endswith("shishi-city-2024.txt")
        assert stored.document == fazhi.read(examples_dir / "shishi-city-2024.txt")


def check_interrupted_write_leaves_whole_reports(
    url: str, tmp_path: Path, examples_dir: Path, monkeypatch
) -> None:
    """A Ctrl-C while a batch is being written: that batch is rolled back, the earlier ones stay."""
    from fazhi.store import database, ingest

    folder = corpus(tmp_path / "in", examples_dir, copies=4)  # 20 files, chunks of 8
    monkeypatch.setattr(ingest, "CHUNK", 8)
    monkeypatch.setattr(ingest, "WRITE_BATCH", 8)
    calls = {"n": 0}
    real = database.Store._insert_children

    def flaky(self, conn, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            real(self, conn, rows[:1])  # half of the batch is written, then the interrupt comes
            raise KeyboardInterrupt
        return real(self, conn, rows)

    with open_store(url) as store:
        monkeypatch.setattr(database.Store, "_insert_children", flaky)
        result = store.ingest_paths([folder], workers=0)
        assert result.interrupted
        assert result.added == 8 == store.count_reports()
        assert_whole(store)
        monkeypatch.setattr(database.Store, "_insert_children", real)
        resumed = store.ingest_paths([folder], workers=0)
        assert (resumed.added, resumed.skipped) == (12, 8)
        assert store.count_reports() == 20
        assert_whole(store)


# -- SQLite ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [0, 2])
def test_ingest_once(db, examples_dir, workers):
    check_ingest_once(db, examples_dir, workers)


def test_interrupted_write_leaves_whole_reports(db, tmp_path, examples_dir, monkeypatch):
    check_interrupted_write_leaves_whole_reports(db, tmp_path, examples_dir, monkeypatch)


def test_bad_files_are_reported_and_the_batch_goes_on(db, tmp_path, examples_dir):
    folder = corpus(tmp_path / "in", examples_dir)
    (folder / "english.txt").write_text("This is not a Chinese report at all. " * 20)
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(folder / "huli-district-2024-000.txt", folder / "same-content.txt")
    seen = []
    with open_store(db) as store:
        result = store.ingest_paths([folder, tmp_path / "missing"], workers=0, on_reject=seen.append)
        assert result.added == 5
        assert result.skipped == 1  # the copy: same bytes, stored once
        assert sorted(Path(r.source).name for r in result.failed) == ["empty.txt", "english.txt", "missing"]
        assert seen == result.failed
        assert all(r.reason for r in result.failed)


def _die_on_crash_files(path, data, hash_, settings, real=None):
    if "crash" in Path(path).name:
        os._exit(1)  # like a reader segfaulting, or the kernel killing the worker for memory
    return real(path, data, hash_, settings)


def test_a_worker_that_dies_costs_its_file_only(db, tmp_path, examples_dir, monkeypatch):
    import functools

    from fazhi.store import ingest

    folder = corpus(tmp_path / "in", examples_dir, copies=3)  # 15 reports
    shutil.copy(examples_dir / "huli-district-2024.txt", folder / "crash-me.txt")
    monkeypatch.setattr(ingest, "parse_file", functools.partial(_die_on_crash_files, real=ingest.parse_file))
    with open_store(db) as store:
        result = store.ingest_paths([folder], workers=2)
        assert result.added == 15
        assert [(Path(r.source).name, r.reason) for r in result.failed] == [("crash-me.txt", WORKER_DIED)]
        assert_whole(store)


def test_an_error_inside_a_transaction_stores_nothing_of_it(db, examples_dir, monkeypatch):
    from fazhi.store import database

    def broken(self, conn, rows):
        raise RuntimeError("disk full")

    with open_store(db) as store:
        monkeypatch.setattr(database.Store, "_insert_children", broken)
        with pytest.raises(RuntimeError):
            store.ingest_paths([examples_dir], workers=0)
        assert store.count_reports() == 0


@pytest.mark.parametrize("threads", [0, 1, 2])
def test_writer_batches_and_hands_back_errors(threads):
    from fazhi.store.ingest import Writer

    written: list[list[int]] = []
    writer = Writer(written.append, size=3, threads=threads)
    for i in range(0, 10, 2):
        writer.add([i, i + 1])
    writer.close()
    assert sorted(x for batch in written for x in batch) == list(range(10))
    assert all(len(batch) >= 3 for batch in written[:-1]) and len(written) == 3

    dropped: list[list[int]] = []
    writer = Writer(dropped.append, size=100, threads=threads)
    writer.add([1, 2])
    writer.close(flush=False)  # an interrupt: what is not written yet is dropped
    assert dropped == []

    def broken(batch: list[int]) -> None:
        raise RuntimeError("disk full")

    writer = Writer(broken, size=1, threads=threads)
    with pytest.raises(RuntimeError, match="disk full"):
        for i in range(20):
            writer.add([i])
        writer.close()


def test_ctrl_c_on_the_command_line_then_resume(tmp_path, examples_dir):
    """A real SIGINT to ``fazhi ingest`` with worker processes: exit 130, whole reports only; the same
    command again stores the rest."""
    folder = corpus(tmp_path / "in", examples_dir, copies=40)  # 200 reports
    url = f"sqlite:///{tmp_path / 'store.db'}"
    cmd = [
        sys.executable,
        "-m",
        "fazhi",
        "ingest",
        str(folder),
        "--db",
        url,
        "--workers",
        "2",
        "--no-progress",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.time() + 120
        stored = 0
        while time.time() < deadline and proc.poll() is None:
            time.sleep(0.3)
            try:
                with open_store(url) as store:
                    stored = store.count_reports()
            except Exception:  # noqa: BLE001 - the database may not exist yet
                stored = 0
            if stored >= 10:
                break
        assert proc.poll() is None, "ingest finished before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C in a terminal: the whole process group
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    with open_store(url) as store:
        partial = store.count_reports()
        assert 10 <= partial < 200
        assert_whole(store)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{200 - partial} report(s) stored, {partial} already stored" in again.stdout
    with open_store(url) as store:
        assert store.count_reports() == 200
        assert_whole(store)


# -- commands ----------------------------------------------------------------------------------------


def test_cli_ingest(db, tmp_path, examples_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(examples_dir), "--db", db, "--workers", "0", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "5 report(s) stored, 0 already stored, 0 failed" in result.stdout
    (tmp_path / "bad.txt").write_text("not a report")
    result = runner.invoke(
        cli,
        [
            "ingest",
            str(examples_dir),
            str(tmp_path / "bad.txt"),
            "--db",
            db,
            "--workers",
            "0",
            "--no-progress",
        ],
    )
    assert result.exit_code == 1
    assert "0 report(s) stored, 5 already stored, 1 failed" in result.stdout
    assert result.stderr.count("\n") >= 1 and "bad.txt" in result.stderr


def test_cli_ingest_uses_fazhi_db(tmp_path, examples_dir, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(
        cli, ["ingest", str(examples_dir / "huli-district-2024.txt"), "--workers", "0"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_cli_bad_url():
    result = CliRunner().invoke(cli, ["search", "复议", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot open the store" in result.output
    assert "Traceback" not in result.output


def test_cli_reprocess(db, examples_dir, monkeypatch):
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(examples_dir), "--db", db, "--workers", "0", "--no-progress"])
    result = runner.invoke(cli, ["reprocess", "--db", db, "--workers", "0", "--no-progress"])
    assert result.exit_code == 0
    assert result.stdout.startswith("0 report(s) reprocessed")
    monkeypatch.setattr(fazhi, "EXTRACTOR_VERSION", "next")
    result = runner.invoke(cli, ["reprocess", "--db", db, "--workers", "0", "--no-progress"])
    assert result.exit_code == 0
    assert result.stdout.startswith("5 report(s) reprocessed (extractor version next)")


def test_cli_search(db, examples_dir):
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(examples_dir), "--db", db, "--workers", "0", "--no-progress"])
    result = runner.invoke(cli, ["search", "行政复议", "--db", db, "--limit", "3"])
    assert result.exit_code == 0
    assert "行政复议" in result.stdout and "#" in result.stdout and "huli-district-2024" in result.stdout
    result = runner.invoke(cli, ["search", "复议", "--db", db, "--format", "json", "--year", "2020"])
    hits = json.loads(result.stdout)
    assert hits and all(
        h["year"] == 2020 and h["sentence"][h["marks"][0][0] : h["marks"][0][1]] == "复议" for h in hits
    )
    result = runner.invoke(cli, ["search", "量子纠缠", "--db", db])
    assert result.exit_code == 0 and "没有找到" in result.stderr
    result = runner.invoke(
        cli, ["search", "复议", "--db", db, "--place", "湖里区", "--level", "county", "--format", "json"]
    )
    assert {h["doc"] for h in json.loads(result.stdout)} == {"huli-district-2024"}


@pytest.mark.parametrize("command", ["ingest", "reprocess", "search"])
def test_cli_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "--db" in result.stdout


def test_cli_ingest_stdin(db, examples_dir):
    data = (examples_dir / "xiamen-city-2024.txt").read_bytes()
    runner = CliRunner()
    args = ["ingest", "-", "--db", db, "--workers", "0", "--no-progress"]
    result = runner.invoke(cli, args, input=data)
    assert result.exit_code == 0, result.output
    assert "1 report(s) stored" in result.stdout
    assert "0 report(s) stored, 1 already stored" in runner.invoke(cli, args, input=data).stdout
    result = runner.invoke(cli, args, input=b"hello")
    assert result.exit_code == 1 and "<stdin>" in result.stderr
    with open_store(db) as store:
        stored = store.report(store.reports()[0].id)
        assert stored.source == "<stdin>" and stored.document.jurisdiction == "厦门市"


def test_the_warm_up_report_goes_through_every_stage() -> None:
    # warm() runs it in the main process before the pool forks: a rejection would load less
    from fazhi.models import RawDoc
    from fazhi.settings import DEFAULT
    from fazhi.store.ingest import WARM_TEXT, Prepared, analyse

    prepared = analyse(RawDoc(source="<warm>", doc="warm", text=WARM_TEXT, format="txt"), "", DEFAULT)
    assert isinstance(prepared, Prepared)
    assert prepared.facts and prepared.sections and prepared.criteria
