"""The Telegram bridge for parents: Telegram <-> Rasa's REST channel (`python -m bot.telegram`)."""
