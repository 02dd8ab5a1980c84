"""`python -m bot.intake.serve`: migrate (unless turned off), then serve with uvicorn.

Access logging is off: request lines are not needed and would be one more place where data
could leak. The service logs one line per referral created or withdrawn, reference only.
"""

from __future__ import annotations

import logging.config

import uvicorn

from bot.intake.api import create_app
from bot.intake.migrate import upgrade_to_head
from bot.intake.settings import Settings

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "bot.intake": {"level": "INFO"},
        "uvicorn": {"level": "INFO"},
        "uvicorn.access": {"level": "WARNING", "propagate": False, "handlers": []},
        "alembic": {"level": "WARNING"},
    },
    "root": {"level": "WARNING", "handlers": ["stderr"]},
}


def main() -> None:
    """Start the intake service on INTAKE_HOST:INTAKE_PORT (127.0.0.1:8040 by default)."""
    logging.config.dictConfig(LOGGING)
    settings = Settings()
    if settings.intake_migrate_on_start:
        upgrade_to_head(settings.sqlalchemy_url())
    app = create_app(settings)
    logging.getLogger("bot.intake").info(
        "staff dashboard: http://%s:%s/staff/", settings.intake_host, settings.intake_port
    )
    uvicorn.run(
        app,
        host=settings.intake_host,
        port=settings.intake_port,
        access_log=False,
        log_config=None,
        server_header=False,
    )


if __name__ == "__main__":
    main()
