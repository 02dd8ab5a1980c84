"""deploy/systemd: `systemd-analyze verify` accepts every unit (with /opt/lans pointed at this
checkout, so the executables it checks exist); every service runs as its own user with its own
env file holding only its own secrets (deploy/env), and every unit has the retention unit's
hardening (security review, issue 18)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.engine_process import PROJECT_ROOT

UNITS = PROJECT_ROOT / "deploy" / "systemd"
ENV_EXAMPLES = PROJECT_ROOT / "deploy" / "env"
OURS = [
    "lans-rasa@.service", "lans-actions@.service", "lans-intake@.service",
    "lans-migrate.service", "lans-telegram.service", "lans-retention.service",
    "lans-retention.timer", "lans.target",
]  # fmt: skip

# Which service each unit belongs to (the migrations are the intake service's).
SERVICE_OF = {
    "lans-rasa@.service": "rasa",
    "lans-actions@.service": "actions",
    "lans-intake@.service": "intake",
    "lans-migrate.service": "intake",
    "lans-telegram.service": "telegram",
    "lans-retention.service": "retention",
}
# Every secret, and the only services that may hold it.
SECRETS = {
    "LANS_DATA_KEY": {"intake"},
    "LANS_BLIND_INDEX_KEY": {"intake"},
    "LANS_SESSION_SECRET": {"intake"},
    "INTAKE_API_TOKEN": {"intake", "actions"},
    "DATABASE_URL": {"intake", "retention"},  # with each its own database role
    "LANS_OUTBOX_KEY": {"actions"},
    "LANS_TRACKER_KEY": {"rasa"},
    "RASA_DB_PASSWORD": {"rasa"},
    "REDIS_PASSWORD": {"rasa"},
    "LANS_TRACKER_DATABASE_URL": {"retention"},
    "TELEGRAM_BOT_TOKEN": {"telegram"},
    "TELEGRAM_SENDER_SECRET": {"telegram"},
    "TELEGRAM_WEBHOOK_SECRET": {"telegram"},
    # Staff notifications (bot/notify): the mail server's login and the staff group's bot.
    "LANS_SMTP_PASSWORD": {"intake"},
    "LANS_NOTIFY_TELEGRAM_BOT_TOKEN": {"intake"},
}
# What each service cannot start (or work) without.
NEEDS = {
    "intake": {"DATABASE_URL", "INTAKE_API_TOKEN", "LANS_DATA_KEY", "LANS_BLIND_INDEX_KEY"},
    "actions": {"INTAKE_URL", "INTAKE_API_TOKEN", "LANS_OUTBOX_KEY"},
    "telegram": {"TELEGRAM_BOT_TOKEN", "TELEGRAM_SENDER_SECRET", "TELEGRAM_WEBHOOK_SECRET"},
    "retention": {"DATABASE_URL", "LANS_TRACKER_DATABASE_URL"},
    "rasa": {"LANS_TRACKER_KEY"},
}
HARDENING_FROM = "lans-retention.service"
HARDENING = re.compile(
    r"^(NoNewPrivileges|Private\w+|Protect\w+|Restrict\w+|LockPersonality|"
    r"CapabilityBoundingSet|MemoryDenyWriteExecute|SystemCallFilter)="
)


def directives(name: str) -> list[tuple[str, str]]:
    pairs = []
    for line in (UNITS / name).read_text().splitlines():
        if line and not line.startswith(("#", "[", " ")) and "=" in line:
            key, value = line.split("=", 1)
            pairs.append((key, value))
    return pairs


def values(name: str, key: str) -> list[str]:
    return [value for k, value in directives(name) if k == key]


def env_example(service: str) -> dict[str, str]:
    pairs = {}
    for line in (ENV_EXAMPLES / f"{service}.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            assert key not in pairs, f"{service}: {key} twice"
            pairs[key] = value
    return pairs


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not found (Debian: part of the systemd package)")
    files = []
    for name in OURS:
        text = (UNITS / name).read_text().replace("/opt/lans", str(PROJECT_ROOT))
        target = tmp_path / name.replace("@.", "@5005.")  # an instance, as systemctl would
        target.write_text(text)
        files.append(str(target))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *files],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
    )
    problems = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 0 and problems == [], problems


def test_every_service_has_its_own_user_and_its_own_env_file():
    services = sorted(path.name for path in UNITS.glob("*.service"))
    assert services == sorted(SERVICE_OF)
    for name, service in SERVICE_OF.items():
        assert values(name, "User") == [f"lans-{service}"], name
        assert values(name, "Group") == [f"lans-{service}"], name
        assert values(name, "EnvironmentFile") == [f"/etc/lans/{service}.env"], name
        assert not values(name, "DynamicUser")
    users = (PROJECT_ROOT / "deploy" / "sysusers.d" / "lans.conf").read_text()
    for service in set(SERVICE_OF.values()):
        assert re.search(rf"^u lans-{service} ", users, re.MULTILINE), service


def test_each_env_file_holds_only_its_own_secrets():
    held: dict[str, set[str]] = {}
    for service in set(SERVICE_OF.values()):
        settings = env_example(service)
        assert NEEDS[service] <= set(settings), (service, NEEDS[service] - set(settings))
        for key in settings:
            if re.search(r"KEY|SECRET|TOKEN|PASSWORD|DATABASE_URL", key):
                assert key in SECRETS, f"{key}: a secret no test knows; add it to SECRETS"
                held.setdefault(key, set()).add(service)
        for key, value in settings.items():
            if key in SECRETS:
                assert "change-me" in value, f"{service}: {key} has a real-looking value"
    for key, services in held.items():
        assert services <= SECRETS[key], (key, services - SECRETS[key])
    assert sorted(p.name for p in ENV_EXAMPLES.iterdir()) == sorted(
        f"{service}.env.example" for service in set(SERVICE_OF.values())
    )
    assert not (PROJECT_ROOT / "deploy" / "lans.env.example").exists()  # no file with all


def test_rasa_env_has_every_variable_of_the_production_endpoints():
    text = (PROJECT_ROOT / "deploy" / "endpoints.production.yml").read_text()
    endpoints = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    wanted = set(re.findall(r"\$\{(\w+)\}", endpoints))
    assert wanted and wanted <= set(env_example("rasa")), wanted - set(env_example("rasa"))


def test_every_unit_has_the_hardening_of_the_retention_unit():
    hardening = [(k, v) for k, v in directives(HARDENING_FROM) if HARDENING.match(f"{k}=")]
    assert len(hardening) >= 12, hardening
    for name in SERVICE_OF:
        have = directives(name)
        for pair in hardening:
            assert pair in have, (name, pair)
        # Nothing weaker alongside (a second, contradicting line would win).
        for key, value in have:
            if HARDENING.match(f"{key}="):
                assert (key, value) in hardening, (name, key, value)


def test_no_unit_is_more_exposed_than_the_retention_unit(tmp_path: Path):
    """systemd's own score of each unit's sandbox (`systemd-analyze security`, lower is
    safer): none may be worse than the retention unit whose hardening they all copy."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not found (Debian: part of the systemd package)")

    def exposure(name: str) -> float:
        text = (UNITS / name).read_text().replace("/opt/lans", str(PROJECT_ROOT))
        target = tmp_path / name.replace("@.", "@5005.")
        target.write_text(text)
        done = subprocess.run(
            [analyze, "security", "--offline=true", "--no-pager", str(target)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", done.stdout)
        if found is None:
            pytest.skip(f"systemd-analyze security --offline is not supported: {done.stderr}")
        return float(found[1])

    reference = exposure(HARDENING_FROM)
    for name in SERVICE_OF:
        assert exposure(name) <= reference, name
