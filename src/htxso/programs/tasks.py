"""Deadline reminders of open calls (Django Tasks; cron runs ``python -m htxso call_reminders``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

#: Days before a deadline on which unfinished applications are reminded; 0 = the day itself.
REMINDER_DAYS = (7, 3, 1, 0)


@task()
def send_call_reminders(*, today: str | None = None) -> int:
    """Remind the managers of draft applications, and of applications asked for more
    information, that the deadline is near.  Returns the number of notifications.

    ``today`` (ISO date) freezes the clock for tests and replays."""
    from .models import Application, ApplicationStatus, CallProvince, CallStatus
    from .services.common import managers_of, notify

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    publications = CallProvince.objects.filter(call__status=CallStatus.OPEN).select_related("call")
    for publication in publications:
        deadline = publication.effective_deadline
        days = (timezone.localtime(deadline).date() - day).days
        if days not in REMINDER_DAYS:
            continue
        pending = Application.objects.filter(
            call=publication.call,
            organisation__province_id=publication.province_id,
            status__in=(ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED),
        ).select_related("organisation", "call")
        for application in pending:
            url = reverse("programs:application_detail", kwargs={"application_id": application.pk})
            when = timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")
            sent += notify(
                managers_of(application.organisation_id),
                "application.reminder",
                {
                    "name": application.organisation.name,
                    "title": application.call.title,
                    "date": when,
                },
                url,
            )
    return sent
