"""General assemblies (Art. 57–61): the meeting, its calls, agenda, documents, delegates,
attendance and petitions.  Owned by the assemblies part.

Who may do what (policy):

* ``view`` an assembly and what hangs on it: staff of the province, the organisation's
  manager and members (``STAFF_AND_ORGANISATIONS``).
* ``change`` (prepare, announce, open, close, check people in): the manager and the VCA
  (``MANAGERS``).  Officers and department viewers read.
* Attendance and petition signatures name members: seen by ``READERS`` (staff and the
  manager) and by the member for their own row.
* :class:`Reminder` — what the daily ``governance_reminders`` job sent (so a second run
  the same day sends nothing): seen by ``READERS``, written by the job only.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy

__all__ = [
    "AgendaItem",
    "Assembly",
    "AssemblyDocument",
    "AssemblyKind",
    "AssemblyMode",
    "AssemblyStatus",
    "Attendance",
    "AttendanceChannel",
    "Delegate",
    "Petition",
    "PetitionDecision",
    "PetitionSignature",
    "Reminder",
    "ReminderKind",
    "own_membership_q",
]


def own_membership_q(prefix: str = "membership"):
    """A policy hook: rows whose membership is the user's own (through Person.user)."""

    def hook(user, scope) -> Q:
        return Q(**{f"{prefix}__person__user": user})

    return hook


def _token() -> str:
    return secrets.token_urlsafe(24)


class AssemblyKind(models.TextChoices):
    ANNUAL = "annual", _("Annual general assembly")
    EXTRAORDINARY = "extraordinary", _("Extraordinary general assembly")


class AssemblyMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (hall and online)")


class AssemblyStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    ANNOUNCED = "announced", _("Announced")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")
    ADJOURNED = "adjourned", _("No quorum — adjourned")
    CANCELLED = "cancelled", _("Cancelled")


class Assembly(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="assemblies"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssemblyKind.choices)
    #: the financial year an annual assembly reviews
    year = models.PositiveSmallIntegerField(_("financial year"))
    mode = models.CharField(_("how members take part"), max_length=12, choices=AssemblyMode.choices)
    #: a delegate assembly (≥ 50 official members): only elected delegates vote
    is_delegate = models.BooleanField(_("delegate assembly"), default=False)
    #: 1, 2 or 3: the quorum falls on the later calls (rules QUORUM_1..3)
    call_no = models.PositiveSmallIntegerField(_("call"), default=1)
    previous_call = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_call"
    )
    title = models.CharField(_("title"), max_length=200)
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AssemblyStatus.choices, default=AssemblyStatus.DRAFT
    )
    #: voters counted for the quorum, fixed when the assembly opens
    voters_total = models.PositiveIntegerField(_("members with a vote"), null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: a draft or announced assembly called off (``cancelled`` is terminal)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True, max_length=1000)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: the hall's QR code and the online link carry this (rotated by the service)
    checkin_token = models.CharField(max_length=64, default=_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = _("general assembly")
        verbose_name_plural = _("general assemblies")
        indexes = [models.Index(fields=["organisation", "year"], name="governance_assembly_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(call_no__gte=1) & Q(call_no__lte=3), name="governance_assembly_call"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=300)
    description = models.TextField(_("details"), blank=True, max_length=5000)
    #: the item came from members' petition (Art. 60)
    petition = models.OneToOneField(
        "Petition", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_item"
    )

    class Meta:
        ordering = ["assembly_id", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AssemblyDocument(models.Model):
    """A document sent to members before the assembly (private file, members only)."""

    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=UnguessableName("governance/assembly")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assembly_id", "id"]
        verbose_name = _("assembly document")
        verbose_name_plural = _("assembly documents")

    def __str__(self) -> str:
        return self.title


class Delegate(models.Model):
    """An official member elected to a delegate assembly."""

    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="delegates")
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    #: the group (village, team) that elected the delegate
    constituency = models.CharField(_("elected by"), max_length=200, blank=True)
    elected_on = models.DateField(_("elected on"))

    class Meta:
        ordering = ["assembly_id", "id"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "membership"], name="governance_delegate_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} @ {self.assembly_id}"


class AttendanceChannel(models.TextChoices):
    HALL = "hall", _("In the hall (QR code)")
    ONLINE = "online", _("Online (link)")
    DESK = "desk", _("At the desk (checked in by the secretary)")


class Attendance(models.Model):
    """A member present at an assembly.  ``may_vote`` is fixed at check-in: an official
    member (a delegate, in a delegate assembly); associates attend and speak only."""

    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("how"), max_length=10, choices=AttendanceChannel.choices)
    may_vote = models.BooleanField(_("has a vote"))
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assembly_id", "checked_in_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "membership"], name="governance_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} @ {self.assembly_id}"


class PetitionDecision(models.TextChoices):
    ADDED = "added", _("Added to the agenda")
    DECLINED = "declined", _("Not added (reason recorded)")


class Petition(models.Model):
    """Members ask to add an item to the agenda (Art. 60: by a share of official members)."""

    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="petitions")
    title = models.CharField(_("item asked for"), max_length=300)
    reason = models.TextField(_("reason"), blank=True, max_length=3000)
    created_by = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: the manager's answer once the petition has enough signatures: added or not (why)
    decision = models.CharField(
        _("answer"), max_length=10, choices=PetitionDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("why not"), blank=True, max_length=3000)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assembly_id", "id"]
        verbose_name = _("agenda petition")
        verbose_name_plural = _("agenda petitions")

    def __str__(self) -> str:
        return self.title


class PetitionSignature(models.Model):
    scope_province_path = "petition__assembly__organisation__province"
    scope_organisation_path = "petition__assembly__organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("petition signature")
        verbose_name_plural = _("petition signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "membership"], name="governance_signature_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.petition_id}"


class ReminderKind(models.TextChoices):
    ANNUAL_DUE = "annual_due", _("Annual assembly due soon")
    ANNUAL_LATE = "annual_late", _("Annual assembly late")
    ASSEMBLY_SOON = "assembly_soon", _("Assembly in a few days")


class Reminder(models.Model):
    """One reminder the daily job sent: the managers' annual-assembly reminders (once a
    day at most, per organisation and recipient) and the members' reminders before an
    announced assembly (once per assembly, recipient and number of days before).

    ``recipient`` names who, not where: ``user:<id>`` or ``membership:<id>`` (no phone
    number or e-mail address is kept here)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.VCA)

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    #: an assembly's reminder: how many days before its day
    days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    recipient = models.CharField(max_length=40)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation", "recipient", "sent_on"],
                condition=Q(assembly__isnull=True),
                name="governance_reminder_daily",
            ),
            models.UniqueConstraint(
                fields=["kind", "assembly", "recipient", "days_before"],
                condition=Q(assembly__isnull=False),
                name="governance_reminder_assembly",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.sent_on})"
