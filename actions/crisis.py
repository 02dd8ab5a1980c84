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
# What someone quotes ("hij zei 'ik wil dood'") is not the writer speaking; the apostrophes
# of m'n, z'n and 's avonds are not quotes.
QUOTED = re.compile(r"(?:(?<=[\s:(])|^)['\"‘“][^'\"‘’“”\n]{2,200}?['\"’”](?=[\s.,!?:;)]|$)")
CHILD = re.compile(
    rf"\b{_MY}\s+(?:(?:oudste|jongste|middelste|eigen|kleine|grote)\s+)?"
    r"(?:zoon|zoontje|dochter|dochtertje|kind|kindje|kinderen|jongen|jongetje|meisje|puber|"
    r"tiener|oudste|jongste|middelste|(?:stief|pleeg)(?:zoon|dochter|kind|kinderen)|"
    r"klein(?:zoon|dochter|kind)|leerling)\b"
    # A parent in a hurry drops the "mijn": "zoon niet thuis", "net bericht van dochter".
    r"|(?<!\bde )(?<!\been )(?<!\bdie )(?<!\bhaar )(?<!\bzijn )(?<!\bz'n )(?<!\bhun )"
    r"\b(?:zoon|dochter)\b",
    re.IGNORECASE,
)
# Someone of the writer's own age: a friend, classmate, sibling, someone online. Not an adult
# ("de vriend van mijn moeder"), and not someone the writer talks to or gives things to
# ("tegen mn maat gezegd", "brieven voor mijn zus").
_PEER_NOUN = (
    r"(?:beste\s+)?(?:vriend|vriendin|vriendje|vriendinnetje|vrient|maat|maatje|mattie|sahbi|"
    r"bro|duo|teammate|klasgenoot|klasgenote|kamergenoot|teamgenoot|bff|bestie|broer|broertje|"
    r"zus|zusje|nichtje|neefje|neef|nicht|buurjongen|buurmeisje)\b(?:\s+van\s+(?:me|mij)\b)?"
    r"(?!\s+van\s+(?:mijn|mn|m'n|me)\s+(?:vader|moeder|pa|ma|ouders|oom|tante))"
)
_SOMEONE = r"(?:jongen|meisje|gast|kid|dude|leerling|kind)\s+(?:uit|van|bij|op|in|die)\b"
PEER = re.compile(
    rf"(?<!\btegen )(?<!\baan )(?<!\bvoor )(?<!\bnaast )"
    rf"(?:\b(?:{_MY}|een|n|'n|de|die)\s+(?:ene\s+)?|^\W*(?!bro\b))(?:{_PEER_NOUN}|{_SOMEONE})"
    r"|\biemand\s+(?:uit|van|op|in)\b|^\W*iemand\b(?!\s+thuis)"
    r"|\bmy\s+(?:best\s+)?friend\b|\bmy\s+bff\b"
    r"|^\W*(?:hij|zij|ie)\b|^\W*ze\b(?!\s+\w+en\b)",
    re.IGNORECASE,
)
# The writer is the one hurt: "mijn vriend slaat me", "hij komt bij me in bed". A "me" that
# only says who was told or given something ("mn mattie appte me dat...", "gaf me zn ketting")
# does not count, unless what is asked of the writer is the harm ("hij vraagt me om foto's").
ME = re.compile(r"\b(?:me|mij)\b", re.IGNORECASE)
TOLD = re.compile(
    r"^(?:vertel\w*|verteld|zeg\w*|zei\w*|gezegd|gezegt|app\w*|apt|geappt|stuur\w*|gestuurd|"
    r"schreef|schrijf\w*|geschreven|bel\w*|gebeld|vraag\w*|vroeg\w*|gevraagd|laat|liet|laten|"
    r"zien|toon\w*|getoond|dm\w*|snap\w*|uitgelegd|legde|gaf|geeft|gegeven|gegeve|geloof\w*|"
    r"reageer\w*|reageert|showed|told|sent|texted|geblokt|blokt|blokkeert)$",
    re.IGNORECASE,
)
# Only before the "me": "tegen me gezegd", "uit me klas", "ik maak me zorgen".
TOLD_BEFORE = re.compile(
    r"^(?:naast|tegen|op|uit|in|voor|van|bij|maak|maakte|voel|voelde|kmaak|kvoel)$", re.IGNORECASE
)
CLAUSE_END = re.compile(r"[,.;:!?]|\b(?:en|dat|maar|want|als|omdat)\b", re.IGNORECASE)
HARM_ASKED = re.compile(
    r"\bom\s+(?:\w+\s+){0,2}(?:foto|nudes|naakt|pics|seks)|\bnudes\b|\bnaakt|\buitkleden\b|"
    r"\bafspreken\b",
    re.IGNORECASE,
)
# Someone wants something of the writer, or threatens them: "hij wil dat ik...", "als ik niet".
WRITER_PRESSED = re.compile(
    r"\b(?:wil|wilt|wilde)\s+dat\s+ik\b|\bdreig\w*|\bals\s+ik\s+(?:niet|geen|nie)\b",
    re.IGNORECASE,
)
# The writer about their own life: "als ik er niet meer ben", "zonder mij".
ADULT_SELF = (
    r"\bals\s+ik\s+(?:er\s+)?(?:niet\s+meer|weg)\b|\bzonder\s+mij\b"
    r"|\bik\s+(?:wil|ga|zou)\s+(?:\w+\s+){0,3}(?:dood|despawnen|eruit|er\s+niet\s+meer|"
    r"niet\s+meer\s+(?:leven|zijn|wakker))"
    r"|\bik\s+(?:\w+\s+){0,6}(?:een\s+)?einde?\s+aan\s+(?:te\s+)?maken"
)
SELF_CRISIS = re.compile(
    # A message that starts with its verb ("heb mn spullen weggegeven") is about the writer.
    rf"^\W*(?:heb|ben|zit|sta|wil|ga|kan)\b|{ADULT_SELF}"
    r"|\bik\s+heb\s+(?:\w+\s+){0,4}nie?t?\s+meer\s+nodig\b"
    r"|\bik\s+zit\s+(?:onder|in|op)\s+(?:mijn|mn|m'n|me)\b"
    r"|\b(?:mijn|mn|m'n)\s+laatste\b"
    r"|\ben\s+ik\s+(?:zitten|zijn|liggen|staan|worden|moeten|durven)\b",
    re.IGNORECASE,
)
# The writer speaks first ("gisteren heb ik mijn broertje..."), unless only as the witness.
WRITER = re.compile(r"\bik\b", re.IGNORECASE)
WITNESS = re.compile(
    r"^(?:zag|zie|hoorde|hoor|las|lees|merk\w*|weet|wist|denk|dacht|ben|maak|kreeg|krijg)$",
    re.IGNORECASE,
)
# An adult hurt by their partner: "mijn man slaat me", "heeft me tegen de grond geschopt".
ADULT_HURT = re.compile(
    r"\b(?:me|mij|ons)\s+(?:\w+\s+){0,4}(?:geslagen|geschopt|geduwd|bedreigd|gewurgd|"
    r"opgesloten|verkracht|aangerand)\b"
    r"|\b(?:slaat|sloeg|schopt|schopte|duwt|duwde|bedreigt|bedreigde|wurgt|wurgde)\s+"
    r"(?:\w+\s+)?(?:me|mij|ons)\b",
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


def unquoted(text: str) -> str:
    return QUOTED.sub(" ", text)


def writer_hurt(text: str, peers: list[re.Match[str]]) -> bool:
    """A "me" or "mij" that is not part of a peer's name ("een vriend van me", "me vriend")
    and not only the one who was told or given something."""
    for me in ME.finditer(text):
        if any(p.start() <= me.start() < p.end() for p in peers):
            continue
        near = text[max(0, me.start() - 40) : me.start()]
        before, after = near.split()[-3:], text[me.end() : me.end() + 60]
        clause = CLAUSE_END.split(after, maxsplit=1)[0].split()[:5]
        told = any(TOLD.match(w) or TOLD_BEFORE.match(w) for w in before) or any(
            TOLD.match(w) for w in clause
        )
        if not told or HARM_ASKED.search(near) or HARM_ASKED.search(after):
            return True
    return bool(WRITER_PRESSED.search(text))


def writer_first(text: str, peer: re.Match[str]) -> bool:
    for ik in WRITER.finditer(text, 0, peer.start()):
        around = text[max(0, ik.start() - 20) : ik.end() + 20].split()
        if not any(WITNESS.match(word) for word in around):
            return True
    return False


def about_friend(text: str) -> bool:
    """'mijn vriendin wil dood, wat moet ik doen' and 'iemand uit mijn klas appte me...' are
    about someone else; 'mijn vriend slaat me', 'mijn vader slaat de deur kapot, ik ben bang'
    and 'ik heb al mn spullen aan mn zusje gegeven' are about the writer. A friend must be
    named (or be the message's first word, "hij zegt dat..."); adults at home are not friends."""
    plain = unquoted(text)
    peers = list(PEER.finditer(plain))
    if not peers or SELF_CRISIS.search(plain) or writer_first(plain, peers[0]):
        return False
    return not writer_hurt(plain, peers)


def channel_role(role: str | None, sender_id: str) -> str | None:
    """The role, or who uses the channel: parents Telegram, students the web chat."""
    if role is not None:
        return role
    return {"telegram": "ouder", "web": "leerling"}.get(channel(sender_id))


def audience(role: str | None, text: str, channel_default: str | None = None) -> str:
    """Who is writing about whom: the role the conversation knows, else what the message
    says ("mijn zoon", "ik ben moeder van", "mijn man"), else who uses the channel."""
    text = unquoted(text)
    if role is None and not (CHILD.search(text) or ADULT_WRITER.search(text)):
        role = None if PARTNER.search(text) else channel_default
    if role in ADULT_ROLES or (role is None and ADULT_WRITER.search(text)):
        if re.search(ADULT_SELF, text, re.IGNORECASE) or ADULT_HURT.search(text):
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
        # Who this message says writes (bot/nlu/role_cues.py) outranks the slot: a crisis
        # message does not fill the slot, and the slot may only hold the channel's default.
        stated = latest_entity_values(tracker, "role")
        role = stated[0] if stated else tracker.get_slot("role")
        answer = crisis_answer(signals, role, text, by_channel)
        return [
            SlotSet("crisis_active", True),
            SlotSet("crisis_answer", answer),
            SlotSet("crisis_lines", footer_lines(answer, tracker.get_slot("crisis_lines"))),
            SlotSet("crisis_register", register(answer)),
        ]
