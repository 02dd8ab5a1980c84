"""deploy/nginx.conf itself: `nginx -t` accepts it, and a real nginx started from it (temporary
prefix, free loopback ports, a self-signed certificate) carries traffic to the running Rasa
replicas, action servers and intake service, and keeps the internal parts off the public side."""

from __future__ import annotations

import secrets

import httpx

from production.conftest import Stack
from production.nginx import Nginx
from production.scripts import QUESTIONS, answered_as_expected


def test_nginx_accepts_the_production_config(nginx: Nginx):
    checked = nginx.check()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


def test_a_conversation_through_nginx_reaches_the_rasa_replicas(stack: Stack):
    stack.ensure_running()
    webhook = f"{stack.nginx.internal('rasa_lb')}/webhooks/rest/webhook"
    sender = f"nginx-{secrets.token_hex(6)}"
    with httpx.Client(timeout=60) as client:
        for text, expected in QUESTIONS:
            response = client.post(webhook, json={"sender": sender, "message": text})
            assert response.status_code == 200, response.text
            reply = "\n".join(m.get("text", "") for m in response.json())
            assert answered_as_expected(expected, reply), (text, reply)
        tracker = client.get(f"{stack.url(1)}/conversations/{sender}/tracker").json()
        assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == [
            text for text, _ in QUESTIONS
        ]
        # Both action servers sit behind the internal listener Rasa uses.
        for _ in range(4):
            assert client.get(f"{stack.nginx.internal('actions_lb')}/health").status_code == 200
        # The second intake replica is down: nginx passes requests to the one that is up.
        for _ in range(4):
            assert client.get(f"{stack.nginx.internal('intake_lb')}/healthz").status_code == 200


def test_the_public_side_serves_chat_and_dashboard_only_over_tls(stack: Stack):
    nginx = stack.nginx
    with httpx.Client(verify=False, timeout=30) as client:
        plain = client.get(f"http://127.0.0.1:{nginx.http_port}/chat?x=1")
        assert plain.status_code == 301
        assert plain.headers["location"].startswith("https://")

        for _ in range(4):  # the webchat upstream's second replica is down
            page = client.get(f"{nginx.public}/chat?private=yes")
            assert (
                page.status_code == 200 and "max-age" in page.headers["strict-transport-security"]
            )
        assert "server" not in page.headers or "/" not in page.headers["server"]  # no version
        assert client.get(f"{nginx.public}/staff/login").status_code == 200

        # Internal parts are not public.
        for path in ("/api/v1/referrals", "/healthz", "/docs", "/openapi.json", "/webhooks/rest"):
            assert client.get(f"{nginx.public}{path}").status_code == 404, path
        # Only Telegram's networks may post to the webhook path.
        assert client.post(f"{nginx.public}/telegram", json={}).status_code == 403

        # Body size limit and the rate limit for the public web chat's messages.
        big = client.post(f"{nginx.public}/chat/bericht", data={"bericht": "x" * 100_000})
        assert big.status_code == 413
        statuses = [
            client.post(f"{nginx.public}/chat/bericht", data={"bericht": "hoi"}).status_code
            for _ in range(15)
        ]
        assert 429 in statuses and statuses[0] != 429, statuses

    # The access log holds no query string (nor client addresses).
    log = (nginx.prefix / "lans-access.log").read_text()
    assert "/chat" in log and "private=yes" not in log and "127.0.0.1 " not in log.split("\n")[0]
