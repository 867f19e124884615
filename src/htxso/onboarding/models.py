"""Access requests: a cooperative's manager asks the province for access.

A signed-in person names a cooperative of the registry (or proposes one the registry
does not have yet), says who they are and uploads the document that authorises them
(a decision of the general meeting, an appointment letter…).  The officer of the
cooperative's province checks it against the registry and approves (the person gets
the manager role of that organisation), refuses with a reason, or asks for more
information, which the person answers.  The person may withdraw the request while it
is open.

Who may do what (``AccessRequest.policy``): the province's staff see the province's
requests (the VCA all of them), the VCA and the province's officer decide, the
requester sees and withdraws their own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the province")
    INFO_REQUESTED = "info_requested", _("More information asked")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: States in which a request is still open (the officer may decide, the person withdraw).
OPEN = (Status.SUBMITTED, Status.INFO_REQUESTED)


class ProposedKind(models.TextChoices):
    """What the person says their organisation is (the registry's kinds)."""

    COOPERATIVE = "cooperative", _("Cooperative")
    GROUP = "group", _("Cooperative group")
    UNION = "union", _("Union of cooperatives")


def _own(user: Any, scope: Any) -> Q:
    return Q(requester=user)


class AccessRequest(models.Model):
    scope_province_path = "province"
    policy = Policy(
        # the request page and its document: the province's staff, and the requester
        view=roles.STAFF,
        # the officer's queue (no requester hook: a queue shows the province's work)
        queue=roles.STAFF,
        # approve, refuse, ask for information, register a proposed cooperative
        decide=roles.REVIEWERS,
        # what the requester alone does: answer, withdraw
        own=roles.NOBODY,
        extra={"view": _own, "own": _own},
    )

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name=_("requester"),
    )
    #: the cooperative asked for; empty while a proposed one is not registered yet
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_requests",
        verbose_name=_("organisation"),
    )
    #: where the request is decided: the organisation's province, or the proposed one's
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=15)
    position = models.CharField(_("position"), max_length=100)
    # the authorising document: private storage, no URL, a random name
    document = models.FileField(
        _("authorising document"),
        upload_to=UnguessableName("onboarding/%Y/%m/"),
        storage=private_storage,
    )
    document_name = models.CharField(_("file name"), max_length=200)
    document_type = models.CharField(max_length=50)
    document_size = models.PositiveIntegerField(default=0)
    # a cooperative the registry does not have yet
    proposed = models.BooleanField(_("proposed organisation"), default=False)
    proposed_name = models.CharField(_("proposed name"), max_length=255, blank=True)
    proposed_tax_code = models.CharField(_("proposed tax code"), max_length=14, blank=True)
    proposed_kind = models.CharField(
        _("proposed kind"), max_length=20, choices=ProposedKind.choices, blank=True
    )
    proposed_address = models.CharField(_("ward and address"), max_length=255, blank=True)
    #: the exchange: question asked, answers, decision (shown on the request's pages)
    history = models.JSONField(default=list, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        indexes = [models.Index(fields=["province", "status"], name="accessreq_province_status")]
        constraints = [
            # one open request per person and cooperative (a double submit finds it)
            models.UniqueConstraint(
                fields=["requester", "organisation"],
                condition=Q(status__in=["submitted", "info_requested"]),
                name="accessreq_one_open_per_org",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(proposed=True),
                name="accessreq_org_or_proposal",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["submitted", "info_requested", "approved", "refused", "withdrawn"]
                ),
                name="accessreq_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(organisation__isnull=False),
                name="accessreq_approved_has_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.organisation_name}"

    @property
    def organisation_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.proposed_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_image(self) -> bool:
        return self.document_type.startswith("image/")
