"""The action server's intake client against a small real HTTP server: which answers mean
"retry later" (the outbox keeps the referral) and which mean "rejected"."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from actions.intake_client import (
    IntakeClient,
    IntakeRejected,
    IntakeUnavailable,
    QuestionNotFound,
    WithdrawalNotFound,
)


class FakeIntake(BaseHTTPRequestHandler):
    status = 201
    # Set: answer at once. Cleared: hold the answer until the test ends (a slow service, slower
    # than any client timeout however busy the machine is; no race with a clock).
    answering: ClassVar[threading.Event] = threading.Event()
    seen: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeIntake.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
        FakeIntake.answering.wait(timeout=60)
        payload = json.dumps(
            {"reference": "K7M-4QX", "pickup_code": "KM7Q-4XTA", "status": "nieuw", "answer": "Ja."}
        ).encode()
        self.send_response(FakeIntake.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FakeIntake.status, FakeIntake.seen = 201, []
    FakeIntake.answering.set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeIntake)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    FakeIntake.answering.set()  # a held request ends now
    httpd.shutdown()


def client(url: str) -> IntakeClient:
    return IntakeClient(base_url=url, token="t" * 20, timeout=0.5)


def test_a_referral_is_posted_with_token_and_idempotency_key(server):
    assert client(server).submit_referral("key-1", {"a": 1}) == "K7M-4QX"
    (request,) = FakeIntake.seen
    assert request["path"] == "/api/v1/referrals"
    assert request["headers"]["Authorization"] == "Bearer " + "t" * 20
    assert request["headers"]["Idempotency-Key"] == "key-1"


def test_a_repeat_of_the_same_key_is_fine(server):
    FakeIntake.status = 200
    assert client(server).submit_referral("key-1", {"a": 1}) == "K7M-4QX"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_overload_and_server_errors_mean_retry_later(server, status):
    FakeIntake.status = status
    with pytest.raises(IntakeUnavailable):
        client(server).submit_referral("key-1", {})


def test_a_slow_service_means_retry_later(server):
    FakeIntake.answering.clear()  # the service answers only after the client gave up
    with pytest.raises(IntakeUnavailable):
        client(server).submit_referral("key-1", {})


def test_an_unreachable_service_means_retry_later():
    with pytest.raises(IntakeUnavailable):
        client("http://127.0.0.1:9").submit_referral("key-1", {})


@pytest.mark.parametrize("status", [401, 409, 413, 422])
def test_refusals_are_not_retried(server, status):
    FakeIntake.status = status
    with pytest.raises(IntakeRejected):
        client(server).submit_referral("key-1", {})


def test_withdrawal_outcomes(server):
    FakeIntake.status = 200
    client(server).withdraw("K7M4QX", "+31612345678")
    assert FakeIntake.seen[-1]["path"] == "/api/v1/referrals/withdraw"
    FakeIntake.status = 404
    with pytest.raises(WithdrawalNotFound):
        client(server).withdraw("K7M4QX", "+31612345678")


def test_questions_are_sent_and_answers_read(server):
    assert client(server).submit_question("mag ik iets vragen?") == "KM7Q-4XTA"
    assert FakeIntake.seen[-1]["body"] == {"question": "mag ik iets vragen?"}
    FakeIntake.status = 200
    assert client(server).question_answer("KM7Q-4XTA") == "Ja."
    assert FakeIntake.seen[-1]["path"] == "/api/v1/questions/answer"


@pytest.mark.parametrize("status", [404, 410])
def test_unknown_or_expired_codes(server, status):
    FakeIntake.status = status
    with pytest.raises(QuestionNotFound):
        client(server).question_answer("KM7Q-4XTA")


def test_a_used_up_pickup_budget_tells_the_student_to_try_later(server, monkeypatch):
    """The conversation's path to a pickup (security review, issue 18): when the intake
    service's service-wide budget of wrong codes is used up it answers 429, and the student
    hears to try again later, with the code still valid; no answer is shown."""
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.question_forms import ActionCheckAnswer

    monkeypatch.setenv("INTAKE_URL", server)
    monkeypatch.setenv("INTAKE_API_TOKEN", "t" * 20)
    FakeIntake.status = 429
    tracker = Tracker("s", {"pickup_code": "KM7Q-4XTA"}, {}, [], False, None, None, None)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckAnswer().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_question_unavailable_answer"]
    assert FakeIntake.seen[-1]["path"] == "/api/v1/questions/answer"
    assert events[0]["name"] == "pickup_code" and events[0]["value"] is None
