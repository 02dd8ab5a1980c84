"""`python -m bot.web.accounts`: manage staff accounts of the dashboard from the shell.

    create --username NAME [--admin]     new account (the first admin is made this way)
    reset-password --username NAME        new password; the account's logins end
    deactivate --username NAME            the account can no longer log in
    reset-2fa --username NAME             two-step login off (a lost phone): its app secret
                                          and recovery codes go, its logins end; with
                                          LANS_STAFF_REQUIRE_2FA (an administrator: with
                                          LANS_ADMIN_REQUIRE_2FA, the default) the member
                                          sets it up again
    list                                  usernames, roles, active or not

The password is asked twice with getpass (never echoed, never an argument that would land in
the shell history); for scripts and tests it may come from LANS_ACCOUNT_PASSWORD instead.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlalchemy import select

from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.migrate import upgrade_to_head
from bot.intake.models import StaffRole, StaffUser
from bot.intake.settings import Settings
from bot.web import two_factor
from bot.web.auth import AccountError, create_account, set_active, set_password

PASSWORD_ENV = "LANS_ACCOUNT_PASSWORD"
ACTOR = "cli"


def _password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise AccountError(f"Geen terminal om het wachtwoord te vragen: zet {PASSWORD_ENV}.")
    first = getpass.getpass("Wachtwoord (minstens 12 tekens): ")
    if getpass.getpass("Nog een keer: ") != first:
        raise AccountError("De twee wachtwoorden zijn niet gelijk.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web.accounts", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--admin", action="store_true", help="may manage accounts")
    for name in ("reset-password", "deactivate", "reset-2fa"):
        commands.add_parser(name).add_argument("--username", required=True)
    commands.add_parser("list", help="list the accounts")
    args = parser.parse_args(argv)

    settings = Settings()
    url = settings.sqlalchemy_url()
    upgrade_to_head(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions.begin() as session:
            if args.command == "list":
                for user in session.scalars(select(StaffUser).order_by(StaffUser.username)):
                    state = "actief" if user.active else "gedeactiveerd"
                    print(f"{user.username}\t{user.role.value}\t{state}")
                return 0
            if args.command == "create":
                role = StaffRole.ADMIN if args.admin else StaffRole.STAFF
                create_account(session, args.username, _password(), role, ACTOR)
                print(f"Account aangemaakt: {args.username.strip().lower()} ({role.value})")
                return 0
            user = session.scalar(
                select(StaffUser).where(StaffUser.username == args.username.strip().lower())
            )
            if user is None:
                raise AccountError("Dit account bestaat niet.")
            if args.command == "reset-password":
                set_password(session, user, _password(), ACTOR)
                print(f"Nieuw wachtwoord ingesteld voor {user.username}")
            elif args.command == "reset-2fa":
                if two_factor.is_enrolled(user):
                    two_factor.reset(session, user, ACTOR)
                    print(f"Inloggen in twee stappen uitgezet voor {user.username}")
                else:
                    user.totp_pending_secret = None  # a set-up that was never finished
                    print(f"Inloggen in twee stappen stond niet aan voor {user.username}")
            else:
                set_active(session, user, False, ACTOR)
                print(f"Account gedeactiveerd: {user.username}")
            return 0
    except AccountError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
