"""Keeping anonymous questions anonymous: a question with a phone number or e-mail address in
it is refused, in the conversation (actions/question_forms.py) and in the web chat's question
box (bot/web/chat) alike. Standard library only: the action server (Rasa's Python) uses it too.
"""

from __future__ import annotations

import re

# An e-mail address, or a Dutch phone number (06-12345678, +31 6 1234 5678, 0031..., 040-...).
CONTACT_DETAILS = re.compile(r"@\S+\.\S+|(?:\+31|0031|\b0)[\s-]?\d(?:[\s-]?\d){7,9}\b")


def has_contact_details(text: str) -> bool:
    """True when `text` holds something that looks like a phone number or e-mail address."""
    return CONTACT_DETAILS.search(text) is not None
