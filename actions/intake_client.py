"""HTTP client for the school's intake service (bot/intake), as the action server sees it.

One attempt per call; retrying is the outbox's job. Errors are split into "try again later"
(unreachable, timeout, 5xx, 429) and "rejected" (any other 4xx), which retrying cannot fix.
Nothing personal is ever put in an exception message: they end up in logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import requests

DEFAULT_URL = "http://127.0.0.1:8040"


class IntakeUnavailable(Exception):
    """The intake service could not be reached or is overloaded; try again later."""


class IntakeRejected(Exception):
    """The intake service refused the request; sending it again will not help."""


class WithdrawalNotFound(Exception):
    """Reference and contact details do not match a referral that can be withdrawn."""


class QuestionNotFound(Exception):
    """No question with this pickup code (wrong, or expired and erased)."""


@dataclass(frozen=True)
class IntakeClient:
    base_url: str
    token: str
    timeout: float = 5.0

    @classmethod
    def from_env(cls) -> IntakeClient:
        return cls(
            base_url=os.environ.get("INTAKE_URL", DEFAULT_URL).rstrip("/"),
            token=os.environ.get("INTAKE_API_TOKEN", ""),
            timeout=float(os.environ.get("INTAKE_TIMEOUT_SECONDS", "5")),
        )

    def _post(self, path: str, body: dict, headers: dict[str, str] | None = None):
        try:
            response = requests.post(
                f"{self.base_url}{path}",
                json=body,
                headers={"Authorization": f"Bearer {self.token}", **(headers or {})},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise IntakeUnavailable(type(error).__name__) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise IntakeUnavailable(f"HTTP {response.status_code}")
        return response

    def submit_referral(self, idempotency_key: str, payload: dict) -> str:
        """Create the referral (or find the one this key already created); its reference."""
        response = self._post(
            "/api/v1/referrals", payload, headers={"Idempotency-Key": idempotency_key}
        )
        if response.status_code not in (200, 201):
            raise IntakeRejected(f"HTTP {response.status_code}")
        return response.json()["reference"]

    def withdraw(self, reference: str, contact: str) -> None:
        body = {"reference": reference, "contact": contact}
        response = self._post("/api/v1/referrals/withdraw", body)
        if response.status_code == 404:
            raise WithdrawalNotFound
        if response.status_code != 200:
            raise IntakeRejected(f"HTTP {response.status_code}")

    def submit_question(self, question: str) -> str:
        """Leave an anonymous question; the pickup code as shown to the student."""
        response = self._post("/api/v1/questions", {"question": question})
        if response.status_code != 201:
            raise IntakeRejected(f"HTTP {response.status_code}")
        return response.json()["pickup_code"]

    def question_answer(self, code: str) -> str | None:
        """The staff answer to the question with this code, or None while there is none."""
        response = self._post("/api/v1/questions/answer", {"code": code})
        if response.status_code in (404, 410):
            raise QuestionNotFound
        if response.status_code != 200:
            raise IntakeRejected(f"HTTP {response.status_code}")
        return response.json().get("answer")
