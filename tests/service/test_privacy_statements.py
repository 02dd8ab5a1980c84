"""Every privacy statement tells the truth (issue 18): what the assistant says about keeping
and erasing data matches the retention settings and what the code does.

Reads every text users see: all response variations in domain.yml, the Telegram bridge's own
texts and the web chat's. A sentence that names a number of days next to keeping or erasing
must name the setting of what it is about; claims that are false by construction (the
conversation is kept, encrypted, for the chat period) must not appear.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.intake.settings import Settings
from bot.retention import defaults
from bot.telegram import texts as telegram_texts
from bot.web.chat.views import TEXT as WEB_TEXT

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAYS = re.compile(r"\b(\d+)\s+dagen\b")
KEEPING = re.compile(r"gewist|wissen|wist|bewaar|bewaard|bewaart", re.IGNORECASE)
FALSE_CLAIMS = [
    # The conversation itself is kept (encrypted) until erased or the chat period ends.
    r"\bniet(s)?\b[^.]*\bbewaard\b",
    r"\bniets van (u|je|jou) bewaard",
    r"vergeten wat",
    # Telegram and the school see what is sent; only "sold" can be denied outright.
    r"niets (wordt )?(verkocht of )?(gedeeld|doorgegeven)",
    r"verkocht of (gedeeld|doorgegeven)",
    # Closed referrals are kept for the closed-referral period, not erased at once.
    r"tot de aanmelding is afgerond",
]


def domain_texts() -> list[tuple[str, str]]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [
        (name, variant["text"])
        for name, variants in domain["responses"].items()
        for variant in variants
        if "text" in variant
    ]


def all_texts() -> list[tuple[str, str]]:
    telegram = [
        (f"telegram.{name}", value)
        for name, value in vars(telegram_texts).items()
        if name.isupper() and isinstance(value, str)
    ]
    web = [(f"webchat.{name}", value) for name, value in WEB_TEXT.items()]
    page = (PROJECT_ROOT / "bot" / "web" / "chat" / "templates" / "chat.html").read_text()
    # The page's own privacy words, with its settings filled in as the page does.
    footer = re.sub(
        r"<[^>]+>", " ", page.split('<footer class="privacy">')[1].split("</footer>")[0]
    )
    footer = footer.replace("{{ chat_days }}", str(defaults.CHAT_DAYS))
    return domain_texts() + telegram + web + [("webchat.footer", " ".join(footer.split()))]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", text) if s.strip()]


def expected_days(sentence: str) -> int:
    """The setting a sentence about keeping or erasing is about."""
    lowered = sentence.lower()
    settings = Settings(_env_file=None)
    if "vraag" in lowered:
        return settings.question_expiry_days
    if "aanmelding" in lowered:
        return defaults.CLOSED_REFERRAL_DAYS
    if re.search(r"gesprek|typ|schrijf|het wordt|wordt het", lowered):
        return defaults.CHAT_DAYS
    raise AssertionError(f"a retention period of what? {sentence!r}")


STATEMENTS = [
    (name, sentence)
    for name, text in all_texts()
    for sentence in sentences(text)
    if DAYS.search(sentence) and KEEPING.search(sentence)
]


def test_the_texts_do_state_periods():
    """The check below reads something: privacy answers, the consent and the question box."""
    names = {name for name, _sentence in STATEMENTS}
    assert {"utter_privacy", "utter_ask_referral_consent", "utter_ask_anonymous_question"} <= names
    assert "telegram.PRIVACY" in names


@pytest.mark.parametrize(("name", "sentence"), STATEMENTS)
def test_each_period_is_the_settings_period(name, sentence):
    stated = {int(days) for days in DAYS.findall(sentence)}
    assert stated == {expected_days(sentence)}, (name, sentence)


@pytest.mark.parametrize(("name", "text"), all_texts())
def test_no_text_claims_what_is_not_so(name, text):
    for claim in FALSE_CLAIMS:
        assert not re.search(claim, text, re.IGNORECASE), (name, claim, text)


def test_every_privacy_answer_tells_how_to_erase_now():
    variants = [text for name, text in domain_texts() if name == "utter_privacy"]
    assert len(variants) >= 6
    for text in variants:
        assert "Wis dit gesprek" in text and f"{defaults.CHAT_DAYS} dagen" in text, text
