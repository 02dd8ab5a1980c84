"""E-mail to the LANS team over SMTP, always with STARTTLS (never in plain text)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.notify.settings import NotifySettings
from bot.notify.texts import Message

# What a later attempt may cure: the server is down, slow, busy or said "try later" (4xx).
TRANSIENT = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException)


def build(settings: NotifySettings, message: Message) -> EmailMessage:
    mail = EmailMessage()
    sender = settings.lans_smtp_from or ""
    mail["From"] = sender
    mail["To"] = ", ".join(settings.email_to())
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    return mail


def send(settings: NotifySettings, message: Message) -> None:
    """One attempt; raises on any failure (the worker retries later). Blocking: call it in a
    thread."""
    context = ssl.create_default_context(cafile=settings.lans_smtp_ca_file)
    host = settings.lans_smtp_host or ""
    with smtplib.SMTP(
        host, settings.lans_smtp_port, timeout=settings.lans_smtp_timeout_seconds
    ) as smtp:
        smtp.ehlo()
        smtp.starttls(context=context)  # raises SMTPNotSupportedError without STARTTLS
        smtp.ehlo()
        if settings.lans_smtp_user:
            password = settings.lans_smtp_password
            smtp.login(settings.lans_smtp_user, password.get_secret_value() if password else "")
        smtp.send_message(build(settings, message))
