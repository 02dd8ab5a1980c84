"""The school's intake service: the queue that referrals from the assistant land in.

Runs in the service environment (modern Python), never inside Rasa: the action server posts
referrals here over HTTP with a bearer token and an idempotency key.
"""
