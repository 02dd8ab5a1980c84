"""Notifications for the LANS team: a new referral or anonymous question gives an e-mail
(SMTP with STARTTLS) and/or a Telegram message to a staff group, or one daily digest.

They carry no personal data: the kind of item, its reference (referrals), the time and a link
to the dashboard. A row per item and channel is stored in the same transaction as the item
(outbox.py); a worker in the intake service sends it outside the request and deletes it
(worker.py). Off unless configured (settings.py).
"""
