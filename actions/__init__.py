"""Custom actions for the LANS assistant (run by `rasa run actions`)."""
