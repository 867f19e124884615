"""Disclosures to members (Art. 14) and members' requests for them.  Owned by the
disclosures/portal part.

A disclosure is due ``DISCLOSURE_WORKING_DAYS`` working days after the event it discloses
(the charter adopted, a resolution passed, the financial statements approved…), stays
posted at least ``DISCLOSURE_KEEP_DAYS`` days, and is late when posted after its due day.
``event_on`` and ``due_on`` are fixed when the disclosure is first recorded; ``posted_on``
is the day it was posted and may not be earlier than the day it was recorded
(no back-dating).

Who may do what: ``view`` staff of the province and the organisation's people; ``change``
the manager and the VCA.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy

from .assemblies import own_membership_q

__all__ = ["Disclosure", "DisclosureKind", "DisclosureRequest"]


class DisclosureKind(models.TextChoices):
    CHARTER = "charter", _("Charter")
    RESOLUTION = "resolution", _("Resolution of the general assembly")
    CAPITAL_MEMBERS = "capital_members", _("Members with capital and their shares")
    FINANCIAL = "financial", _("Annual financial statements")
    FUND_USE = "fund_use", _("Use of the indivisible fund and other funds")
    TRAINING = "training", _("Training and information for members")
    OTHER = "other", _("Other information")


class Disclosure(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="disclosures"
    )
    kind = models.CharField(_("what is disclosed"), max_length=20, choices=DisclosureKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True, max_length=20000)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=UnguessableName("governance/disclosures"),
        blank=True,
    )
    #: the resolution disclosed, when it is one
    resolution = models.ForeignKey(
        "Resolution", on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    #: the day of the event disclosed (adoption, approval)
    event_on = models.DateField(_("date of the event"))
    due_on = models.DateField(_("to be posted by"))
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    keep_until = models.DateField(_("kept posted until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("taken down on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_on", "-id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        indexes = [
            models.Index(fields=["organisation", "due_on"], name="governance_disclosure_due")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("event_on")),
                name="governance_disclosure_due_after",
            ),
            models.CheckConstraint(
                condition=Q(posted_on__isnull=True) | Q(posted_on__gte=models.F("event_on")),
                name="governance_disclosure_not_before_event",
            ),
            models.CheckConstraint(
                condition=Q(keep_until__isnull=True) | Q(keep_until__gt=models.F("posted_on")),
                name="governance_disclosure_kept",
            ),
            # a resolution is disclosed once (publishing it again returns the same row)
            models.UniqueConstraint(
                fields=["resolution"],
                condition=Q(resolution__isnull=False),
                name="governance_disclosure_resolution_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return self.posted_on is not None and self.posted_on > self.due_on


class DisclosureRequest(models.Model):
    """A member asks for a disclosed document (Art. 14: given on request)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    message = models.TextField(_("what I ask for"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.message[:40]}"
