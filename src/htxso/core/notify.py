"""Notifications sent after the surrounding transaction commits."""

from __future__ import annotations

from django.db import transaction

from .tasks import send_email


def email_after_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    """Queue an e-mail to go out once the current transaction has committed.

    If the transaction rolls back, nothing is sent.
    """
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.enqueue(subject=str(subject), body=str(body), recipients=recipients)
    )
