"""`python -m bot.intake {init-secrets,migrate,serve}`: the intake service's commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.intake.settings import SECRETS_DIR, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.intake")
    commands = parser.add_subparsers(dest="command", required=True)
    secrets_parser = commands.add_parser("init-secrets", help="create missing secrets")
    secrets_parser.add_argument("--dir", type=Path, default=SECRETS_DIR)
    commands.add_parser("migrate", help="upgrade the database (DATABASE_URL) to the newest schema")
    commands.add_parser("serve", help="migrate, then serve on INTAKE_HOST:INTAKE_PORT")
    args = parser.parse_args(argv)

    if args.command == "init-secrets":
        from bot.intake.keys import init

        for line in init(args.dir):
            print(line)
    elif args.command == "migrate":
        from bot.intake.migrate import upgrade_to_head

        url = Settings().sqlalchemy_url()
        upgrade_to_head(url)
        print(f"database is at the newest schema: {url.render_as_string(hide_password=True)}")
    else:
        from bot.intake.serve import main as serve

        serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
