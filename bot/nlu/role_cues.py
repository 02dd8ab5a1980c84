"""Who is writing, from what the message itself says: the one place that reads the role.

Parents name their child ("mijn zoon", "onze dochter") or say who they are ("ik ben de
moeder"); staff say their job ("ik ben mentor van 2b", "een leerling van mij"); students give
their age, their class, their parents, mentor or teachers, or say that they themselves do not
dare to go to school. When cues of more than one role appear, the most explicit wins: a job,
then a parent's own child, then a student's cues ("mijn dochter zegt dat haar mentor..." is a
parent; "ik ben mentor, mijn leerling zegt 'mijn ouders weten het niet'" is staff).
"""

from __future__ import annotations

import re

PARENT, STUDENT, STAFF = "ouder", "leerling", "medewerker"

_JOB = (
    r"mentor|mentrix|docent|docente|leraar|lerares|leerkracht|juf|meester|"
    r"zorg-?co(?:[oö]|o\u0308)rdinator|zoco|intern\s+begeleider|ib-?er|"
    r"onderwijsassistent|klassenassistent|teamleider|afdelingsleider|conrector|rector|"
    r"directeur|schoolmaatschappelijk\s+werker|orthopedagoog|gedragsspecialist|"
    r"jeugdconsulent|jeugdarts|schoolverpleegkundige|leerplichtambtenaar|stagiair\w*"
)
STAFF_CUES = re.compile(
    rf"\bik\s+ben\s+(?:hier\s+|zelf\s+|trouwens\s+|eigenlijk\s+|de\s+nieuwe\s+)?(?:de\s+|een\s+|zijn\s+|haar\s+)?(?:nieuwe\s+)?(?:{_JOB})\b"
    rf"|\b(?:als|hier)\s+(?:de\s+)?(?:{_JOB})\b"
    rf"|\b(?:dat|omdat|want)\s+ik\s+(?:hier\s+|zelf\s+)?(?:{_JOB})\s+ben\b"
    r"|\b(?:als|wanneer|of)\s+een\s+leerling\s+(?:mij|me|mijn)\b"
    rf"|^\W*(?:{_JOB})\s+(?:hier|van\s+(?:klas\s+)?\d)"
    r"|\b(?:een|twee|drie|meerdere|sommige)\s+(?:van\s+)?(?:mijn|m'n|mn)\s+leerlingen\b"
    r"|\b(?:een\s+)?leerling\s+van\s+(?:mij|me)\b|\bmijn\s+leerlingen?\b"
    r"|\bmijn\s+mentorklas\b|\bik\s+geef\s+(?:les|\w+\s+les)\b",
    re.IGNORECASE,
)
PARENT_CUES = re.compile(
    r"\b(?:mijn|mn|m'n|onze|ons)\s+(?:(?:oudste|jongste|middelste|eigen)\s+)?"
    r"(?:zoon|zoontje|dochter|dochtertje|kind|kindje|kinderen|kids|"
    r"(?:stief|pleeg|klein)(?:zoon|dochter|kind|kinderen))\b"
    r"|\bik\s+ben\s+(?:zelf\s+|trouwens\s+|eigenlijk\s+)?(?:de\s+|een\s+|zijn\s+|haar\s+)?(?:alleenstaande\s+)?"
    r"(?:moeder|vader|ouder|mama|papa|mam|pap|stiefmoeder|stiefvader|pleegmoeder|pleegvader|"
    r"pleegouder|oma|opa|voogd|verzorger)\b"
    r"|\bals\s+(?:moeder|vader|ouder|ouders|mama|papa)\b"
    r"|^\W*(?:moeder|vader|mama|papa|ouder)\s+(?:hier|van)\b",
    re.IGNORECASE,
)
# Ages a student gives (10 to 19): "ik ben 14", "ik ben 15 jaar", "ben 13".
_AGE = r"(?:1[0-9])"
STUDENT_CUES = re.compile(
    rf"\b(?:ik\s+ben|ben|k\s*ben|kben|ik\s+b?en\s+pas)\s+{_AGE}\b(?!\s*(?:uur|minuten|dagen|weken|keer))"
    rf"|\bik\s+ben\s+{_AGE}\s+jaar\b"
    r"|\bik\s+zit\s+in\s+(?:de\s+|groep\s+|klas\s+|het\s+)?(?:\d|brugklas|eerste|tweede|derde|"
    r"vierde|vijfde|zesde|havo|vwo|vmbo|mavo|examenklas|onderbouw|bovenbouw)"
    r"|\b(?:mijn|mn|m'n)\s+(?:ouders|mentor|mentrix|juf|meester|leraar|lerares|docent|docenten|"
    r"leraren|klasgenoten|klas|klasgenoot|school|mama|papa|pa|ma|moeder|vader|"
    r"stiefmoeder|stiefvader|pleegouders|pleegmoeder|pleegvader)\b"
    # "ik ben die jongen / zelf die dochter": a student who first wrote as someone else.
    r"|\b(?:ik\s+ben|ben\s+ik)\s+(?:\w+\s+){0,2}?(?:die|dat|het|de)\s+(?:jongen|meisje|dochter|zoon|kind)\b"
    r"(?!\s+van\s+(?:de|een)\s+(?:leerling|jongen|meisje))"
    r"|\b(?:mezelf|mijzelf)\s+(?:aanmelden|opgeven)\b"
    r"|\bik\s+(?:durf|wil|kan|ga)\s+(?:\w+\s+){0,2}nie?t?\s+(?:meer\s+)?naar\s+school\b"
    r"|\bik\s+(?:spijbel|word\s+gepest|wordt\s+gepest)\b"
    r"|\bik\s+ben\s+(?:zelf\s+|trouwens\s+|gewoon\s+)?(?:een\s+|de\s+)?(?:leerling|scholier)\b",
    re.IGNORECASE,
)


def role_from_text(text: str) -> tuple[str, re.Match[str]] | None:
    """The role the message says its writer has, with the words that say so."""
    for role, cues in ((STAFF, STAFF_CUES), (PARENT, PARENT_CUES), (STUDENT, STUDENT_CUES)):
        match = cues.search(text)
        if match:
            return role, match
    return None
