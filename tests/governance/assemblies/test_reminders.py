"""The daily ``governance_reminders`` job: managers of a cooperative whose annual
assembly is due soon or late, members before an announced assembly; a second run the
same day sends nothing; ``--dry-run`` sends and records nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from htxso.core import messaging
from htxso.governance import selectors_assemblies as sel
from htxso.governance import services_assemblies as svc
from htxso.governance.management.commands.governance_reminders import PURPOSE
from htxso.governance.models import Reminder

from .conftest import make_assembly

pytestmark = pytest.mark.django_db

MANAGER = "manager_a1@example.vn"
MEMBER = "member_a1@example.vn"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(*args: str) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("governance_reminders", *args, stdout=out)
        return out.getvalue()

    return go


def _due_on(world) -> dt.date:
    year = timezone.localdate().year  # the financial year reviewed next year
    return sel.annual_due(world.orgs["a1"], year)[0]


def test_managers_reminded_when_the_annual_assembly_is_due_soon(world, gov, run):
    due = _due_on(world)
    on = due - dt.timedelta(days=20)
    out = run("--on", on.isoformat())
    mine = messaging.sent_to(MANAGER, PURPOSE)
    assert len(mine) == 1
    assert due.strftime("%d/%m/%Y") in mine[0].text and "20" in mine[0].text
    assert "Điều" in mine[0].text  # the article of the rule
    assert "reminder(s) sent" in out
    r = Reminder.objects.get(recipient=f"user:{world.users['manager_a1'].pk}")
    assert (r.kind, r.sent_on, r.assembly_id) == ("annual_due", on, None)
    # b1's manager is reminded of b1's, nobody of a2's (no member register)
    assert len(messaging.sent_to("manager_b1@example.vn", PURPOSE)) == 1
    assert messaging.sent_to(MEMBER, PURPOSE) == []


def test_second_run_the_same_day_sends_nothing_and_once_a_week(world, gov, run):
    on = _due_on(world) - dt.timedelta(days=20)
    run("--on", on.isoformat())
    n = len(messaging.outbox)
    assert "0 reminder(s) sent" in run("--on", on.isoformat())
    assert len(messaging.outbox) == n
    run("--on", (on + dt.timedelta(days=3)).isoformat())
    assert len(messaging.outbox) == n  # at most every 7 days
    run("--on", (on + dt.timedelta(days=7)).isoformat())
    assert len(messaging.sent_to(MANAGER, PURPOSE)) == 2


def test_late_annual_assembly_and_far_away_one(world, gov, run):
    due = _due_on(world)
    run("--on", (due - dt.timedelta(days=90)).isoformat())
    assert messaging.sent_to(MANAGER, PURPOSE) == []
    run("--on", (due + dt.timedelta(days=2)).isoformat())
    late = messaging.sent_to(MANAGER, PURPOSE)
    assert len(late) == 1 and due.strftime("%d/%m/%Y") in late[0].text
    assert Reminder.objects.filter(kind="annual_late").count() == 2  # a1 and b1


def test_no_annual_reminder_once_called_or_held(world, gov, run):
    due = _due_on(world)
    year = timezone.localdate().year
    make_assembly(world, status="announced", year=year, when=timezone.now() + dt.timedelta(days=3))
    make_assembly(world, "b1", status="closed", year=year, closed_at=timezone.now())
    run("--on", (due - dt.timedelta(days=5)).isoformat())
    assert messaging.sent_to(MANAGER, PURPOSE) == []
    assert messaging.sent_to("manager_b1@example.vn", PURPOSE) == []


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_members_reminded_three_days_and_one_day_before(world, gov, run):
    today = timezone.localdate()
    a = make_assembly(
        world, status="announced", announced_at=timezone.now(), when=_at(today + dt.timedelta(3))
    )
    run("--on", today.isoformat())
    mine = messaging.sent_to(MEMBER, PURPOSE)
    assert len(mine) == 1
    assert a.title in mine[0].text and "3" in mine[0].text and "/vao/" in mine[0].text
    assert len(messaging.sent_to(MANAGER, PURPOSE)) == 1  # a member too
    # the members without a phone or e-mail are skipped; nobody is written twice
    assert Reminder.objects.filter(assembly=a, days_before=3).count() == 2
    run("--on", today.isoformat())
    assert len(messaging.sent_to(MEMBER, PURPOSE)) == 1
    run("--on", (today + dt.timedelta(1)).isoformat())  # two days before: nothing
    assert len(messaging.sent_to(MEMBER, PURPOSE)) == 1
    run("--on", (today + dt.timedelta(2)).isoformat())
    assert len(messaging.sent_to(MEMBER, PURPOSE)) == 2


def test_no_reminder_for_a_draft_or_cancelled_assembly(world, gov, run):
    today = timezone.localdate()
    make_assembly(world, status="draft", when=_at(today + dt.timedelta(1)))
    b = make_assembly(
        world, status="announced", announced_at=timezone.now(), when=_at(today + dt.timedelta(1))
    )
    svc.assembly_cancel(actor=world.users["manager_a1"], assembly=b, reason="Hoãn")
    run("--on", today.isoformat())
    assert messaging.sent_to(MEMBER, PURPOSE) == []


def test_a_new_day_gets_its_reminders_again(world, gov, run):
    today = timezone.localdate()
    a = make_assembly(
        world, status="announced", announced_at=timezone.now(), when=_at(today + dt.timedelta(1))
    )
    run("--on", today.isoformat())
    assert len(messaging.sent_to(MEMBER, PURPOSE)) == 1
    svc.assembly_update(
        actor=world.users["manager_a1"],
        assembly=a,
        title=a.title,
        scheduled_at=_at(today + dt.timedelta(3), 9),
        mode=a.mode,
        place=a.place,
        online_link=a.online_link,
    )
    run("--on", today.isoformat())
    assert len(messaging.sent_to(MEMBER, PURPOSE)) == 2


def test_dry_run_prints_and_records_nothing(world, gov, run):
    on = _due_on(world) - dt.timedelta(days=10)
    out = run("--on", on.isoformat(), "--dry-run")
    assert "annual_due" in out and "would be sent" in out
    assert messaging.outbox == [] and not Reminder.objects.exists()


def test_bad_arguments(world, gov, run):
    with pytest.raises(CommandError):
        run("--on", "07/12/2026")
    with pytest.raises(CommandError):
        run("--before", "3,x")
    with pytest.raises(CommandError):
        run("--every", "0")
