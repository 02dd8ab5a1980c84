"""Data retention: erase conversations, questions and closed referrals after set periods.

Importing the package stays standard-library only, so the action server (engine environment)
can read the defaults in bot.retention.defaults too.
"""
