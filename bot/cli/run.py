"""`make run`: start the intake service (with the staff dashboard and the students' web chat),
the action server and the Rasa server on localhost, the Telegram bridge when a bot token is
configured, then chat in the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bot.cli.chat import RestChat, repl
from bot.engine_process import PROJECT_ROOT, running_engine, spawn, stop
from bot.intake.keys import TRACKER_KEY_FILE
from bot.intake.process import running_intake
from bot.intake.settings import SECRETS_DIR, VAR_DIR, Settings
from bot.telegram.settings import TelegramSettings

RASA_PORT = 5005


def start_telegram(rasa_url: str, log_dir: Path) -> subprocess.Popen | None:
    """The Telegram bridge as a child process, when TELEGRAM_BOT_TOKEN is set (env or
    var/secrets/local.env); None otherwise."""
    if TelegramSettings().telegram_bot_token is None:
        print("Telegram-bridge: uit (zet TELEGRAM_BOT_TOKEN om hem te starten)")
        return None
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_URL": rasa_url}
    log = log_dir / "telegram.log"
    process = spawn([sys.executable, "-m", "bot.telegram"], log, env)
    time.sleep(2)
    if process.poll() is not None:
        print(f"Telegram-bridge: start niet (zie {log})")
        return None
    mode = TelegramSettings().telegram_mode
    print(f"Telegram-bridge: draait ({mode}); log: {log}")
    return process


def main() -> None:
    log_dir = PROJECT_ROOT / "logs"
    settings = Settings()  # reads var/secrets/local.env, written by `make setup`
    rasa_url = f"http://127.0.0.1:{RASA_PORT}"
    print("De LANS-assistent start (dit duurt ongeveer een halve minuut)...")
    conversations = VAR_DIR / "conversations.db"
    intake_env = {
        "RASA_URL": rasa_url,
        # The retention job erases old conversations there (bot/retention/trackers.py).
        "LANS_TRACKER_DATABASE_URL": f"sqlite:///{conversations}",
    }
    with running_intake(settings.intake_port, log_dir, env=intake_env) as intake:
        engine_env = {
            "INTAKE_URL": intake.url,
            "INTAKE_API_TOKEN": settings.api_token(),
            "LANS_TRACKER_DB": str(conversations),
            "LANS_TRACKER_KEY": (SECRETS_DIR / TRACKER_KEY_FILE).read_text().strip(),
        }
        with running_engine(rasa_port=RASA_PORT, log_dir=log_dir, env=engine_env) as engine:
            print(f"Rasa server:     {engine.rasa_url}  (REST: {engine.webhook_url})")
            print(f"Action server:   {engine.actions_url}")
            print(f"Intake service:  {intake.url}  (API: {intake.url}/docs)")
            print(f"Staff dashboard: {intake.url}/staff/")
            print(f"Web chat:        {intake.url}/chat")
            print(f"Logs:            {log_dir}")
            telegram = start_telegram(engine.rasa_url, log_dir)
            try:
                repl(RestChat(engine.webhook_url))
            finally:
                stop(telegram)
    print("Gestopt.")


if __name__ == "__main__":
    main()
