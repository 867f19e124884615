"""Annual-report services: deadline and late flag with a frozen day, locking, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from htxso.core.errors import Kind, ServiceError
from htxso.registry.models import AnnualReport, ReportStatus, report_due_date
from htxso.registry.services import reports as services
from htxso.registry.tasks_reports import due_for_reminder, send_report_reminders

pytestmark = pytest.mark.django_db
YEAR = 2025
DATA = {"members_official": 7, "members_associate": 0, "workers_total": 5, "workers_youth": 2}


def draft(world, year=YEAR, today=None):
    return services.annual_report_save(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        year=year,
        data=DATA,
        today=today or dt.date(year, 6, 1),
    )


def test_due_date_is_15_december():
    assert report_due_date(2025) == dt.date(2025, 12, 15)


@pytest.mark.parametrize(
    "today,late",
    [(dt.date(2025, 12, 15), False), (dt.date(2025, 12, 16), True), (dt.date(2026, 3, 1), True)],
)
def test_submission_after_the_deadline_is_allowed_but_late(world, today, late):
    report = draft(world)
    report = services.annual_report_submit(
        actor=world.users["manager_a1"], report=report, today=today
    )
    assert report.status == ReportStatus.SUBMITTED
    assert timezone_date(report.submitted_at) == today
    assert services.is_late(report) is late
    event = report.events.get(to_status="submitted")
    assert bool(event.comment) is late


def timezone_date(value):
    from django.utils import timezone

    return timezone.localtime(value).date()


def test_unsubmitted_report_is_late_after_the_deadline(world):
    report = draft(world)
    assert not services.is_late(report, today=dt.date(2025, 12, 15))
    assert services.is_late(report, today=dt.date(2025, 12, 16))


def test_resubmission_keeps_the_first_submission_date(world):
    report = draft(world)
    report = services.annual_report_submit(
        actor=world.users["manager_a1"], report=report, today=dt.date(2025, 12, 10)
    )
    report = services.annual_report_return(
        actor=world.users["officer_a"], report=report, comment="Thiếu số liệu"
    )
    report = services.annual_report_submit(
        actor=world.users["manager_a1"], report=report, today=dt.date(2025, 12, 20)
    )
    assert timezone_date(report.submitted_at) == dt.date(2025, 12, 10)
    assert not services.is_late(report)


def test_year_in_the_future_refused(world):
    with pytest.raises(ValidationError) as err:
        draft(world, year=2026, today=dt.date(2025, 12, 31))
    assert err.value.error_dict["year"][0].code == "year_in_future"


@pytest.mark.parametrize(
    "data,code",
    [
        ({"revenue": -1}, "negative"),
        ({"revenue": 10**13 + 1}, "absurd"),
        ({"average_income_month": 10**9 + 1}, "absurd"),
        ({"workers_total": 3, "workers_youth": 4}, "youth_above_workers"),
        ({"revenue": 5, "revenue_from_members": 6}, "member_revenue_above_revenue"),
        ({"members_official": "7"}, "not_integer"),
    ],
)
def test_figures_refused(world, data, code):
    with pytest.raises(ValidationError) as err:
        services.annual_report_save(
            actor=world.users["manager_a1"],
            organisation=world.orgs["a1"],
            year=YEAR,
            data={**DATA, **data},
        )
    codes = {e.code for errors in err.value.error_dict.values() for e in errors}
    assert code in codes
    assert not AnnualReport.objects.exists()


def test_boundaries_accepted(world):
    report = services.annual_report_save(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        year=YEAR,
        data={
            **DATA,
            "revenue": 10**13,
            "average_income_month": 10**9,
            "profit": -(10**9),
            "workers_youth": 5,
        },
    )
    assert report.revenue == 10**13 and report.profit == -(10**9)


def test_only_the_right_people_act(world):
    report = draft(world)
    # another organisation's manager may not even see the report: refused as not found
    with pytest.raises(ServiceError) as err:
        services.annual_report_submit(actor=world.users["manager_b1"], report=report)
    assert err.value.kind is Kind.NOT_FOUND
    with pytest.raises(ServiceError) as err:
        services.annual_report_save(
            actor=world.users["officer_a"], organisation=world.orgs["a1"], year=YEAR, data=DATA
        )
    assert err.value.kind is Kind.FORBIDDEN
    services.annual_report_submit(actor=world.users["manager_a1"], report=report)
    for key, kind in (
        ("officer_b", Kind.NOT_FOUND),
        ("viewer_a", Kind.FORBIDDEN),
        ("manager_a1", Kind.FORBIDDEN),
    ):
        with pytest.raises(ServiceError) as err:
            services.annual_report_accept(actor=world.users[key], report=report)
        assert err.value.kind is kind, key
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_system_acts_for_nobody_in_particular(world):
    """A system actor passes the policy and is named in the audit trail, not on the row."""
    from htxso.core.actors import OPERATOR
    from htxso.core.models import AuditEvent

    report = services.annual_report_save(
        actor=OPERATOR,
        organisation=world.orgs["a1"],
        year=YEAR,
        data=DATA,
        today=dt.date(YEAR, 6, 1),
    )
    report = services.annual_report_submit(actor=OPERATOR, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by is None
    assert report.events.get(to_status="submitted").actor is None
    assert AuditEvent.objects.get(action="annual_report.submit").actor_label == "system:operator"


def test_stale_transitions_are_refused(world):
    """Two officers press at once: the row is locked and re-read, the second one fails."""
    report = draft(world)
    services.annual_report_submit(actor=world.users["manager_a1"], report=report)
    stale = AnnualReport.objects.get(pk=report.pk)
    services.annual_report_accept(actor=world.users["officer_a"], report=report)
    with pytest.raises(ValidationError) as err:
        services.annual_report_return(actor=world.users["vca"], report=stale, comment="x")
    assert err.value.code == "report_not_submitted"
    with pytest.raises(ValidationError) as err:
        services.annual_report_submit(actor=world.users["manager_a1"], report=stale)
    assert err.value.code == "report_locked"
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert report.events.count() == 3


def test_incomplete_report_cannot_be_submitted(world):
    report = services.annual_report_save(
        actor=world.users["manager_a1"], organisation=world.orgs["a1"], year=YEAR, data={}
    )
    with pytest.raises(ValidationError) as err:
        services.annual_report_submit(actor=world.users["manager_a1"], report=report)
    assert err.value.code == "report_incomplete"


def test_reminder_days():
    assert due_for_reminder(2025, dt.date(2025, 11, 15))  # 30 days before
    assert due_for_reminder(2025, dt.date(2025, 12, 14))
    assert due_for_reminder(2025, dt.date(2025, 12, 15))
    assert not due_for_reminder(2025, dt.date(2025, 12, 13))
    assert due_for_reminder(2025, dt.date(2025, 12, 22))  # a week overdue
    assert not due_for_reminder(2025, dt.date(2026, 1, 5))


def test_reminders_go_to_managers_without_a_submitted_report(world):
    report = services.annual_report_save(
        actor=world.users["manager_b1"], organisation=world.orgs["b1"], year=YEAR, data=DATA
    )
    services.annual_report_submit(actor=world.users["manager_b1"], report=report)
    mail.outbox.clear()
    assert send_report_reminders.call(year=YEAR, today="2025-12-13") == 0  # not a reminder day
    sent = send_report_reminders.call(year=YEAR, today="2025-12-14")
    assert sent == 1
    assert mail.outbox[0].to == ["manager_a1@example.vn"]
    assert "2025" in mail.outbox[0].subject


def test_report_reminders_command(world, capsys):
    call_command("report_reminders", "--year", "2025", "--today", "2025-12-09")
    assert "0 reminder(s) sent" in capsys.readouterr().out  # not a reminder day
    call_command("report_reminders", "--year", "2025", "--today", "2025-12-09", "--force")
    assert "2 reminder(s) sent" in capsys.readouterr().out  # a1 and b1
    assert len(mail.outbox) == 2
