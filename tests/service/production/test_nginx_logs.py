"""deploy/nginx.conf writes no client address to any log, its error log included (security
review, issue 18; SECURITY.md "Logs"). A real nginx from the production file (its own log
levels; only paths and ports changed) with every upstream down: refused upstreams and rate
limits are what nginx writes error-log lines with "client: <address>" about."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from local_servers import on_free_ports

from production.nginx import PORT_COUNT, Nginx, find_nginx, running_nginx


@pytest.fixture
def lonely_nginx(tmp_path: Path) -> Iterator[Nginx]:
    """deploy/nginx.conf on free ports with nothing behind it (its own instance: the rate
    limits this test runs into must not touch the session's nginx)."""
    executable = find_nginx()
    if executable is None:
        pytest.skip("nginx not found (Debian: apt-get install nginx-light)")
    start = lambda *ports: running_nginx(executable, tmp_path, *ports)  # noqa: E731
    with on_free_ports(start, PORT_COUNT) as server:
        yield server


def test_no_log_of_nginx_names_a_client(lonely_nginx: Nginx):
    nginx = lonely_nginx
    with httpx.Client(verify=False, timeout=30) as client:
        # Refused upstreams: 502 for the chat, the dashboard and the internal listeners.
        assert client.get(f"{nginx.public}/chat?private=yes").status_code == 502
        assert client.get(f"{nginx.public}/staff/").status_code == 502
        assert client.get(f"{nginx.internal('intake_lb')}/healthz").status_code == 502
        # Rate limits: the login page and the chat's messages.
        logins = [client.get(f"{nginx.public}/staff/login").status_code for _ in range(12)]
        assert 429 in logins
        posts = [
            client.post(f"{nginx.public}/chat/bericht", data={"bericht": "hoi"}).status_code
            for _ in range(15)
        ]
        assert 429 in posts
        # A body over the limit, and a request that is not HTTP at all.
        too_big = client.post(f"{nginx.public}/chat/bericht", content=b"x" * 100_000)
        assert too_big.status_code == 413
    with httpx.Client(timeout=5) as plain, contextlib.suppress(httpx.HTTPError):
        plain.get(f"http://127.0.0.1:{nginx.https_port}/chat")  # plain HTTP on the TLS port
    nginx.stop()
    logs = {path.name: path.read_text() for path in nginx.prefix.glob("*.log")}
    assert "lans-access.log" in logs and "/chat" in logs["lans-access.log"]
    for name, text in logs.items():
        # The clients all came from 127.0.0.1; upstream addresses (127.0.0.1:port) may show.
        without_upstreams = re.sub(r"127\.0\.0\.1:\d+", "upstream", text)
        assert "127.0.0.1" not in without_upstreams, (name, text[-2000:])
        assert "client:" not in text, (name, text[-2000:])
