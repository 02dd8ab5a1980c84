"""Custom actions for the LANS assistant (run by `rasa run actions`)."""

from actions.delivery import start_worker_if_configured

# Referrals still in the outbox from before a restart are delivered without waiting for a new one.
start_worker_if_configured()
