"""Background work through the Django Tasks API.

The database backend (``django_tasks_db``) stores tasks; ``python -m htxso db_worker``
runs them.  Tests use the immediate backend, so a task runs as soon as it is enqueued.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; returns the number sent."""
    return send_mail(subject, body, None, recipients, fail_silently=False)
