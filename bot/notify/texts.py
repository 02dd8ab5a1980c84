"""The notifications' Dutch texts (B1, short). Only the kind of item, its reference, its time
and a dashboard link: never a name, phone number, e-mail address, question text or chat id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.intake import reference as references

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

FOOTER = "Dit bericht bevat geen persoonsgegevens. U leest alles in het dashboard, na inloggen."


@dataclass(frozen=True)
class Item:
    """What a notification may say about one new item."""

    kind: str  # "referral" or "question"
    object_id: int
    reference: str | None
    created_at: datetime


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} om {local:%H:%M}"


def _what(item: Item) -> str:
    if item.kind == "referral" and item.reference:
        return f"aanmelding {references.display(item.reference)}"
    return "anonieme vraag"


def single(item: Item, link: str, zone: ZoneInfo) -> Message:
    """One message for one new item."""
    if item.kind == "referral":
        title = "Nieuwe aanmelding in de LANS-wachtrij"
        if item.reference:
            title += f": {references.display(item.reference)}"
        look = f"Bekijk de aanmelding in het dashboard: {link}"
    else:
        title = "Nieuwe anonieme vraag in de LANS-wachtrij"
        look = f"Bekijk de vraag in het dashboard: {link}"
    body = f"{title}.\nBinnengekomen op {when(item.created_at, zone)}.\n{look}\n\n{FOOTER}"
    return Message(subject=title, body=body)


def digest(items: list[Item], link: str, zone: ZoneInfo) -> Message:
    """One message for several new items (the daily digest)."""
    items = sorted(items, key=lambda item: item.created_at)
    count = len(items)
    subject = (
        "1 nieuw item in de LANS-wachtrij"
        if count == 1
        else f"{count} nieuwe items in de LANS-wachtrij"
    )
    lines = [f"- {_what(item)}, {when(item.created_at, zone)}" for item in items]
    body = "\n".join([f"{subject}:", *lines, f"Bekijk ze in het dashboard: {link}", "", FOOTER])
    return Message(subject=subject, body=body)
