"""``python -m htxso governance_reminders``: the daily reminders of general assemblies
(cron or a systemd timer, once a day).

* the managers of a cooperative (or union) keeping a member register here whose annual
  assembly for the last financial year is not held yet and is due within ``--days``
  days, or already late (the ``ANNUAL_ASSEMBLY_MONTHS`` rule), at most once every
  ``--every`` days;
* the members of an announced assembly, ``--before`` days before its day (3 and 1).

Every message sent is recorded (``governance.Reminder``, unique per day, or per assembly
and number of days before): a second run the same day sends nothing new.  ``--dry-run``
prints what would be sent and records nothing; ``--on YYYY-MM-DD`` runs as of that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from htxso.accounts.models import RoleAssignment
from htxso.accounts.phones import parse_vn_phone
from htxso.core import messaging
from htxso.core.errors import ServiceError
from htxso.core.roles import Role
from htxso.governance import selectors_assemblies as sel
from htxso.governance import services_assemblies as services
from htxso.governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyMode,
    AssemblyStatus,
    Reminder,
    ReminderKind,
)
from htxso.registry.models import Membership, Organisation

PURPOSE = "governance_reminder"
#: cooperatives that keep a member register here (as the province's late list)
REGISTER_KINDS = ("cooperative", "union")


@dataclass(frozen=True)
class Planned:
    kind: str
    organisation: Organisation
    assembly: Assembly | None
    days_before: int | None
    recipient: str
    channel: str
    to: str
    text: str
    subject: str


def _user_address(user: Any) -> tuple[str, str] | None:
    if getattr(user, "phone", ""):
        try:
            return messaging.Channel.SMS, parse_vn_phone(user.phone)
        except ServiceError:
            pass
    if getattr(user, "email", ""):
        return messaging.Channel.EMAIL, user.email
    return None


def _annual(day: dt.date, days: int, every: int) -> list[Planned]:
    out: list[Planned] = []
    orgs = (
        Organisation.objects.filter(kind__in=REGISTER_KINDS, status="active")
        .filter(memberships__kind=sel.OFFICIAL, memberships__left_on__isnull=True)
        .distinct()
        .order_by("id")
    )
    for org in orgs.iterator():
        st = sel.annual_status(org, on=day)
        if st.held is not None:
            continue
        left = (st.due_on - day).days
        if left > days:
            continue
        scheduled = Assembly.objects.filter(
            organisation=org,
            kind=AssemblyKind.ANNUAL,
            year=st.year,
            status__in=(AssemblyStatus.ANNOUNCED, AssemblyStatus.OPEN),
        ).exists()
        if scheduled:  # called already: the members' reminders take over
            continue
        kind = ReminderKind.ANNUAL_LATE if left < 0 else ReminderKind.ANNUAL_DUE
        url = services._site(reverse("governance:assembly_new") + f"?org={org.pk}")
        params = {
            "coop": org.name,
            "year": st.year,
            "due": st.due_on.strftime("%d/%m/%Y"),
            "days": left,
            "article": st.article,
            "url": url,
        }
        if kind == ReminderKind.ANNUAL_LATE:
            text = (
                _(
                    "%(coop)s: the annual general assembly for %(year)s was due by %(due)s "
                    "and has not been held (%(article)s). Prepare it now: %(url)s"
                )
                % params
            )
        else:
            text = (
                _(
                    "%(coop)s: hold the annual general assembly for %(year)s by %(due)s "
                    "(%(days)s days left, %(article)s). Prepare it: %(url)s"
                )
                % params
            )
        subject = _("Annual general assembly %(year)s") % {"year": st.year}
        managers = (
            RoleAssignment.objects.filter(organisation=org, role=Role.COOP_MANAGER)
            .select_related("user")
            .order_by("user_id")
        )
        seen: set[int] = set()
        for ra in managers:
            if ra.user_id in seen or not ra.user.is_active:
                continue
            seen.add(ra.user_id)
            recipient = f"user:{ra.user_id}"
            recent = Reminder.objects.filter(
                kind=kind,
                organisation=org,
                assembly__isnull=True,
                recipient=recipient,
                sent_on__gt=day - dt.timedelta(days=every),
                sent_on__lte=day,
            ).exists()
            address = _user_address(ra.user)
            if recent or address is None:
                continue
            out.append(Planned(kind, org, None, None, recipient, *address, text, subject))
    return out


def _soon(day: dt.date, before: list[int]) -> list[Planned]:
    out: list[Planned] = []
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=max(before) + 1)
    assemblies = (
        Assembly.objects.filter(
            status=AssemblyStatus.ANNOUNCED, scheduled_at__gte=start, scheduled_at__lt=end
        )
        .select_related("organisation")
        .order_by("scheduled_at", "id")
    )
    for a in assemblies:
        n = (sel.assembly_day(a) - day).days
        if n not in before:
            continue
        sent = set(
            Reminder.objects.filter(
                kind=ReminderKind.ASSEMBLY_SOON, assembly=a, days_before=n
            ).values_list("recipient", flat=True)
        )
        url = services._site(reverse("governance:assembly_detail", kwargs={"pk": a.pk}))
        online = a.mode in (AssemblyMode.ONLINE, AssemblyMode.HYBRID)
        subject = _("General assembly: %(title)s") % {"title": a.title}
        members = (
            Membership.objects.filter(organisation_id=a.organisation_id, left_on__isnull=True)
            .select_related("person", "person__user")
            .order_by("id")
        )
        for m in members.iterator():
            recipient = f"membership:{m.pk}"
            address = services.member_address(m)
            if recipient in sent or address is None:
                continue
            text = _(
                "%(coop)s reminds you: the general assembly “%(title)s” meets in %(n)s "
                "day(s), on %(when)s (%(where)s). Agenda and documents: %(url)s"
            ) % {
                "coop": a.organisation.name,
                "title": a.title,
                "n": n,
                "when": services._when(a),
                "where": a.place or a.get_mode_display(),
                "url": url,
            }
            if online:
                text += " " + _("Your own link to check in online: %(link)s") % {
                    "link": services.personal_link(a, m)
                }
            out.append(
                Planned(
                    ReminderKind.ASSEMBLY_SOON,
                    a.organisation,
                    a,
                    n,
                    recipient,
                    *address,
                    text,
                    subject,
                )
            )
    return out


def plan(day: dt.date, *, days: int = 30, every: int = 7, before: list[int]) -> list[Planned]:
    """What the job would send on ``day`` (nothing already sent is planned again)."""
    return _annual(day, days, every) + _soon(day, before)


def send(day: dt.date, planned: list[Planned]) -> int:
    """Record and send ``planned`` (each message after the commit); a row another run
    recorded meanwhile is skipped."""
    sent = 0
    with transaction.atomic():
        for p in planned:
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        kind=p.kind,
                        organisation=p.organisation,
                        assembly=p.assembly,
                        days_before=p.days_before,
                        recipient=p.recipient,
                        sent_on=day,
                    )
            except IntegrityError:
                continue
            messaging.send_after_commit(
                channel=p.channel, to=p.to, text=p.text, purpose=PURPOSE, subject=p.subject
            )
            sent += 1
    return sent


def _days_list(value: str) -> list[int]:
    try:
        out = sorted({int(x) for x in value.split(",") if x.strip()}, reverse=True)
    except ValueError as exc:
        raise CommandError("--before takes days like 3,1") from exc
    if not out or any(x < 0 or x > 60 for x in out):
        raise CommandError("--before takes days between 0 and 60, like 3,1")
    return out


class Command(BaseCommand):
    help = (
        "Send the daily reminders of general assemblies: managers whose annual assembly is "
        "due or late, members before an announced assembly.  Idempotent per day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Run as of this day (YYYY-MM-DD; default today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send nothing"
        )
        parser.add_argument(
            "--days", type=int, default=30, help="Remind managers this many days before due"
        )
        parser.add_argument(
            "--every", type=int, default=7, help="Remind a manager at most every N days"
        )
        parser.add_argument(
            "--before", default="3,1", help="Remind members these days before (default 3,1)"
        )

    def handle(self, *args, on=None, dry_run=False, days=30, every=7, before="3,1", **options):
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError as exc:
                raise CommandError("--on must be YYYY-MM-DD") from exc
        else:
            day = timezone.localdate()
        if not 0 <= days <= 366 or not 1 <= every <= 366:
            raise CommandError("--days must be 0..366 and --every 1..366")
        with translation.override(settings.LANGUAGE_CODE):
            planned = plan(day, days=days, every=every, before=_days_list(before))
            if dry_run:
                for p in planned:
                    self.stdout.write(f"[{p.kind}] {p.recipient} ({p.channel}): {p.text}")
                self.stdout.write(f"{len(planned)} reminder(s) would be sent on {day:%Y-%m-%d}")
                return
            sent = send(day, planned)
        self.stdout.write(f"{sent} reminder(s) sent on {day:%Y-%m-%d}")
