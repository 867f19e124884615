"""The member portal's own tables: questions to the board, services used by members,
profit distribution (by use of services and by capital).  Owned by the portal part.

Who may do what (policy):

* a question, a year's services used and a member's profit share name one member: seen by
  ``READERS`` (staff and the manager) and by the member for their own row; answered or
  recorded by ``MANAGERS``;
* a profit distribution (the totals the assembly approves) is seen by the organisation's
  people and staff; prepared and approved by ``MANAGERS``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy

from .assemblies import own_membership_q

__all__ = [
    "DistributionStatus",
    "ProfitDistribution",
    "ProfitShare",
    "Question",
    "ServiceUse",
]


class Question(models.Model):
    """A member's question to the board (Hội đồng quản trị) and its answer."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("my question"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer of the board"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question to the board")
        verbose_name_plural = _("questions to the board")
        indexes = [
            models.Index(fields=["organisation", "answered_at"], name="governance_question_open")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ServiceUse(models.Model):
    """What a member bought from or sold through the cooperative in a year (VND): the key
    of the distribution by use of services, recorded or imported by the manager."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("services used (VND)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "membership_id"]
        verbose_name = _("services used by a member")
        verbose_name_plural = _("services used by members")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"], name="governance_service_use_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="governance_service_use_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.year}: {self.amount}"


class DistributionStatus(models.TextChoices):
    DRAFT = "draft", _("Calculation (not approved yet)")
    APPROVED = "approved", _("Approved by the general assembly")


class ProfitDistribution(models.Model):
    """A year's income after tax distributed in the law's order: first the funds (the
    indivisible common fund, development investment, financial reserve, the charter's
    other funds), then to members by use of services, the rest by paid capital.  Approved
    by the assembly (a resolution of kind ``profit``)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("financial year"))
    profit_after_tax = models.BigIntegerField(_("income after tax (VND)"))
    indivisible_fund = models.BigIntegerField(_("to the indivisible common fund (VND)"), default=0)
    development_fund = models.BigIntegerField(
        _("to the development investment fund (VND)"), default=0
    )
    reserve_fund = models.BigIntegerField(_("to the financial reserve fund (VND)"), default=0)
    other_funds = models.BigIntegerField(_("to other funds of the charter (VND)"), default=0)
    #: of what is left for members, the share paid by use of services (the rest by capital)
    by_services_pct = models.DecimalField(
        _("paid by use of services (%)"), max_digits=5, decimal_places=2
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DistributionStatus.choices,
        default=DistributionStatus.DRAFT,
    )
    #: the assembly's resolution that approved it (kind ``profit``)
    resolution = models.ForeignKey(
        "Resolution", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("profit distribution")
        verbose_name_plural = _("profit distributions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="governance_distribution_once"
            ),
            models.CheckConstraint(
                condition=Q(profit_after_tax__gte=0)
                & Q(indivisible_fund__gte=0)
                & Q(development_fund__gte=0)
                & Q(reserve_fund__gte=0)
                & Q(other_funds__gte=0),
                name="governance_distribution_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(
                    profit_after_tax__gte=F("indivisible_fund")
                    + F("development_fund")
                    + F("reserve_fund")
                    + F("other_funds")
                ),
                name="governance_distribution_funds_fit",
            ),
            models.CheckConstraint(
                condition=Q(by_services_pct__gte=0) & Q(by_services_pct__lte=100),
                name="governance_distribution_pct",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(resolution__isnull=False),
                name="governance_distribution_approved_by_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"

    @property
    def to_members(self) -> int:
        return self.profit_after_tax - self.funds

    @property
    def funds(self) -> int:
        return self.indivisible_fund + self.development_fund + self.reserve_fund + self.other_funds


class ProfitShare(models.Model):
    """One member's share of a distribution: seen by the member and the readers only."""

    scope_province_path = "distribution__organisation__province"
    scope_organisation_path = "distribution__organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": own_membership_q()})

    distribution = models.ForeignKey(
        ProfitDistribution, on_delete=models.CASCADE, related_name="shares"
    )
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    services_used = models.BigIntegerField(_("services used (VND)"), default=0)
    capital = models.BigIntegerField(_("paid capital (VND)"), default=0)
    by_services = models.BigIntegerField(_("by use of services (VND)"), default=0)
    by_capital = models.BigIntegerField(_("by capital (VND)"), default=0)

    class Meta:
        ordering = ["distribution_id", "membership_id"]
        verbose_name = _("member's profit share")
        verbose_name_plural = _("members' profit shares")
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "membership"], name="governance_share_once"
            ),
            models.CheckConstraint(
                condition=Q(services_used__gte=0)
                & Q(capital__gte=0)
                & Q(by_services__gte=0)
                & Q(by_capital__gte=0),
                name="governance_share_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.total}"

    @property
    def total(self) -> int:
        return self.by_services + self.by_capital
