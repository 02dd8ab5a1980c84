"""`make run`: start the action server and the Rasa server on localhost, then chat."""

from __future__ import annotations

from bot.cli.chat import RestChat, repl
from bot.engine_process import PROJECT_ROOT, running_engine


def main() -> None:
    log_dir = PROJECT_ROOT / "logs"
    print("De LANS-assistent start (dit duurt ongeveer een halve minuut)...")
    with running_engine(log_dir=log_dir) as engine:
        print(f"Rasa server:   {engine.rasa_url}  (REST: {engine.webhook_url})")
        print(f"Action server: {engine.actions_url}")
        print(f"Logs:          {log_dir}")
        repl(RestChat(engine.webhook_url))
    print("Gestopt.")


if __name__ == "__main__":
    main()
