"""The students' anonymous web chat at /chat, served by the intake service's process."""

from bot.web.chat.app import install_web_chat

__all__ = ["install_web_chat"]
