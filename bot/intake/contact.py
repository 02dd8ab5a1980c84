"""Normalising phone numbers and e-mail addresses, the same way at referral and withdrawal.

The blind-index columns only match if both sides normalise identically, so it lives here once.
"""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_PHONE_INPUT = 40
MAX_EMAIL_INPUT = 254


class InvalidContactError(ValueError):
    """The text is not a usable Dutch phone number or e-mail address."""


def normalise_phone(raw: str) -> str:
    """A valid Dutch number in E.164 ("+31612345678"); accepts 06-, 0031- and +31 forms."""
    if len(raw) > MAX_PHONE_INPUT:
        raise InvalidContactError("phone number is too long")
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException as error:
        raise InvalidContactError("not a phone number") from error
    if number.country_code != 31 or not phonenumbers.is_valid_number(number):
        raise InvalidContactError("not a valid Dutch phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """The address with a valid syntax, normalised by email-validator (no DNS look-up)."""
    if len(raw) > MAX_EMAIL_INPUT:
        raise InvalidContactError("e-mail address is too long")
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidContactError(f"not a valid e-mail address: {error}") from error


def email_lookup_form(email: str) -> str:
    """The e-mail as hashed for the lookup column: normalised and lower-cased."""
    return normalise_email(email).lower()
