"""The blind conversation suites (tests/conversations/<suite>/), through the real stack.

Each conversation of a suite was written by a helper session that saw only the README, docs/,
the spec and the brochure (never data/, tests/ or domain.yml): a persona, a channel, and user
turns, each with checks on the assistant's reply to that turn. A turn that is the title of a button
in the previous reply is sent as that button's payload (a press). A conversation runs as one
REST conversation (parents on Telegram, "tg-" pseudonym; students in the web chat, "web-"),
turn after turn, whatever the assistant answered before. A turn passes when all its checks
pass:
- register: a reply to "u" has no je/jij/jouw, a reply to "je" no u/uw;
- intent: the NLU's intent for the message (the spec's names);
- help_line: the reply names 112, 113, the Kindertelefoon or Veilig Thuis;
- no_fallback: neither the NLU fallback nor the dialogue fallback answered;
- no_form: no form started in this turn (one already running may go on);
- form: this form ran in this turn (it may have finished, e.g. a question sent) or is running
  after it;
- mentions_any / mentions_none: words in the reply (text and button titles).

`python -m benchmarks.conversation_eval` starts the stack and writes reports/conversations.md;
tests/service/test_conversation_suites.py runs the frozen suites and holds them to the pass
rate they reached.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.rasa_stack import (
    HELP_LINE,
    RasaClient,
    intent_of,
    reply_text,
    turn_events,
    with_stack,
)
from bot.engine_process import PROJECT_ROOT

SUITES_DIR = PROJECT_ROOT / "tests" / "conversations"
FORMS = {
    "referral": "referral_form",
    "check": "signs_check_form",
    "question": "question_form",
    "withdrawal": "withdraw_form",
}
FALLBACKS = {"utter_fallback", "action_default_fallback"}
U_WORDS = re.compile(r"\b(?:u|uw|uzelf)\b", re.IGNORECASE)
JE_WORDS = re.compile(r"\b(?:je|jij|jouw|jou|jezelf)\b", re.IGNORECASE)
CHECKS = ("register", "intent", "help_line", "no_fallback", "no_form", "form", "mentions")


@dataclass
class TurnResult:
    conversation: dict
    index: int
    user: str
    reply: str
    intent: str | None
    failed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failed


def load_suite(name: str) -> list[dict]:
    conversations: list[dict] = []
    for path in sorted((SUITES_DIR / name).glob("*.json")):
        conversations.extend(json.loads(path.read_text(encoding="utf-8")))
    return conversations


def available_suites() -> list[str]:
    if not SUITES_DIR.is_dir():
        return []
    return sorted(p.name for p in SUITES_DIR.iterdir() if any(p.glob("*.json")))


def started_forms(events: Iterable[dict]) -> list[str]:
    return [e["name"] for e in events if e["event"] == "active_loop" and e.get("name")]


def button_payload(text: str, buttons: dict[str, str]) -> str:
    """A turn that is the title of a button just offered is a button press, as the writers were
    told: the web chat and Telegram then send the button's payload, not its title."""
    return buttons.get(text.strip().lower(), text)


def check_turn(expect: dict, reply: str, events: list[dict], active_loop: str | None) -> list[str]:
    """The names of the checks this reply fails."""
    failed = []
    intent = intent_of(events)
    actions = {e.get("name") for e in events if e["event"] == "action"}
    register = expect.get("register")
    if (register == "u" and JE_WORDS.search(reply)) or (register == "je" and U_WORDS.search(reply)):
        failed.append("register")
    if expect.get("intent") and expect["intent"] != intent:
        failed.append("intent")
    if expect.get("help_line") and not HELP_LINE.search(reply.lower()):
        failed.append("help_line")
    if expect.get("no_fallback") and (intent == "nlu_fallback" or actions & FALLBACKS):
        failed.append("no_fallback")
    if expect.get("no_form") and started_forms(events[1:]) and not expect.get("form"):
        failed.append("no_form")
    if expect.get("form") and FORMS[expect["form"]] not in {active_loop, *actions}:
        failed.append("form")
    lowered = reply.lower()
    any_of = [w.lower() for w in expect.get("mentions_any") or []]
    none_of = [w.lower() for w in expect.get("mentions_none") or []]
    if (any_of and not any(w in lowered for w in any_of)) or any(w in lowered for w in none_of):
        failed.append("mentions")
    return failed


def run_conversation(client: RasaClient, conversation: dict) -> list[TurnResult]:
    prefix = "tg" if conversation.get("channel") == "telegram" else "web"
    sender = f"{prefix}-conv-eval-{secrets.token_hex(8)}"
    results = []
    buttons: dict[str, str] = {}
    for index, turn in enumerate(conversation["turns"]):
        messages = client.say(sender, button_payload(turn["user"], buttons))
        buttons = {
            b["title"].strip().lower(): b["payload"]
            for m in messages
            for b in m.get("buttons") or []
            if b.get("title") and b.get("payload")
        }
        reply = reply_text(messages)
        tracker = client.tracker(sender)
        events = turn_events(tracker)
        active = (tracker.get("active_loop") or {}).get("name")
        failed = check_turn(turn.get("expect") or {}, reply, events, active)
        results.append(
            TurnResult(conversation, index, turn["user"], reply, intent_of(events), failed)
        )
    return results


