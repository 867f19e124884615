"""Organisations of the collective economy: cooperative groups, cooperatives, unions."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.formatting import format_address
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager
from htxso.core.text import fold


class OrganisationKind(models.TextChoices):
    GROUP = "group", _("Cooperative group")
    COOPERATIVE = "cooperative", _("Cooperative")
    UNION = "union", _("Union of cooperatives")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVING = "dissolving", _("Dissolving")
    DISSOLVED = "dissolved", _("Dissolved")


class Sector(models.TextChoices):
    """Main field of activity (simplified from the statistics classification)."""

    AGRICULTURE = "agriculture", _("Agriculture")
    FORESTRY = "forestry", _("Forestry")
    FISHERY = "fishery", _("Fishery and aquaculture")
    INDUSTRY = "industry", _("Industry and handicrafts")
    CONSTRUCTION = "construction", _("Construction")
    TRADE = "trade", _("Trade and services")
    TRANSPORT = "transport", _("Transport")
    CREDIT = "credit", _("People's credit fund")
    TOURISM = "tourism", _("Tourism")
    ENVIRONMENT = "environment", _("Environment and water")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """One organisation of the collective economy (tổ hợp tác / HTX / liên hiệp HTX).

    Public fields (shown on the public profile and in open data): kind, name,
    tax_code, province, ward, address, status, established_on, sector, main_products,
    description, website, high_tech, charter_capital.  Contact phone and e-mail are
    public too (they are the organisation's, not a person's).
    """

    scope_province_path = "province"
    scope_organisation_path = "pk"
    policy = Policy(
        view=roles.STAFF_AND_ORGANISATIONS,
        change=roles.EDITORS,
        # registering an organisation in a province (checked with ``Policy.allows_at``)
        create=roles.REVIEWERS,
        # the tax code is the organisation's identity: only the province or the VCA
        change_tax_code=roles.REVIEWERS,
        # members, workers and their personal fields: not the organisation's members
        see_people=roles.READERS,
    )

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
    )
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("province"),
    )
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("ward"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    legacy_address = models.CharField(
        _("address before the 2025 reform"),
        max_length=255,
        blank=True,
        help_text=_("As written in older records (district, old ward and province)."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    main_products = models.CharField(_("main products or services"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    charter_capital = models.BigIntegerField(_("charter capital (VND)"), null=True, blank=True)
    high_tech = models.BooleanField(
        _("applies high technology"),
        default=False,
        help_text=_("Uses high technology in production (e.g. agricultural high-tech)."),
    )
    # issue 19: what the business-registration and tax extracts say
    # db defaults: raw inserts (benchmarks, bulk loaders) that do not name these columns
    representative = models.CharField(
        _("legal representative"), max_length=150, blank=True, default="", db_default=""
    )
    dissolved_on = models.DateField(
        _("dissolved on"),
        null=True,
        blank=True,
        help_text=_("From this day the organisation no longer counts as operating."),
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    vsic_codes = models.JSONField(
        _("business lines (VSIC 2018)"), null=True, blank=True, default=list
    )
    tax_status = models.CharField(
        _("tax status"), max_length=20, blank=True, default="", db_default=""
    )
    tax_status_on = models.DateField(_("tax status as of"), null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["province", "kind", "status"], name="org_province_kind_status"),
            models.Index(fields=["kind", "status"], name="org_kind_status"),
            # the list order: lets the database stop after one page instead of sorting all
            models.Index(fields=["province", "name"], name="org_province_name"),
            # the sync feed (issue 19): changes in (updated_at, id) order, by pages
            models.Index(fields=["updated_at", "id"], name="org_updated_feed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["group", "cooperative", "union"]),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="group") | models.Q(tax_code__isnull=False),
                name="organisation_tax_code_required_unless_group",
            ),
            models.CheckConstraint(
                condition=models.Q(charter_capital__isnull=True) | models.Q(charter_capital__gte=0),
                name="organisation_charter_capital_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.tax_code or ''}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def display_address(self) -> str:
        """Street, ward and province, without repeating what the street already says
        (select ``ward`` and ``province`` with the organisation)."""
        return format_address(
            self.address, self.ward.name if self.ward_id else "", self.province.name
        )


def _changeable_organisations(user: Any) -> models.QuerySet[Organisation]:
    return Organisation.policy.queryset(user, "change").values("pk")


class UnionMembership(models.Model):
    """A cooperative that belongs to a union of cooperatives."""

    scope_province_path = "union__province"
    scope_organisation_path = "union"
    policy = Policy(
        view=roles.STAFF_AND_ORGANISATIONS,
        change=roles.EDITORS,
        # either side records and ends it: the member cooperative's editors too
        extra={"change": lambda user, scope: Q(member__in=_changeable_organisations(user))},
    )

    union = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="union_members",
        verbose_name=_("union"),
        limit_choices_to={"kind": "union"},
    )
    member = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="unions",
        verbose_name=_("member cooperative"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("union membership")
        verbose_name_plural = _("union memberships")
        constraints = [
            models.UniqueConstraint(fields=["union", "member"], name="union_member_unique"),
            models.CheckConstraint(
                condition=~models.Q(union=models.F("member")), name="union_member_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.union}"


class ValueChainLink(models.Model):
    """A link of the organisation into a product value chain (buyer, processor…)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    class Role(models.TextChoices):
        SUPPLIER = "supplier", _("Supplies raw produce")
        PROCESSOR = "processor", _("Processes")
        DISTRIBUTOR = "distributor", _("Distributes / sells")
        SERVICE = "service", _("Provides services to the chain")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="value_chain_links",
        verbose_name=_("organisation"),
    )
    product = models.CharField(_("product"), max_length=150)
    partner_name = models.CharField(_("partner"), max_length=255)
    partner_tax_code = models.CharField(_("partner tax code"), max_length=14, blank=True)
    role = models.CharField(_("role in the chain"), max_length=20, choices=Role.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    contract_reference = models.CharField(_("contract reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("value-chain link")
        verbose_name_plural = _("value-chain links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="value_chain_link_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.partner_name}"
