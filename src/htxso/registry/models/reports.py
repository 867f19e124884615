"""Annual reports (content of form VII-2, Circular 09/2024/TT-BKHĐT) and their history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

#: Day and month by which the annual update is due (Circular 09/2024, Art. 6–7).
REPORT_DUE_DAY = (12, 15)


def report_due_date(year: int) -> dt.date:
    month, day = REPORT_DUE_DAY
    return dt.date(year, month, day)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class AnnualReport(models.Model):
    """One organisation's figures for one year.  Money is whole VND."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the manager (or the
    #: VCA) fills it in and submits it (``file``), the province's officer (or the VCA)
    #: accepts or returns it (``review``).
    policy = Policy(
        view=roles.STAFF_AND_ORGANISATIONS,
        # the organisation's manager (or the VCA) writes it; a provincial officer
        # reviews it but never edits it (``editable_by`` used to say otherwise)
        change=roles.MANAGERS,
        file=roles.MANAGERS,
        review=roles.REVIEWERS,
    )

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # members and workforce at 31 December
    members_official = models.PositiveIntegerField(_("official members"), null=True, blank=True)
    members_associate = models.PositiveIntegerField(_("associate members"), null=True, blank=True)
    workers_total = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    workers_youth = models.PositiveIntegerField(_("workers under 35"), null=True, blank=True)
    workers_female = models.PositiveIntegerField(_("female workers"), null=True, blank=True)
    # capital and results
    charter_capital = models.BigIntegerField(_("charter capital (VND)"), null=True, blank=True)
    total_assets = models.BigIntegerField(_("total assets (VND)"), null=True, blank=True)
    revenue = models.BigIntegerField(_("revenue (VND)"), null=True, blank=True)
    profit = models.BigIntegerField(
        _("profit before tax (VND)"), null=True, blank=True, help_text=_("Negative for a loss.")
    )
    revenue_from_members = models.BigIntegerField(
        _("revenue from services to members (VND)"), null=True, blank=True
    )
    average_income_month = models.BigIntegerField(
        _("average monthly income per worker (VND)"), null=True, blank=True
    )
    taxes_paid = models.BigIntegerField(_("taxes paid (VND)"), null=True, blank=True)
    # self-assessment of effectiveness, and technology
    operating_effectively = models.BooleanField(_("operating effectively"), null=True, blank=True)
    uses_high_tech = models.BooleanField(_("applies high technology"), null=True, blank=True)
    in_value_chain = models.BooleanField(_("part of a value chain"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    # workflow
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        indexes = [models.Index(fields=["year", "status"], name="annual_report_year_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="annual_report_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990) & models.Q(year__lte=2100),
                name="annual_report_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(workers_youth__isnull=True)
                | models.Q(workers_total__isnull=True)
                | models.Q(workers_youth__lte=models.F("workers_total")),
                name="annual_report_youth_le_workers",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": 0}),
                    name=f"annual_report_{name}_gte_0",
                )
                for name in (
                    "charter_capital",
                    "total_assets",
                    "revenue",
                    "revenue_from_members",
                    "average_income_month",
                    "taxes_paid",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"

    @property
    def due_on(self) -> dt.date:
        return report_due_date(self.year)

    @property
    def youth_share(self) -> float | None:
        if not self.workers_total or self.workers_youth is None:
            return None
        return self.workers_youth / self.workers_total


class AnnualReportEvent(models.Model):
    """History of a report: every submission, return and acceptance, with its comment."""

    scope_province_path = "report__organisation__province"
    scope_organisation_path = "report__organisation"
    #: Read with its report; written only by the report services.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"
