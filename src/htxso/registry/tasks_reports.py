"""Reminders of the annual report (Django Tasks; cron runs ``python -m htxso report_reminders``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from .models import AnnualReport, Organisation, OrganisationStatus, ReportStatus, report_due_date
from .services.reports import today_local
from .services.reports_notify import organisation_manager_emails

#: Days before 15 December on which managers are reminded; 0 = the day itself.
REMINDER_DAYS = (30, 14, 7, 3, 1, 0)
#: After the deadline, remind every this many days (until the end of the year).
OVERDUE_EVERY_DAYS = 7


def due_for_reminder(year: int, today: dt.date) -> bool:
    days = (report_due_date(year) - today).days
    if days in REMINDER_DAYS:
        return True
    return days < 0 and today.year == year and (-days) % OVERDUE_EVERY_DAYS == 0


def organisations_to_remind(year: int) -> list[Organisation]:
    done = AnnualReport.objects.filter(
        year=year, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    ).values("organisation_id")
    return list(Organisation.objects.filter(status=OrganisationStatus.ACTIVE).exclude(pk__in=done))


@task()
def send_report_reminders(
    *, year: int | None = None, today: str | None = None, force: bool = False
) -> int:
    """E-mail the managers of organisations without a submitted report; returns the count.

    ``today`` (ISO date) freezes the clock for tests and replays; ``force`` sends even on
    a day that is not a reminder day.
    """
    from django.core.mail import send_mail
    from django.utils import translation

    day = dt.date.fromisoformat(today) if today else today_local()
    year = year or day.year
    if not force and not due_for_reminder(year, day):
        return 0
    organisations = organisations_to_remind(year)
    managers = organisation_manager_emails(o.pk for o in organisations)
    due = report_due_date(year)
    sent = 0
    for organisation in organisations:
        for email, language in managers.get(organisation.pk, []):
            link = settings.SITE_URL + reverse(
                "registry:report_edit", kwargs={"org_pk": organisation.pk, "year": year}
            )
            with translation.override(language):
                params = {
                    "year": year,
                    "name": organisation.name,
                    "date": due.strftime("%d/%m/%Y"),
                    "link": link,
                }
                if day > due:
                    subject = _("HTX Số: the %(year)s annual report is overdue") % params
                else:
                    subject = _("HTX Số: the %(year)s annual report is due by %(date)s") % params
                body = (
                    _(
                        "The %(year)s annual report of %(name)s (form VII-2) has not been "
                        "submitted yet. It is due by %(date)s; a report submitted later is "
                        "marked late.\n\n%(link)s"
                    )
                    % params
                )
            sent += send_mail(subject, body, None, [email], fail_silently=True)
    return sent
