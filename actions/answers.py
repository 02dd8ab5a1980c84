"""Understanding the answers people type into the forms.

Form questions offer buttons, but people type freely ("ja vooral op maandag", "weet ik nie",
"06 12345678"). These functions turn that text into a clean value, or None when it is not an
answer, so the form can ask again with a hint instead of storing something wrong.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email

YES, NO, DONT_KNOW = "ja", "nee", "weet_niet"

_DONT_KNOW = re.compile(
    r"\b(weet (ik )?(het |t )?(niet|nie|nit)|weetniet|weetnie|geen idee|geen flauw idee|"
    r"wn|idk|misschien|mss|twijfel\w*|kan ik niet zeggen|lastig te zeggen|moeilijk te zeggen|"
    r"geen flauw benul|onduidelijk)\b"
)
_NO_START = re.compile(
    r"^(nee+|neen|nope|nah|no|nay|niet echt|eigenlijk niet|helemaal niet|nooit|zeker niet|"
    r"absoluut niet|totaal niet|nauwelijks|bijna nooit|amper|valt mee|niet|geen)\b"
)
_YES_START = re.compile(
    r"^(ja+|jawel|jazeker|jep|jup|jes|yes|yep|ok[eé]?|zeker|klopt|inderdaad|vaak|soms|"
    r"af en toe|regelmatig|elke dag|iedere dag|altijd|best wel|best vaak|heel vaak|een beetje|"
    r"beetje|wel|zeer zeker|absoluut|dat klopt|dat wel|helaas wel|helaas|eigenlijk wel|"
    r"meestal|steeds|vaker)\b"
)
_NEGATION = re.compile(r"\b(niet|nie|nooit|geen|nee)\b")


def plain(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    # Lower case again after NFKD: it turns some letters into capitals ("ℌ" -> "H").
    text = unicodedata.normalize("NFKD", text.lower()).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w@.+ ]+", " ", text).split())


def parse_yes_no(text: str) -> str | None:
    """Yes, no or don't know in free text; None when the text is no such answer.

    "ja vooral op maandag" -> ja; "nee eigenlijk niet" -> nee; "geen idee" -> weet_niet.
    """
    words = plain(text)
    if not words:
        return None
    if _DONT_KNOW.search(words):
        return DONT_KNOW
    if _NO_START.match(words):
        return NO
    if _YES_START.match(words):
        return YES
    if _NEGATION.search(words) and len(words.split()) <= 6:
        return NO
    return None


_ROLE_WORDS = {
    "ouder": r"\b(ouder|ouders|verzorger|moeder|vader|mama|papa|mam|pap|mijn kind|mn kind|"
    r"mijn zoon|mijn dochter|mn zoon|mn dochter|over mijn|pleegouder|voogd)\b",
    "leerling": r"\b(leerling|student|mezelf|mijzelf|mij zelf|mn zelf|over mij|ik zelf|"
    r"zelf|scholier|ik zit)\b",
    "medewerker": r"\b(medewerker|docent|leraar|lerares|mentor|zorgcoordinator|juf|meester|"
    r"collega|personeel)\b",
}


def parse_role(text: str) -> str | None:
    """Who is talking, from a free answer to "over wie gaat het?"."""
    words = plain(text)
    found = [role for role, pattern in _ROLE_WORDS.items() if re.search(pattern, words)]
    return found[0] if len(found) == 1 else None


_NUMBER_WORDS = {
    "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11,
    "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
    "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
}  # fmt: skip
MIN_AGE, MAX_AGE = 4, 20


def parse_age(text: str) -> int | None:
    """ "hij is 13" / "dertien jaar" -> 13; None when there is no single age in range."""
    if re.search(r"-\s*\d", text):  # "-5" is not an age
        return None
    words = plain(text)
    numbers = [int(n) for n in re.findall(r"\b\d{1,3}\b", words)]
    numbers += [_NUMBER_WORDS[w] for w in re.findall(r"\w+", words) if w in _NUMBER_WORDS]
    if len(set(numbers)) != 1:
        return None
    age = numbers[0]
    return age if MIN_AGE <= age <= MAX_AGE else None


def normalise_phone(text: str) -> str | None:
    """A Dutch mobile or landline number as E.164. Foreign numbers are refused, as the intake
    service refuses them (bot/intake/contact.py): accepting one here would leave a confirmed
    referral undeliverable."""
    candidate = re.sub(r"[^\d+]", "", text)
    if not 9 <= len(candidate) <= 16:
        return None
    try:
        number = phonenumbers.parse(candidate, "NL")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 31 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """+31612345678 -> 06 12345678, the way Dutch parents write it."""
    number = phonenumbers.parse(e164, "NL")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalise_email(text: str) -> str | None:
    """Syntax check only: a chat cannot wait for DNS, and a typo is caught in the summary."""
    candidate = text.strip().strip(".,;:<>()[]\"'")
    if " " in candidate or len(candidate) > 254:
        return None
    try:
        return validate_email(candidate, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


# C0 and C1 control characters and lone surrogates: the intake service refuses them all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str, max_length: int) -> str | None:
    """Free text without control characters and surrounding space; None if empty or too long."""
    cleaned = " ".join(_CONTROL.sub(" ", text).split())
    if not cleaned or len(cleaned) > max_length:
        return None
    return cleaned


def parse_first_name(text: str) -> str | None:
    """A first name: letters, spaces, hyphens and apostrophes; at most 50 characters."""
    # NFC first: "José" typed as e + combining accent is one letter, and NFC can change the
    # length, which the 50-character limit must see.
    name = clean_text(unicodedata.normalize("NFC", text), 50)
    if name is None:
        return None
    name = re.sub(r"^(ze heet|hij heet|die heet|naam is|heet)\s+", "", name, flags=re.IGNORECASE)
    if not re.fullmatch(r"[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?", name) or len(name.split()) > 4:
        return None
    # `\w` also takes other number characters ("²", "½"): a name has letters only.
    if not all(c.isalpha() for c in re.sub(r"[ '\-.]", "", name)):
        return None
    first = name[:1].upper()  # keep the length: "ß".upper() is "SS"
    return (first if len(first) == 1 else name[:1]) + name[1:]
