"""The member register's capital: contributions and their movements, capital
certificates (Law on Cooperatives 2023, Art. 30–31, 74).  Owned by the register part.

* :class:`CapitalMovement` — numbered per organisation, **append-only**: a pledge (with
  its payment deadline from the rule ``CAPITAL_PAYMENT_MONTHS``), a payment, a transfer
  (an out/in pair), a withdrawal or refund on leaving, and a reversal that corrects a
  mistake.  Each row carries its signed effect on the member's paid capital
  (``paid_delta``) and on the pledged-but-unpaid capital (``pledged_delta``), so the
  position is a sum.  ``save()`` refuses an update and ``delete()`` refuses always.
  An opening balance records the capital a member already had when the register was
  started (``registry.Membership.capital`` of an imported register) without changing it.
* :class:`CapitalCertificate` — the certificate of capital contribution, number unique in
  the organisation; a new one is issued when the capital changes and the old one is
  marked replaced (``replaced_on``, the only field ever written after issue).  Its
  ``token`` is the public verification link (no amounts, no ID numbers there).
* :class:`ForeignMember` — a member who is a foreign person or organisation (for the
  foreign capital and foreign members checks).

Who sees: staff of the province and the manager (``READERS``) and the member their own
rows; who changes: the manager and the VCA (``MANAGERS``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager, ScopedQuerySet

from .assemblies import own_membership_q

__all__ = [
    "AssetKind",
    "CapitalCertificate",
    "CapitalMovement",
    "ForeignMember",
    "MovementKind",
    "RegisterAppendOnly",
]


class RegisterAppendOnly(Exception):
    """A capital movement was about to be changed or deleted."""


class MovementKind(models.TextChoices):
    PLEDGE = "pledge", _("Pledge of capital")
    PAYMENT = "payment", _("Payment of capital")
    TRANSFER_OUT = "transfer_out", _("Transfer to another member")
    TRANSFER_IN = "transfer_in", _("Transfer from another member")
    WITHDRAWAL = "withdrawal", _("Refund of capital on leaving")
    REVERSAL = "reversal", _("Correction (reverses a movement)")
    #: the capital a member already had when the register started (from the paper book)
    OPENING = "opening", _("Opening balance from the earlier register")


class AssetKind(models.TextChoices):
    CASH = "cash", _("Cash")
    LAND_USE = "land_use", _("Land-use right")
    BUILDING = "building", _("Building")
    EQUIPMENT = "equipment", _("Machinery and equipment")
    INTELLECTUAL = "intellectual", _("Intellectual property")
    OTHER = "other", _("Other assets")


class AppendOnlyQuerySet(ScopedQuerySet):
    """Bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise RegisterAppendOnly("capital movements are never updated")

    def delete(self):
        raise RegisterAppendOnly("capital movements are never deleted")


def _token() -> str:
    return secrets.token_urlsafe(18)


class CapitalMovement(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="capital_movements"
    )
    #: 1, 2, 3… in the organisation, never reused
    number = models.PositiveIntegerField(_("number"))
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="capital_movements"
    )
    kind = models.CharField(_("movement"), max_length=15, choices=MovementKind.choices)
    asset_kind = models.CharField(
        _("kind of asset"), max_length=15, choices=AssetKind.choices, default=AssetKind.CASH
    )
    #: the amount of the movement (VND, > 0); its signed effect is in the deltas
    amount = models.BigIntegerField(_("amount (VND)"))
    paid_delta = models.BigIntegerField(default=0, editable=False)
    pledged_delta = models.BigIntegerField(default=0, editable=False)
    on = models.DateField(_("date"))
    #: a pledge: the day it must be paid by (rule CAPITAL_PAYMENT_MONTHS)
    due_on = models.DateField(_("to be paid by"), null=True, blank=True)
    #: a transfer's other leg
    counterpart = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: a reversal: the movement it corrects (once)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        ordering = ["organisation_id", "number"]
        verbose_name = _("capital movement")
        verbose_name_plural = _("capital movements")
        indexes = [models.Index(fields=["membership", "on"], name="gov_capmove_member")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="governance_capmove_number"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="governance_capmove_amount"),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | Q(reverses__isnull=False),
                name="governance_capmove_reversal_target",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not kwargs.get("force_insert", True):
            raise RegisterAppendOnly("capital movements are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RegisterAppendOnly("capital movements are never deleted")


class CapitalCertificate(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="capital_certificates"
    )
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="capital_certificates"
    )
    number = models.CharField(_("certificate number"), max_length=30)
    issued_on = models.DateField(_("issued on"))
    #: the paid capital the certificate states
    amount = models.BigIntegerField(_("capital (VND)"))
    #: the public verification link's key
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    replaced_on = models.DateField(_("replaced on"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "-issued_on", "-id"]
        verbose_name = _("capital certificate")
        verbose_name_plural = _("capital certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="governance_capcert_number"
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(replaced_on__isnull=True),
                name="governance_capcert_one_current",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="governance_capcert_amount"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_current(self) -> bool:
        return self.replaced_on is None


class ForeignMember(models.Model):
    """A member who is a foreign person or organisation (Art. 30 conditions)."""

    scope_province_path = "membership__organisation__province"
    scope_organisation_path = "membership__organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS)

    membership = models.OneToOneField(
        "registry.Membership", on_delete=models.PROTECT, related_name="foreign_mark"
    )
    #: ISO 3166-1 alpha-2
    country = models.CharField(_("country"), max_length=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foreign member")
        verbose_name_plural = _("foreign members")

    def __str__(self) -> str:
        return f"{self.membership_id} ({self.country})"
