"""A throw-away PostgreSQL server from Debian's packages, for the tests and the store benchmark.

``TempPostgres().start()`` installs the ``postgresql`` package when its binaries are missing (as root,
with apt-get), initialises a cluster in a temporary folder (as the ``postgres`` user when running as
root: initdb refuses root), starts it on a free port of 127.0.0.1 and creates a database; ``stop()``
stops it and removes the folder. The cluster uses the C locale on purpose: the store's search must
not depend on the server's locale.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class Unavailable(Exception):
    """No PostgreSQL server can be installed or started here (the reason is the message)."""


def find_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def install() -> Path:
    """The folder of initdb/pg_ctl, installing Debian's postgresql package if needed."""
    found = find_bin()
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise Unavailable("PostgreSQL is not installed and cannot be (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
    ):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise Unavailable(f"{' '.join(cmd)} failed: {(done.stderr or done.stdout).strip()[-500:]}")
    found = find_bin()
    if not found:
        raise Unavailable("installed postgresql but found no /usr/lib/postgresql/*/bin/initdb")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    def __init__(self, database: str = "fazhi", settings: dict[str, str] | None = None) -> None:
        self.database = database
        self.settings = {
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
            **(settings or {}),
        }
        self.dir: Path | None = None
        self.port = 0
        self.bin: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            log = ""
            if self.dir and (self.dir / "log").exists():
                log = (self.dir / "log").read_text(errors="replace")[-1000:]
            raise Unavailable(
                f"{' '.join(args[:2])} failed: {(done.stderr or done.stdout).strip()[-800:]} {log}"
            )

    def start(self) -> str:
        self.bin = install()
        self.dir = Path(tempfile.mkdtemp(prefix="fazhi-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
        )
        self.port = free_port()
        opts = [f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-k {self.dir}"]
        opts += [f"-c {k}={v}" for k, v in self.settings.items()]
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            " ".join(opts),
            "start",
        )
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{self.database}"')
        return self.url

    def stop(self) -> None:
        if self.dir is None:
            return
        if self.bin is not None and (self.dir / "data" / "postmaster.pid").exists():
            with contextlib.suppress(Unavailable):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> TempPostgres:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
