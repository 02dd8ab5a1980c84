"""Choose the crisis answer: by the kind of crisis the NLU found and who writes about whom.

The crisis answer itself (utter_crisis) follows at once, by rule; this action only sets
the slots its variations depend on, so the help lines shown fit the situation (Veilig
Thuis for violence at home, 113 for thoughts of suicide or self-harm, 112 first for medical
danger) and the writer: a young person about themself, a student about a friend, a parent
about their child, an adult about themself. When the role is not known yet, the message
itself decides ("mijn zoon" is a parent, "mijn vriendin" a student about a friend).

It also sets what stays for the rest of the conversation: `crisis_lines` (which help lines
the footer after every later reply names; bot/engine/help_line_channel.py) and
`crisis_register` (u or je). A second crisis of another kind widens the footer to all lines.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.channels import channel
from actions.entities import latest_entity_values

ANSWER_BY_SIGNAL = {
    "suicide": "suicide",
    "self_harm": "suicide",
    "farewell": "suicide",
    "abuse": "abuse",
    "danger": "general",
    "medical": "general",
    "threat": "general",
}
ADULT_ROLES = {"ouder", "medewerker"}
_MY = r"(?:mijn|mn|m'n|me|onze|ons)"
CHILD = re.compile(
    rf"\b{_MY}\s+(?:(?:oudste|jongste|middelste|eigen|kleine|grote)\s+)?"
    r"(?:zoon|zoontje|dochter|dochtertje|kind|kindje|kinderen|jongen|jongetje|meisje|puber|"
    r"tiener|oudste|jongste|middelste|stief\w+|pleeg\w+|klein(?:zoon|dochter|kind)|leerling)\b",
    re.IGNORECASE,
)
FRIEND = re.compile(
    rf"\b(?:{_MY}|een|n|'n|de|die)\s+(?:beste\s+)?(?:vriend|vriendin|vriendje|vriendinnetje|"
    r"maat|maatje|klasgenoot|klasgenote|bff|bestie|broer|broertje|zus|zusje|nichtje|neefje|"
    r"buurjongen|buurmeisje)\b"
    r"|\biemand\b(?!\s+thuis)"
    r"|\b(?:een|de|die|n)\s+(?:jongen|meisje|gast|kind)\s+(?:uit|van|bij|op|in)\b",
    re.IGNORECASE,
)
# The writer is the one hurt: "mijn vriend slaat me", "iemand thuis zit aan me".
WRITER_HURT = re.compile(
    r"\b(?:slaat|sloeg|schopt|schopte|bedreigt|bedreigde|raakt|raakte|misbruikt|dwingt|"
    r"chanteert|zit|zat|komt|kwam)\s+(?:\w+\s+)?(?:aan\s+)?(?:me|mij)\b",
    re.IGNORECASE,
)
THIRD_PERSON = re.compile(r"\b(?:hij|zij|ze|haar|hem|zijn)\b", re.IGNORECASE)
# An adult about their own partner: "mijn man slaat me", "mijn ex bedreigt ons".
PARTNER = re.compile(
    rf"\b{_MY}\s+(?:man|vrouw|echtgenoot|echtgenote|partner|ex|ex-man|exman|ex-vrouw|"
    r"ex-partner|schoonmoeder|schoonvader)\b",
    re.IGNORECASE,
)
# An adult who says who they are ("ik ben moeder van...", "ik ben zelf ouder").
ADULT_WRITER = re.compile(
    r"\bik\s+ben\s+(?:zelf\s+)?(?:de\s+)?(?:moeder|vader|ouder|mama|papa|pleegmoeder|"
    r"pleegvader|stiefmoeder|stiefvader|oma|opa|voogd)\b",
    re.IGNORECASE,
)
# An adult about their own life, even when the child is named: "ik wil er zelf niet meer zijn".
ADULT_ABOUT_SELF = re.compile(
    r"\bzelf\b|\bzonder\s+mij\b|\bals\s+ik\s+er\s+niet\s+meer\s+ben\b", re.IGNORECASE
)


# Who the message is about first: the writer ("ik", "kheb") or someone else ("hij", "mn vriendin").
WRITER_SUBJECT = re.compile(r"\b(?:ik|kheb|kben|kzit|kwil|kga|kan|i|i'm|im)\b", re.IGNORECASE)
OTHER_SUBJECT = re.compile(
    rf"{FRIEND.pattern}|\b(?:hij|zij|ze|ie)\b|\bmy\s+(?:best\s+)?friend\b", re.IGNORECASE
)


def about_friend(text: str) -> bool:
    """'mijn vriendin wil dood, wat moet ik doen' and 'iemand uit mijn klas appte me...' are
    about someone else; 'mijn vriend slaat me' and 'ik heb al mn spullen aan mn zusje
    gegeven' are about the writer: whoever the message names first."""
    other = OTHER_SUBJECT.search(text)
    if other is None or WRITER_HURT.search(text):
        return False
    writer = WRITER_SUBJECT.search(text)
    return writer is None or other.start() < writer.start()


def channel_role(role: str | None, sender_id: str) -> str | None:
    """The role, or who uses the channel: parents Telegram, students the web chat."""
    if role is not None:
        return role
    return {"telegram": "ouder", "web": "leerling"}.get(channel(sender_id))


def audience(role: str | None, text: str, channel_default: str | None = None) -> str:
    """Who is writing about whom: the role the conversation knows, else what the message
    says ("mijn zoon", "ik ben moeder van", "mijn man"), else who uses the channel."""
    if role is None and not (CHILD.search(text) or ADULT_WRITER.search(text)):
        role = None if PARTNER.search(text) else channel_default
    if role in ADULT_ROLES or (role is None and ADULT_WRITER.search(text)):
        if ADULT_ABOUT_SELF.search(text):
            return "adult"
        about_child = CHILD.search(text) or THIRD_PERSON.search(text)
        return "parent" if about_child else "adult"
    if role is None and CHILD.search(text):
        return "parent"
    if role is None and PARTNER.search(text):
        return "adult"
    return "friend" if about_friend(text) else "young"


def crisis_answer(
    signals: list[str], role: str | None, text: str, channel_default: str | None = None
) -> str:
    # When only the classifiers recognised the crisis, its kind is unknown: name every line.
    kind = ANSWER_BY_SIGNAL.get(signals[0], "general") if signals else "general"
    reader = audience(role, text, channel_default)
    if kind == "general" and reader == "adult":
        reader = "parent"  # the general adult answer covers "you or your child"
    return f"{kind}_{reader}"


def footer_lines(answer: str, earlier: str | None) -> str:
    """Help lines for the rest of the conversation: this crisis's, or all after two kinds."""
    kind = answer.split("_", 1)[0]
    return kind if earlier in (None, kind) else "general"


def register(answer: str) -> str:
    return "je" if answer.endswith(("_young", "_friend")) else "u"


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        signals = latest_entity_values(tracker, "crisis_signal")
        text = tracker.latest_message.get("text") or ""
        by_channel = channel_role(None, tracker.sender_id or "")
        answer = crisis_answer(signals, tracker.get_slot("role"), text, by_channel)
        return [
            SlotSet("crisis_active", True),
            SlotSet("crisis_answer", answer),
            SlotSet("crisis_lines", footer_lines(answer, tracker.get_slot("crisis_lines"))),
            SlotSet("crisis_register", register(answer)),
        ]
