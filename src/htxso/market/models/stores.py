"""Stores (gian hàng): who sells on the market."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import Scope, ScopedManager
from htxso.core.text import fold


def _owned(user: Any, scope: Scope) -> Q:
    """A member household's store is also its owner's (to see and to change)."""
    return Q(owner=user) if user.is_authenticated else Q(pk__in=[])


class SellerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    GROUP = "group", _("Cooperative group")
    HOUSEHOLD = "household", _("Member household")
    #: A household or individual producer belonging to no cooperative: the store has no
    #: organisation; it is opened when the provincial officer approves a store request.
    INDEPENDENT = "independent", _("Household producer / individual")


class StoreStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class Store(models.Model):
    """A store on the market: of an organisation of the registry, or of an independent
    household producer.

    ``organisation`` is the cooperative (or cooperative group) the store belongs to; its
    province is the store's ``province`` (copied on save).  An independent producer's
    store (``kind=independent``, see ``StoreRequest``) has no organisation: its
    ``province`` is where the producer lives, and ``owner`` runs it.
    A member household's store (``kind=household``) is attached to its cooperative and
    run by ``owner`` (a member user); the cooperative's managers can also manage it.
    Only ``verified`` stores are public and can sell; the provincial officer verifies
    against the registry (tax code, status) or rejects with ``status_reason``.
    ``bank_bin``/``bank_account``/``bank_account_name`` feed the VietQR codes of its
    orders.
    """

    scope_province_path = "province"
    scope_organisation_path = "organisation"
    #: Staff and the organisation's people see a store, its editors and its owner (a
    #: member household) change it; the province's officer verifies, rejects, suspends.
    policy = Policy(
        view=roles.STAFF_AND_ORGANISATIONS,
        change=roles.EDITORS,
        verify=roles.REVIEWERS,
        # who sells through the store: the organisation's manager and its owner (the
        # VCA and officers may change a store, but they do not sell through it)
        sell={roles.Role.COOP_MANAGER},
        extra={"view": _owned, "change": _owned, "sell": _owned},
    )

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stores",
        verbose_name=_("organisation"),
    )
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        related_name="market_stores",
        verbose_name=_("province"),
        help_text=_("The organisation's province, or where an independent producer lives."),
    )
    kind = models.CharField(
        _("seller"), max_length=20, choices=SellerKind.choices, default=SellerKind.COOPERATIVE
    )
    household_name = models.CharField(
        _("household name"),
        max_length=120,
        blank=True,
        help_text=_("For a member household's store: the household's name."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_stores",
        verbose_name=_("run by"),
    )
    name = models.CharField(_("store name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=8000)
    logo = models.ImageField(_("logo"), upload_to="market/logos/", blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    offers_pickup = models.BooleanField(_("pickup at the store"), default=True)
    pickup_address = models.CharField(_("pickup address"), max_length=255, blank=True)
    pickup_ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pickup ward"),
        help_text=_("The ward or commune of the pickup address, in the organisation's province."),
    )
    offers_delivery = models.BooleanField(_("delivery"), default=True)
    delivery_fee = models.PositiveIntegerField(_("delivery fee (VND)"), default=0)
    delivery_note = models.CharField(_("delivery note"), max_length=255, blank=True)
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=StoreStatus.choices, default=StoreStatus.DRAFT
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        indexes = [models.Index(fields=["status", "name"], name="market_store_status_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(offers_pickup=True) | Q(offers_delivery=True),
                name="market_store_pickup_or_delivery",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending", "verified", "rejected", "suspended"]),
                name="market_store_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="household") | ~Q(household_name=""),
                name="market_store_household_named",
            ),
            # an independent producer's store has no organisation; every other has one
            models.CheckConstraint(
                condition=(Q(kind="independent") & Q(organisation__isnull=True))
                | (~Q(kind="independent") & Q(organisation__isnull=False)),
                name="market_store_organisation_or_independent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.organisation_id is not None:
            # the store's province is its organisation's (scoping, verification, filters)
            province_id = self.organisation.province_id
            if province_id != self.province_id:
                self.province_id = province_id
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "province"}
        self.search_text = fold(f"{self.name} {self.household_name}")[:400]
        if kwargs.get("update_fields") is not None and (
            "name" in kwargs["update_fields"] or "household_name" in kwargs["update_fields"]
        ):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_independent(self) -> bool:
        """A household or individual producer belonging to no cooperative."""
        return self.kind == SellerKind.INDEPENDENT

    @property
    def seller_label(self) -> str:
        """Who sells, for the store's header: the organisation, or the producer kind."""
        if self.organisation_id is None:
            return str(SellerKind.INDEPENDENT.label)
        return self.organisation.name

    @property
    def is_public(self) -> bool:
        return self.status == StoreStatus.VERIFIED

    @property
    def pickup_place(self) -> str:
        """Where buyers pick up: "street, ward, province" ("" without pickup).

        The province is the ward's (always the store's province, see
        ``services.stores``); a store saved before the ward picker has only the street
        and the store's province.
        """
        if not self.offers_pickup:
            return ""
        parts = [self.pickup_address.strip()]
        if self.pickup_ward_id:
            parts += [self.pickup_ward.name, self.pickup_ward.province.name]
        else:
            parts.append(self.province.name)
        return ", ".join(p for p in parts if p)

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_bin and self.bank_account)
