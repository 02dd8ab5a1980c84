"""on_free_ports (tests/service/local_servers.py), which every server of the service tests starts
through: a port that another process takes between free_port() and the server's bind costs
one more start on other ports, not a failed or confused test run.

The other process is a real one outside this test's process tree (it forks and its parent
exits), listening on the port the first attempt is given.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import local_servers
import pytest
from local_servers import PortTaken, held_by_others, on_free_ports, says_address_in_use

STRANGER = """
import os, socket, sys, time
if os.fork():
    sys.exit(0)  # the child is nobody's child: not in the test's process tree
os.setsid()
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
open(sys.argv[2], "w").write(str(os.getpid()))
time.sleep(120)
"""


@pytest.fixture
def stranger(tmp_path: Path) -> Iterator[int]:
    """Another process listening on a loopback port; yields the port."""
    port = local_servers.free_port()
    pid_file = tmp_path / "stranger.pid"
    subprocess.run([sys.executable, "-c", STRANGER, str(port), str(pid_file)], check=True)
    deadline = time.monotonic() + 10
    while not (pid_file.exists() and pid_file.read_text()):
        assert time.monotonic() < deadline, "the stranger did not start"
        time.sleep(0.02)
    pid = int(pid_file.read_text())
    try:
        while not held_by_others([port]):
            assert time.monotonic() < deadline, "the stranger does not listen"
            time.sleep(0.02)
        yield port
    finally:
        subprocess.run(["kill", str(pid)], check=False)


@pytest.fixture
def ports_handed_out(monkeypatch: pytest.MonkeyPatch, stranger: int) -> list[int]:
    """free_port() hands out the stranger's port first, then ordinary free ones."""
    handed: list[int] = []
    real = local_servers.free_port

    def first_the_strangers() -> int:
        handed.append(stranger if not handed else real())
        return handed[-1]

    monkeypatch.setattr(local_servers, "free_port", first_the_strangers)
    return handed


@contextmanager
def listening(port: int) -> Iterator[int]:
    """A server that binds its port at once (nginx, uvicorn): fails when the port is taken."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        yield port


@contextmanager
def _nothing(port: int) -> Iterator[int]:
    """A server that never binds its port (yet): Rasa answers only after loading its model."""
    yield port


def test_a_server_whose_port_was_taken_starts_again_on_another(ports_handed_out, stranger):
    with on_free_ports(listening) as port:
        assert port != stranger and held_by_others([port]) == []
    assert ports_handed_out[0] == stranger and len(ports_handed_out) == 2


def test_a_health_check_answered_by_another_process_does_not_count(ports_handed_out, stranger):
    started = []

    @contextmanager
    def seems_up(port: int) -> Iterator[int]:
        started.append(port)
        if port == stranger:
            with _nothing(port) as same:  # the stranger answers; ours never binds
                yield same
        else:
            with listening(port) as bound:
                yield bound

    with on_free_ports(seems_up) as port:
        assert port != stranger
    assert started == ports_handed_out and started[0] == stranger


def test_any_other_failure_is_raised_at_once(monkeypatch: pytest.MonkeyPatch):
    tries = []

    @contextmanager
    def broken(port: int) -> Iterator[int]:
        tries.append(port)
        raise ValueError("a broken configuration")
        yield port  # pragma: no cover

    with pytest.raises(ValueError, match="broken configuration"), on_free_ports(broken):
        pass
    assert len(tries) == 1


def test_it_gives_up_after_a_few_attempts(monkeypatch: pytest.MonkeyPatch, stranger: int):
    monkeypatch.setattr(local_servers, "free_port", lambda: stranger)
    with pytest.raises(OSError), on_free_ports(listening):
        pass
    monkeypatch.setattr(local_servers, "free_port", lambda: stranger)
    with pytest.raises(PortTaken), on_free_ports(_nothing):
        pass


def test_address_in_use_is_read_from_the_error_or_the_log_it_names(tmp_path: Path):
    log = tmp_path / "rasa.log"
    log.write_text("OSError: [Errno 98] error while attempting to bind on address\n")
    assert says_address_in_use(RuntimeError(f"rasa exited early (code 0); see {log}"))
    nginx = "bind() to 127.0.0.1:5 failed (98: Address already in use)"
    assert says_address_in_use(AssertionError(nginx))
    log.write_text("ModuleNotFoundError: no module named 'x'\n")
    assert not says_address_in_use(RuntimeError(f"exited early; see {log}"))
