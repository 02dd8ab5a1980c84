"""Throwaway servers on loopback: free ports and a PostgreSQL cluster in a temporary folder.

A port that is free when it is checked can be taken by another process before the server
binds it (Rasa binds only after loading its model, a minute later). Every starter therefore
goes through `on_free_ports`: it starts the server on fresh ports and, when the start failed
because another process holds one of them, or the server "came up" only because another
process answers on its port, starts it again on fresh ports. Servers in this process take a
socket that is already bound (`bound_socket`), so there is no gap at all.

PostgreSQL is started by pytest-postgresql's executor (initdb, pg_ctl start/stop). It refuses
to run as root, so as root pg_ctl is wrapped in `runuser -u postgres` and the cluster lives in
a temporary folder owned by that user. Used by the intake fixtures, the production tests and
the full-stack benchmark, which turn ServerMissing into a skip or an error message.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import random
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psutil
from pytest_postgresql.executors import PostgreSQLExecutor

PG_USER = "postgres"
START_ATTEMPTS = 4
T = TypeVar("T")
log = logging.getLogger(__name__)


class ServerMissing(RuntimeError):
    """The server's binaries are not installed (or cannot run here); the message says why."""


class PortTaken(RuntimeError):
    """Another process listens on a port handed out for one of our servers."""


# A port is free when it is checked but bound only later by the server it is for (nginx's
# upstreams minutes later), so free_port() narrows the gap: it never hands out a port twice in
# one process, and it picks ports below the kernel's ephemeral range, which no client connection
# and no bind to port 0 can take in the meantime. Another test run's free_port() still can:
# on_free_ports() below starts a server again on other ports when that happened.
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


def bound_socket() -> socket.socket:
    """A loopback socket bound to a port of its own, for a server in this process (uvicorn's
    `Server.run(sockets=[...])`): the port is held from the start, nothing can take it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def _ours() -> set[int]:
    me = psutil.Process()
    return {me.pid, *(child.pid for child in me.children(recursive=True))}


def held_by_others(ports: list[int]) -> list[int]:
    """The ports on which a process outside this test process and its children listens (also
    one whose owner cannot be seen: another user's)."""
    mine = _ours()
    return sorted(
        {
            c.laddr.port
            for c in psutil.net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr.port in ports and c.pid not in mine
        }
    )


_IN_USE = re.compile(r"address already in use|errno 98\b|eaddrinuse", re.IGNORECASE)
_LOG_PATH = re.compile(r"(/\S+\.log)\b")


def says_address_in_use(error: BaseException) -> bool:
    """The error, or a log file it names ("see .../rasa.log"), says a port was in use."""
    text = str(error)
    for path in _LOG_PATH.findall(text):
        with contextlib.suppress(OSError):
            text += Path(path).read_text(errors="replace")[-20_000:]
    return bool(_IN_USE.search(text))


@contextmanager
def on_free_ports(
    start: Callable[..., AbstractContextManager[T]],
    count: int = 1,
    *,
    check_owner: bool = True,
    attempts: int = START_ATTEMPTS,
) -> Iterator[T]:
    """`start(*ports)` (a context manager) on `count` fresh free ports, entered for the block.

    When starting fails and one of the ports is now held by another process or the error (or
    the log it names) says "address already in use", or (check_owner) the server seemed to
    start while another process listens on one of its ports (a health check answered by a
    stranger), the attempt is undone and the server is started again on fresh ports. Any
    other failure is raised at once. `check_owner=False` for servers that are
    not children of this process (PostgreSQL after pg_ctl) and check their own start.
    """
    for attempt in range(1, attempts + 1):
        ports = [free_port() for _ in range(count)]
        stack = ExitStack()
        try:
            value = stack.enter_context(start(*ports))
            if check_owner and (taken := held_by_others(ports)):
                raise PortTaken(f"another process listens on port {taken}")
        except Exception as error:
            with contextlib.suppress(Exception):
                stack.close()
            taken = held_by_others(ports) or says_address_in_use(error)
            if taken and attempt < attempts:
                log.warning("ports %s: one was taken (%s); starting again on others", ports, error)
                continue
            raise
        with stack:
            yield value
        return


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

        @contextmanager
        def started(port: int) -> Iterator[PostgreSQLExecutor]:
            executor = PostgreSQLExecutor(
                executable=pg_ctl,
                host="127.0.0.1",
                port=port,
                datadir=str(datadir),
                unixsocketdir=str(workdir),
                logfile=str(workdir / "postgresql.log"),
                startparams="-w",
                dbname=dbname,
                user=PG_USER,
                postgres_options=postgres_options,
            )
            try:
                executor.start()
                # pg_ctl -w ends once *this* cluster accepts connections, or it could not start
                # (the executor's own check also passes when another server holds the port).
                if executor.process.wait(timeout=120) != 0:
                    raise RuntimeError(f"PostgreSQL did not start; see {workdir}/postgresql.log")
            except BaseException:
                with contextlib.suppress(Exception):
                    executor.stop()
                raise
            try:
                yield executor
            finally:
                executor.stop()

        # Not a child of this process once pg_ctl has started it: pg_ctl's result says it is ours.
        with on_free_ports(started, check_owner=False) as executor:
            yield Cluster(executor, pg_ctl, datadir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
