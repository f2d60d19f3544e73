"""A throwaway PostgreSQL server for the store tests, started once per test process.

Finds ``initdb``/``pg_ctl`` (PATH, /usr/local/bin, /usr/lib/postgresql/*/bin), initialises a
cluster in a temp dir and starts it on a free 127.0.0.1 port with its socket in the same
temp dir. PostgreSQL refuses to run as root, so under uid 0 the server runs as ``nobody``
via ``runuser``. Tests skip (saying why) only when no PostgreSQL binaries exist.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

SEARCH = ["/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
UNPRIVILEGED = "nobody"


def pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for folder in SEARCH:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", UNPRIVILEGED, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        if os.getuid() == 0:
            user = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        init = self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--no-sync", "--locale=C")
        if init.returncode:
            raise RuntimeError(f"initdb failed: {init.stderr or init.stdout}")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -F "
                "-c full_page_writes=off -c max_connections=50")
        log = self.root / "server.log"
        started = self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(log),
                            "-w", "-t", "60", "start")
        if started.returncode:
            text = log.read_text() if log.exists() else started.stderr
            raise RuntimeError(f"pg_ctl start failed: {text}")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg2

        name = f"t_{uuid.uuid4().hex[:12]}"
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)


@functools.lru_cache(maxsize=1)
def _server() -> PgServer | str:
    bindir = pg_bindir()
    if bindir is None:
        return "no PostgreSQL binaries (initdb, pg_ctl) found; .ci/run installs them"
    server = PgServer(bindir, Path(tempfile.mkdtemp(prefix="chaincut-pg-")), _free_port())
    atexit.register(server.stop)
    server.start()
    return server


def pg_server() -> PgServer:
    """The shared server, or skip with the reason."""
    server = _server()
    if isinstance(server, str):
        pytest.skip(server)
    return server