@dataclass
class SuiteFigures:
    name: str
    turns: list[TurnResult]

    @property
    def pass_rate(self) -> float:
        return sum(t.passed for t in self.turns) / len(self.turns)

    def rate_of(self, check: str) -> tuple[int, int]:
        """Turns failing this check, of the turns that carry it."""
        keys = {"mentions": ("mentions_any", "mentions_none")}.get(check, (check,))
        carrying = [
            t
            for t in self.turns
            if any(k in t.conversation["turns"][t.index].get("expect", {}) for k in keys)
        ]
        return sum(check in t.failed for t in carrying), len(carrying)

    def by(self, key: str) -> dict[str, list[TurnResult]]:
        groups: dict[str, list[TurnResult]] = defaultdict(list)
        for t in self.turns:
            groups[str(t.conversation.get(key, "?"))].append(t)
        return dict(sorted(groups.items()))

    @property
    def forms_uninvited(self) -> int:
        return sum("no_form" in t.failed for t in self.turns)


def run_suite(client: RasaClient, name: str, workers: int = 4) -> SuiteFigures:
    with ThreadPoolExecutor(workers) as pool:
        per_conversation = pool.map(lambda c: run_conversation(client, c), load_suite(name))
        return SuiteFigures(name, [t for turns in per_conversation for t in turns])


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def report_suite(figures: SuiteFigures, quoted: int = 10) -> list[str]:
    conversations = len({t.conversation["id"] for t in figures.turns})
    lines = [
        f"## Suite `{figures.name}`",
        "",
        f"- conversations: {conversations}; user turns: {len(figures.turns)}",
        f"- turns passing every check: {pct(figures.pass_rate)} (target 95 %)",
        f"- forms started uninvited: {figures.forms_uninvited} (target 0)",
        "",
        "### Failures by kind of check",
        "",
        "| check | turns failing | turns with this check | share passing |",
        "|---|---|---|---|",
    ]
    for check in CHECKS:
        failing, carrying = figures.rate_of(check)
        if carrying:
            lines.append(f"| {check} | {failing} | {carrying} | {pct(1 - failing / carrying)} |")
    lines += ["", "### By audience", "", "| audience | turns | passing |", "|---|---|---|"]
    for audience, turns in figures.by("audience").items():
        lines.append(
            f"| {audience} | {len(turns)} | {pct(sum(t.passed for t in turns) / len(turns))} |"
        )
    lines += ["", "### By persona", "", "| persona | turns | passing |", "|---|---|---|"]
    for persona, turns in figures.by("persona").items():
        lines.append(
            f"| {persona} | {len(turns)} | {pct(sum(t.passed for t in turns) / len(turns))} |"
        )
    failing = [t for t in figures.turns if not t.passed]
    lines += ["", f"### {min(quoted, len(failing))} failing turns", ""]
    step = max(1, len(failing) // quoted) if failing else 1
    for t in failing[::step][:quoted]:
        reply = " / ".join(t.reply.splitlines())[:300]
        lines += [
            f"- `{t.conversation['id']}` turn {t.index + 1} ({', '.join(t.failed)}; "
            f"intent {t.intent}): «{t.user}»",
            f"  - reply: «{reply}»",
        ]
    return [*lines, ""]


def report(all_figures: list[SuiteFigures]) -> str:
    lines = [
        "# Blind conversation suites",
        "",
        "Written by `python -m benchmarks.conversation_eval` (method in its docstring). Each",
        "suite was written by helper sessions that saw only the README, docs/, the spec and the",
        "brochure; it is frozen in tests/conversations/.",
        "",
    ]
    for figures in all_figures:
        lines += report_suite(figures)
    return "\n".join(lines)


def failure_kinds(figures: SuiteFigures) -> Counter:
    return Counter(check for t in figures.turns for check in t.failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "conversations.md")
    parser.add_argument("--suites", nargs="*", default=None)
    parser.add_argument("--rasa-url", help="a running Rasa server with --enable-api")
    parser.add_argument("--failures", type=Path, help="also write every failing turn as JSON")
    args = parser.parse_args()
    names = args.suites or available_suites()

    def measure(rasa_url: str) -> list[SuiteFigures]:
        client = RasaClient(rasa_url)
        return [run_suite(client, name) for name in names]

    figures = measure(args.rasa_url) if args.rasa_url else with_stack(measure, "conv-eval-")
    args.out.write_text(report(figures), encoding="utf-8")
    if args.failures:
        failing = [
            {
                "id": t.conversation["id"],
                "turn": t.index + 1,
                "user": t.user,
                "reply": t.reply,
                "intent": t.intent,
                "failed": t.failed,
                "expect": t.conversation["turns"][t.index].get("expect"),
            }
            for f in figures
            for t in f.turns
            if not t.passed
        ]
        args.failures.write_text(json.dumps(failing, ensure_ascii=False, indent=1), "utf-8")
    for f in figures:
        print(f.name, pct(f.pass_rate), dict(failure_kinds(f)))
    print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
