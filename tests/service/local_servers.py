"""Throwaway servers on loopback: free ports and a PostgreSQL cluster in a temporary folder.

PostgreSQL is started by pytest-postgresql's executor (initdb, pg_ctl start/stop). It refuses
to run as root, so as root pg_ctl is wrapped in `runuser -u postgres` and the cluster lives in
a temporary folder owned by that user. Used by the intake fixtures, the production tests and
the full-stack benchmark, which turn ServerMissing into a skip or an error message.
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pytest_postgresql.executors import PostgreSQLExecutor

PG_USER = "postgres"


class ServerMissing(RuntimeError):
    """The server's binaries are not installed (or cannot run here); the message says why."""


# A port is free when it is checked but bound only later by the server it is for (nginx's
# upstreams minutes later), so free_port() guards the gap: it never hands out a port twice in one
# process, and it picks ports below the kernel's ephemeral range, which no client connection and
# no bind to port 0 (another program, another test run) can take in the meantime.
_HANDED_OUT: set[int] = set()
_RANDOM = random.SystemRandom()  # hypothesis seeds the `random` module; two runs must differ


def _unephemeral_ports() -> range:
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return range(max(1024, low - 12000), max(1025, low))


def free_port() -> int:
    ports = _unephemeral_ports()
    for _ in range(500):
        port = _RANDOM.choice(ports)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as sock:  # a crowded range: any free port, as before
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_pg_ctl() -> str | None:
    """pg_ctl from LANS_PG_CTL, PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    explicit = os.environ.get("LANS_PG_CTL")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    found = shutil.which("pg_ctl")
    if found:
        return found
    candidates = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    candidates.sort(key=lambda path: int(Path(path).parts[-3]), reverse=True)
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class Cluster:
    executor: PostgreSQLExecutor
    pg_ctl: str  # the one to call: wrapped in runuser when running as root
    datadir: Path


def _runnable_pg_ctl(workdir: Path) -> str:
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        raise ServerMissing(
            "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
        )
    if os.geteuid() != 0:
        return pg_ctl
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ServerMissing("running as root and `runuser` is missing: cannot start PostgreSQL")
    try:
        shutil.chown(workdir, user=PG_USER)
    except LookupError:
        raise ServerMissing(f"running as root and there is no `{PG_USER}` system user") from None
    wrapper = workdir / "pg_ctl"
    wrapper.write_text(f'#!/bin/sh\nexec {runuser} -u {PG_USER} -- {pg_ctl} "$@"\n')
    wrapper.chmod(stat.S_IRWXU)
    return str(wrapper)


@contextmanager
def pg_cluster(prefix: str, dbname: str, postgres_options: str = "") -> Iterator[Cluster]:
    """A running cluster on a free port with database `dbname`; stopped and removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        pg_ctl = _runnable_pg_ctl(workdir)
        datadir = workdir / "data"
        executor = PostgreSQLExecutor(
            executable=pg_ctl,
            host="127.0.0.1",
            port=free_port(),
            datadir=str(datadir),
            unixsocketdir=str(workdir),
            logfile=str(workdir / "postgresql.log"),
            startparams="-w",
            dbname=dbname,
            user=PG_USER,
            postgres_options=postgres_options,
        )
        executor.start()
        try:
            yield Cluster(executor, pg_ctl, datadir)
        finally:
            executor.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
