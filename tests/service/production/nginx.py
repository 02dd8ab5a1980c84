"""deploy/nginx.conf rendered for a test: the same file, with loopback ports, paths and a
self-signed certificate in a temporary prefix, run by an unprivileged-style nginx (free ports,
no system paths)."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.engine_process import PROJECT_ROOT

NGINX_CONF = PROJECT_ROOT / "deploy" / "nginx.conf"

# The production addresses in deploy/nginx.conf, by role.
UPSTREAM_PORTS = {
    "rasa_a": 5005, "rasa_b": 5006,
    "actions_a": 5055, "actions_b": 5056,
    "intake_a": 8040, "intake_b": 8041,
    "telegram": 8443,
    "rasa_lb": 5000, "actions_lb": 5050, "intake_lb": 8000,
}  # fmt: skip
PORT_COUNT = len(UPSTREAM_PORTS) + 2  # and the public HTTP and HTTPS ports


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def render(prefix: Path, ports: dict[str, int], http_port: int, https_port: int) -> Path:
    """The production file with `ports` (role -> port) instead of the production ports."""
    text = NGINX_CONF.read_text()
    by_production_port = {port: ports[role] for role, port in UPSTREAM_PORTS.items()}
    missing = set(by_production_port) - {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", text)}
    assert not missing, f"ports {missing} not in deploy/nginx.conf"
    text = re.sub(
        r"127\.0\.0\.1:(\d+)\b",
        lambda m: f"127.0.0.1:{by_production_port.get(int(m[1]), m[1])}",
        text,
    )
    cert, key = self_signed_certificate(prefix)
    replacements = [
        # As root the workers must be able to use the temporary prefix; otherwise ignored.
        (r"^user .*;$", "user root;" if os.geteuid() == 0 else ""),
        (r"^pid .*;$", f"pid {prefix}/nginx.pid;"),
        # The path only: the level stays the production file's (no client IPs at it).
        (r"^error_log /\S+ ", f"error_log {prefix}/error.log "),
        (r"access_log /var/log/nginx/", f"access_log {prefix}/"),
        (r"listen \[::\]:\d+.*;", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        (r"ssl_certificate /\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};"),
        (r"root /var/www/letsencrypt;", f"root {prefix};"),
        (
            r"^http \{$",
            "http {\n" + "".join(
                f"    {kind}_temp_path {prefix}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
        ),
    ]  # fmt: skip
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert count, f"{pattern!r} not in deploy/nginx.conf"
    path = prefix / "nginx.conf"
    path.write_text(text)
    return path


@dataclass
class Nginx:
    executable: str
    config: Path
    prefix: Path
    ports: dict[str, int]
    http_port: int
    https_port: int
    process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        return [
            self.executable, "-p", str(self.prefix), "-c", str(self.config),
            "-e", str(self.prefix / "error.log"), *extra,
        ]  # fmt: skip

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command("-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=(self.prefix / "stderr.log").open("ab"),
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.prefix / "error.log").read_text()
            try:
                httpx.get(f"http://127.0.0.1:{self.http_port}/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("nginx did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def internal(self, role: str) -> str:
        return f"http://127.0.0.1:{self.ports[role]}"

    @property
    def public(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


@contextmanager
def running_nginx(executable: str, prefix: Path, *ports: int) -> Iterator[Nginx]:
    """deploy/nginx.conf on `ports` (UPSTREAM_PORTS' roles in order, then HTTP and HTTPS),
    checked and running for the block. For local_servers.on_free_ports(..., PORT_COUNT)."""
    upstream = dict(zip(UPSTREAM_PORTS, ports[: len(UPSTREAM_PORTS)], strict=True))
    http_port, https_port = ports[len(UPSTREAM_PORTS) :]
    config = render(prefix, upstream, http_port, https_port)
    server = Nginx(executable, config, prefix, upstream, http_port, https_port)
    checked = server.check()
    assert checked.returncode == 0, checked.stderr
    try:
        server.start()
        yield server
    finally:
        server.stop()
