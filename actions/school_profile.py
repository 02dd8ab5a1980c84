"""The school profile (school_profile.yml): facts only the school can give, filled in by it.

Practical questions (cost, waiting time, a doctor's letter, opening hours) are answered from
it. Where a field is empty the answer says so and points to the school: the assistant never
invents a number (product card).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

PROFILE_PATH = Path(__file__).resolve().parent.parent / "school_profile.yml"


@dataclass(frozen=True)
class SchoolProfile:
    name: str = "De Berkenschutse"
    place: str = "Heeze"
    website: str = "www.berkenschutse.nl"
    phone: str | None = None
    email: str | None = None
    office_hours: str | None = None
    lans_team_hours: str | None = None
    costs: str | None = None
    waiting_time: str | None = None
    referral_letter: str | None = None

    def contact(self) -> str:
        """How to reach the school, with what is filled in."""
        ways = [way for way in (self.phone, self.email) if way]
        return ", ".join([*ways, self.website])


@cache
def load_profile(path: Path = PROFILE_PATH) -> SchoolProfile:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = {f.name for f in fields(SchoolProfile)}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"{path.name}: unknown fields {sorted(unknown)}")
    values = {k: str(v).strip() for k, v in raw.items() if v is not None and str(v).strip()}
    return SchoolProfile(**values)


# The topic of a practical question, from its words; the first match wins. Dutch words
# people use, without accents (the text is lowered first).
TOPICS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "costs",
        "de kosten",
        re.compile(r"kost|betal|geld|prijs|gratis|vergoe|verzeker|eigen bijdrage|euro"),
    ),
    (
        "referral_letter",
        "een verwijsbrief",
        re.compile(r"verwijs|verwijzing|indicatie|brief van de (huis)?arts|doorverwijz"),
    ),
    (
        "waiting_time",
        "de wachttijd",
        re.compile(
            r"wacht|hoe snel|hoe lang duurt het (voor|tot|eer)"
            r"|wanneer (bel|hoor|krijg)|binnen hoeveel"
        ),
    ),
    (
        "lans_team_hours",
        "de tijden van het LANS-team",
        re.compile(r"lans.?team.*(bereikbaar|uren|tijden|open)|(bereikbaar|uren|tijden).*lans"),
    ),
    (
        "office_hours",
        "de openingstijden",
        re.compile(r"open|bereikbaar|uren|tijden|wanneer kan ik bellen"),
    ),
)


def topic_of(text: str) -> tuple[str, str] | None:
    """(profile field, how the answer names it) for a practical question, or None."""
    lowered = text.lower()
    for field_name, label, pattern in TOPICS:
        if pattern.search(lowered):
            return field_name, label
    return None


class ActionPracticalAnswer(Action):
    def name(self) -> str:
        return "action_practical_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        profile = load_profile()
        found = topic_of(tracker.latest_message.get("text") or "")
        if found is None:
            dispatcher.utter_message(
                response="utter_practical_unknown", topic="deze vraag", contact=profile.contact()
            )
            return []
        field_name, label = found
        fact = getattr(profile, field_name)
        if fact:
            dispatcher.utter_message(
                response="utter_practical_known", fact=fact, contact=profile.contact()
            )
        else:
            dispatcher.utter_message(
                response="utter_practical_unknown", topic=label, contact=profile.contact()
            )
        return []
