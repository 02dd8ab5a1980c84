"""`make run`: start the intake service, the action server and the Rasa server on localhost,
then chat in the terminal."""

from __future__ import annotations

from bot.cli.chat import RestChat, repl
from bot.engine_process import PROJECT_ROOT, running_engine
from bot.intake.process import running_intake
from bot.intake.settings import Settings


def main() -> None:
    log_dir = PROJECT_ROOT / "logs"
    settings = Settings()  # reads var/secrets/local.env, written by `make setup`
    print("De LANS-assistent start (dit duurt ongeveer een halve minuut)...")
    with running_intake(settings.intake_port, log_dir) as intake:
        action_env = {"INTAKE_URL": intake.url, "INTAKE_API_TOKEN": settings.api_token()}
        with running_engine(log_dir=log_dir, env=action_env) as engine:
            print(f"Rasa server:     {engine.rasa_url}  (REST: {engine.webhook_url})")
            print(f"Action server:   {engine.actions_url}")
            print(f"Intake service:  {intake.url}  (API: {intake.url}/docs)")
            print(f"Staff dashboard: {intake.url}/staff/")
            print(f"Logs:            {log_dir}")
            repl(RestChat(engine.webhook_url))
    print("Gestopt.")


if __name__ == "__main__":
    main()
