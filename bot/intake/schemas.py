"""The API's request and response bodies, with the validation the intake queue relies on.

Text is stored as given (HTML and SQL are just text; escaping is the renderer's job) but
trimmed, length-limited and free of control characters other than newline and tab.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.intake import reference as references
from bot.intake.contact import normalise_email, normalise_phone

_ALLOWED_CONTROLS = {"\n", "\t"}


def _reject_control_characters(value: str) -> str:
    """Control characters (and lone surrogates) break storage, CSV exports and terminals."""
    for char in value:
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError("control characters are not allowed (only newline and tab)")
    return value


_NO_CONTROLS = AfterValidator(_reject_control_characters)


def _bounds(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# Trimmed strings of bounded length without control characters.
Name = Annotated[str, _bounds(1, 50), _NO_CONTROLS]
ClassName = Annotated[str, _bounds(1, 40), _NO_CONTROLS]
Short = Annotated[str, _bounds(1, 100), _NO_CONTROLS]
Medium = Annotated[str, _bounds(1, 200), _NO_CONTROLS]
FreeText = Annotated[str, _bounds(0, 1000), _NO_CONTROLS]
SignalCode = Annotated[str, _bounds(1, 40), _NO_CONTROLS]
Version = Annotated[str, _bounds(1, 20), _NO_CONTROLS]


class ReferralIn(BaseModel):
    """A referral the parent confirmed in the assistant, after consent."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "child_first_name": "Sam",
                    "child_age": 13,
                    "child_class": "2B",
                    "absence_duration": "sinds de herfstvakantie",
                    "absence_extent": "ongeveer twee dagen per week",
                    "signs": "buikpijn op maandagochtend",
                    "check_signals": ["physical_complaints", "better_on_weekends"],
                    "both_parents_know": "ja",
                    "parent_name": "R. de Vries",
                    "phone": "06 12345678",
                    "email": None,
                    "contact_preference": "telefoon",
                    "contact_time": "doordeweeks na 16:00",
                    "consent_version": "2024-1",
                    "channel": "telegram",
                }
            ]
        },
    )

    reference: str | None = Field(
        None,
        description="Reference number chosen by the assistant, so the parent can be told it even "
        "while this service is down (the assistant's outbox delivers later). Omitted: the "
        "service draws one.",
    )
    child_first_name: Name = Field(description="The child's first name (1-50 characters).")
    child_age: int = Field(ge=4, le=20, strict=True, description="Age in years (4-20).")
    child_class: ClassName = Field(description="Class or group, e.g. '2B' (1-40).")
    absence_duration: Medium = Field(description="How long school has been missed (1-200).")
    absence_extent: Medium = Field(description="How much school is missed (1-200).")
    signs: FreeText = Field("", description="Signs the parent has seen, free text (0-1000).")
    check_signals: list[SignalCode] = Field(
        default_factory=list,
        max_length=20,
        description="Short codes of the early-signs check's signals (at most 20, each 1-40).",
    )
    both_parents_know: Literal["ja", "nee", "gedeeltelijk"] = Field(
        description="Whether both parents know about the referral."
    )
    parent_name: Short = Field(description="The parent's or guardian's name (1-100).")
    phone: str | None = Field(
        None,
        description="Dutch phone number in any common form; stored as E.164 (+31...). "
        "Phone or e-mail (or both) is required.",
    )
    email: str | None = Field(None, description="E-mail address (syntax is checked).")
    contact_preference: Literal["telefoon", "e-mail"] = Field(
        description="How the parent wants to be contacted; that contact must be given."
    )
    contact_time: Short = Field(description="When the parent prefers to be contacted (1-100).")
    consent_version: Version = Field(description="Version of the consent text the parent accepted.")
    channel: Literal["telegram", "web", "terminal", "test"] = Field(
        description="Where the referral was made."
    )

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = references.parse(value)
        if canonical is None:
            raise ValueError("not a reference number (six characters, e.g. 'K7M-4QX')")
        return canonical

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalise_phone(_reject_control_characters(value.strip()))

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalise_email(_reject_control_characters(value.strip()))

    @model_validator(mode="after")
    def _reachable(self) -> ReferralIn:
        if self.phone is None and self.email is None:
            raise ValueError("give a phone number or an e-mail address (or both)")
        if self.contact_preference == "telefoon" and self.phone is None:
            raise ValueError("contact_preference is 'telefoon' but no phone number was given")
        if self.contact_preference == "e-mail" and self.email is None:
            raise ValueError("contact_preference is 'e-mail' but no e-mail address was given")
        return self


class ReferralReceipt(BaseModel):
    """What the assistant tells the parent: the reference number and the status."""

    reference: str = Field(description="Reference number as shown to people, e.g. 'K7M-4QX'.")
    status: str = Field(description="Current status, e.g. 'nieuw'.")
    created_at: datetime = Field(description="When the referral was received (UTC).")


class WithdrawalIn(BaseModel):
    """A parent's request to withdraw a referral and erase its personal data."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reference": "K7M-4QX", "contact": "06-12345678"}]},
    )

    reference: str = Field(
        min_length=1, max_length=40, description="The reference number; case, spaces, dash free."
    )
    contact: str = Field(
        min_length=1, max_length=254, description="The phone number or e-mail address given."
    )


class WithdrawalResult(BaseModel):
    """The referral is withdrawn and its personal data are gone."""

    status: Literal["ingetrokken"] = "ingetrokken"


class Problem(BaseModel):
    """An error with a message that reveals nothing about stored data."""

    detail: str


QuestionText = Annotated[str, _bounds(1, 1000), _NO_CONTROLS]


class QuestionIn(BaseModel):
    """A student's anonymous question (never a name: the chat side does not ask for one)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"question": "Mag ik later beginnen?"}]}
    )

    question: QuestionText


class QuestionReceipt(BaseModel):
    """The pickup code, shown to the student once; the service keeps only a hash of it."""

    pickup_code: str = Field(examples=["KM7Q-4XTA"])
    status: Literal["nieuw"] = "nieuw"
    expires_at: datetime


class PickupIn(BaseModel):
    """A pickup code as the student typed it (any case, with or without spaces or a dash)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(max_length=40)]


class QuestionAnswerOut(BaseModel):
    """Where the question is; the answer once a staff member gave one."""

    status: Literal["nieuw", "beantwoord"]
    answer: str | None = None
    answered_at: datetime | None = None
    expires_at: datetime
