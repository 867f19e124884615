"""Store requests: a household or individual producer belonging to no cooperative asks
to open a market store; the provincial officer verifies it.

State machine (``services.household_stores``)::

    submitted ──approve──▶ approved (the store is opened, kind=independent)
        │  ▲ ──refuse───▶ refused (with a reason)
        │  └──answer── info_requested ◀──ask── submitted
        └──withdraw──▶ withdrawn (by the requester, from submitted or info_requested)

The ID number and ethnicity are sensitive personal data: the page shows them in full
only to who decides (the province's officer, the VCA); a department viewer and the
requester see the ID number masked.  The photo (ID card or production) is in the
``private`` storage, served by a view that checks the policy.
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
from htxso.core.scoping import Scope, ScopedManager


def _requester(user: Any, scope: Scope) -> Q:
    """The requester sees, answers and withdraws their own request."""
    return Q(requester=user) if user.is_authenticated else Q(pk__in=[])


class StoreRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for verification")
    INFO_REQUESTED = "info_requested", _("More information asked")
    APPROVED = "approved", _("Approved: store opened")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: States in which a request is still open (one open request per person).
OPEN_STATES = (StoreRequestStatus.SUBMITTED, StoreRequestStatus.INFO_REQUESTED)


class StoreRequest(models.Model):
    """A household or individual producer's request to open a market store."""

    scope_province_path = "province"
    scope_organisation_path = None
    #: Staff of the province read the queue; the officer and the VCA decide; the
    #: requester sees, answers and withdraws their own.
    policy = Policy(
        view=roles.STAFF,
        decide=roles.REVIEWERS,
        answer=roles.NOBODY,
        extra={"view": _requester, "answer": _requester},
    )

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="market_store_requests",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=StoreRequestStatus.choices,
        default=StoreRequestStatus.SUBMITTED,
    )
    producer_name = models.CharField(_("producer or store name"), max_length=120)
    head_name = models.CharField(_("name of the household head"), max_length=120)
    id_number = models.CharField(_("ID number"), max_length=12)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, blank=True)
    phone = models.CharField(_("phone"), max_length=16)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    ward = models.ForeignKey(
        "geo.Ward", on_delete=models.PROTECT, related_name="+", verbose_name=_("ward / commune")
    )
    address = models.CharField(_("village, house number"), max_length=255, blank=True)
    products = models.TextField(_("what you sell"), max_length=1000)
    photo = models.FileField(
        _("photo"),
        storage=private_storage,
        upload_to=UnguessableName("market/store-requests/%Y/"),
        max_length=200,
    )
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=100, blank=True)
    question = models.CharField(_("information asked"), max_length=500, blank=True)
    answer = models.TextField(_("answer"), max_length=1000, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    store = models.OneToOneField(
        "market.Store",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("store"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("store request")
        verbose_name_plural = _("store requests")
        indexes = [
            models.Index(fields=["province", "status"], name="market_storereq_prov_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["submitted", "info_requested", "approved", "refused", "withdrawn"]
                ),
                name="market_storereq_status_valid",
            ),
            # one open request per person: a double submit cannot make two
            models.UniqueConstraint(
                fields=["requester"],
                condition=Q(status__in=["submitted", "info_requested"]),
                name="market_storereq_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""),
                name="market_storereq_refused_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.producer_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def masked_id(self) -> str:
        """The ID number with all but its last three digits hidden."""
        n = self.id_number or ""
        return "•" * max(len(n) - 3, 0) + n[-3:]

    @property
    def id_kind(self) -> str:
        return str(_("citizen ID card")) if len(self.id_number) == 12 else str(_("old ID card"))

    @property
    def ethnicity_name(self) -> str:
        from htxso.registry.data.ethnicities import ETHNICITIES

        return dict(ETHNICITIES).get(self.ethnicity, "")
