"""The real thing: `python -m bot.intake.serve` as a process, over HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
from local_servers import on_free_ports

from bot.intake.process import running_intake

from .conftest import Secrets
from .helpers import valid_body


def test_served_over_http(tmp_path: Path, test_secrets: Secrets) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        "INTAKE_API_TOKEN": test_secrets.token,
        "LANS_DATA_KEY": test_secrets.data_key,
        "LANS_BLIND_INDEX_KEY": test_secrets.index_key,
    }
    auth = {"Authorization": f"Bearer {test_secrets.token}"}
    # running_intake: the process on 127.0.0.1 with this environment, healthy before the block.
    with on_free_ports(lambda port: running_intake(port, tmp_path, env)) as server:
        base = server.url
        assert httpx.get(f"{base}/healthz", timeout=5).json() == {"status": "ok"}

        body = valid_body(parent_name="Gerarda Tuinstra", email="g.tuinstra@example.nl")
        headers = {**auth, "Idempotency-Key": "served-test-0001"}
        created = httpx.post(f"{base}/api/v1/referrals", json=body, headers=headers, timeout=10)
        assert created.status_code == 201, created.text
        replay = httpx.post(f"{base}/api/v1/referrals", json=body, headers=headers, timeout=10)
        assert replay.status_code == 200 and replay.json() == created.json()
        assert httpx.post(f"{base}/api/v1/referrals", json=body).status_code == 401
        too_big = httpx.post(
            f"{base}/api/v1/referrals",
            content=b"{" + b" " * (100 * 1024) + b"}",
            headers={**headers, "Content-Type": "application/json"},
            timeout=10,
        )
        assert too_big.status_code == 413
        withdrawn = httpx.post(
            f"{base}/api/v1/referrals/withdraw",
            json={"reference": created.json()["reference"], "contact": "G.Tuinstra@example.nl"},
            headers=auth,
            timeout=10,
        )
        assert withdrawn.status_code == 200
        assert "server" not in withdrawn.headers  # no version banner

    output = server.log.read_text()
    reference = created.json()["reference"]
    assert f"referral created: {reference}" in output
    assert f"referral withdrawn: {reference}" in output
    for secret in ("Gerarda", "Tuinstra", "612345678", "served-test-0001", test_secrets.token):
        assert secret.lower() not in output.lower(), secret
    assert "POST /api" not in output  # no access log
