"""The thresholds of the law, as dated rows: a later decree adds a row, not code.

Each row names the article it comes from and whether the 2023 text itself was read
(``confirmed``); :func:`htxso.governance.rules.rule` picks the row in force on a day for
an organisation's kind.  Who may see: everyone signed in (the law is public); who may
change: the VCA.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy

__all__ = ["Rule", "RuleKey", "RuleUnit"]


class RuleKey(models.TextChoices):
    # capital (Art. 74)
    MEMBER_CAPITAL_MAX = "member_capital_max", _("Capital of one official member, at most")
    ASSOCIATE_CAPITAL_MAX = "associate_capital_max", _("All associate members' capital, at most")
    FOREIGN_CAPITAL_MAX = "foreign_capital_max", _("All foreign members' capital, at most")
    FOREIGN_MEMBERS_MAX = "foreign_members_max", _("Foreign official members, fewer than")
    CAPITAL_PAYMENT_MONTHS = "capital_payment_months", _("Months to pay the pledged capital")
    # assemblies (Art. 57–61)
    ANNUAL_ASSEMBLY_MONTHS = (
        "annual_assembly_months",
        _("Months after the year end to hold the annual assembly"),
    )
    DELEGATE_ASSEMBLY_FROM = (
        "delegate_assembly_from",
        _("Official members from which a delegate assembly may be held"),
    )
    DELEGATES = "delegates", _("Delegates for a number of official members")
    QUORUM_1 = "quorum_1", _("Quorum on the first call")
    QUORUM_2 = "quorum_2", _("Quorum on the second call")
    QUORUM_3 = "quorum_3", _("Quorum on the third call")
    SECOND_CALL_DAYS = "second_call_days", _("Days within which the second call meets")
    THIRD_CALL_DAYS = "third_call_days", _("Days within which the third call meets")
    PETITION_SHARE = "petition_share", _("Share of official members who may petition the agenda")
    SPECIAL_MAJORITY = "special_majority", _("Majority for the special matters, at least")
    ORDINARY_MAJORITY = "ordinary_majority", _("Majority for other matters, more than")
    MAJOR_ASSET_DEAL = "major_asset_deal", _("Asset deal that is a special matter, from")
    # disclosures (Art. 14)
    DISCLOSURE_WORKING_DAYS = "disclosure_working_days", _("Working days to post a disclosure")
    DISCLOSURE_KEEP_DAYS = "disclosure_keep_days", _("Days a disclosure stays posted, at least")
    # profit distribution (Art. 86): the share of a base set aside to a fund, at least; a
    # fund without a row in force has no legal minimum (the charter decides)
    INDIVISIBLE_FUND_MIN = (
        "indivisible_fund_min",
        _("Indivisible common fund, at least (share of the income from outside transactions)"),
    )
    DEVELOPMENT_FUND_MIN = (
        "development_fund_min",
        _("Development investment fund, at least (share of the income after tax)"),
    )
    RESERVE_FUND_MIN = (
        "reserve_fund_min",
        _("Financial reserve fund, at least (share of the income after tax)"),
    )


class RuleUnit(models.TextChoices):
    PERCENT = "percent", _("per cent")
    COUNT = "count", _("count")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")


class Rule(models.Model):
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    key = models.CharField(_("rule"), max_length=40, choices=RuleKey.choices)
    #: the organisation kind it applies to (``registry.OrganisationKind``), blank = all
    org_kind = models.CharField(_("kind of organisation"), max_length=20, blank=True)
    #: for banded rules (delegates): the number of official members this row covers
    band_min = models.PositiveIntegerField(_("from (members)"), default=0)
    band_max = models.PositiveIntegerField(_("to (members)"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=15, choices=RuleUnit.choices)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    #: e.g. "Luật HTX 2023, Điều 74 khoản 2"
    article = models.CharField(_("article of the law"), max_length=200)
    source = models.CharField(_("legal text"), max_length=100, default="17/2023/QH15")
    #: the value was read in the text itself (not from a secondary source)
    confirmed = models.BooleanField(_("confirmed in the text"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["key", "org_kind", "band_min", "-valid_from"]
        verbose_name = _("legal threshold")
        verbose_name_plural = _("legal thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "org_kind", "band_min", "valid_from"],
                name="governance_rule_once",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="governance_rule_dates",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="governance_rule_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.value} {self.get_unit_display()} ({self.article})"
