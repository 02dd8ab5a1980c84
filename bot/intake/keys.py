"""`python -m bot.intake.keys init`: create this machine's secrets once, never print them.

Writes var/secrets/data.key (the Fernet key for personal fields), var/secrets/tracker.key (the
Fernet key of Rasa's conversation store; only the engine gets it) and var/secrets/local.env
(INTAKE_API_TOKEN, LANS_BLIND_INDEX_KEY) with mode 0600 in a 0700 folder. Running it again
keeps what exists and only adds what is missing: a new data key would make stored data
unreadable, a new token would lock out a running action server.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from bot.intake.settings import SECRETS_DIR

ENV_SECRETS = ("INTAKE_API_TOKEN", "LANS_BLIND_INDEX_KEY")
TRACKER_KEY_FILE = "tracker.key"


def _write_new(path: Path, content: str) -> None:
    """Create the file with 0600 from the first byte (no window where others can read it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)


def _names_in(env_file: Path) -> set[str]:
    names = set()
    for line in env_file.read_text(encoding="utf-8").splitlines():
        name, sep, _value = line.strip().removeprefix("export ").partition("=")
        if sep and not name.startswith("#"):
            names.add(name.strip())
    return names


def init(directory: Path = SECRETS_DIR) -> list[str]:
    """Create missing secrets in `directory`; returns one line per file saying what happened."""
    report = []
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)

    for key_file in (directory / "data.key", directory / TRACKER_KEY_FILE):
        if key_file.exists():
            report.append(f"kept    {key_file}")
        else:
            _write_new(key_file, Fernet.generate_key().decode("ascii") + "\n")
            report.append(f"created {key_file}")
        key_file.chmod(0o600)

    env_file = directory / "local.env"
    lines = {name: f"{name}={secrets.token_urlsafe(32)}\n" for name in ENV_SECRETS}
    if not env_file.exists():
        header = "# Secrets of this machine (python -m bot.intake.keys init). Never commit.\n"
        _write_new(env_file, header + "".join(lines.values()))
        report.append(f"created {env_file} ({', '.join(ENV_SECRETS)})")
    else:
        missing = [name for name in ENV_SECRETS if name not in _names_in(env_file)]
        if missing:
            text = env_file.read_text(encoding="utf-8")
            with env_file.open("a", encoding="utf-8") as handle:
                if text and not text.endswith("\n"):
                    handle.write("\n")
                handle.writelines(lines[name] for name in missing)
            report.append(f"added   {', '.join(missing)} to {env_file}")
        else:
            report.append(f"kept    {env_file}")
    env_file.chmod(0o600)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.intake.keys", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    init_parser = commands.add_parser("init", help="create missing secrets (idempotent)")
    init_parser.add_argument("--dir", type=Path, default=SECRETS_DIR, help="secrets folder")
    args = parser.parse_args(argv)
    for line in init(args.dir):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
