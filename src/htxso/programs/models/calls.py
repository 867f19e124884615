"""A call (đợt tuyển chọn) of a programme, its criteria and its publication per province."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager
from htxso.registry.rules.kinds import CriterionKind  # moved to the shared rule engine


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed, under selection")
    DECIDED = "decided", _("Decided")


class PublicationState(models.TextChoices):
    """Where a call stands in one province.  Not stored (it follows from the
    publication and the forwarded list); the one name of each state on every page."""

    NOT_PUBLISHED = "not_published", _("Not yet announced to cooperatives")
    PUBLISHED = "published", _("Announced to cooperatives")
    FORWARDED = "forwarded", _("List forwarded to VCA")

    @classmethod
    def of(cls, *, published: bool, forwarded: bool) -> PublicationState:
        if forwarded:
            return cls.FORWARDED
        return cls.PUBLISHED if published else cls.NOT_PUBLISHED


class Ranking(models.TextChoices):
    """How qualifying provinces are ordered on the national page."""

    ELIGIBLE_COUNT = "eligible_count", _("Most eligible cooperatives first")
    YOUTH_SHARE = "youth_share", _("Highest average youth share first")
    FIRST_FORWARDED = "first_forwarded", _("Earliest forwarded list first")


class Call(models.Model):
    """One call for applications of a programme, run by VCA through the provinces."""

    title = models.CharField(_("title"), max_length=255)
    programme = models.CharField(
        _("programme or project"),
        max_length=255,
        help_text=_("For example: Youth in cooperatives as agents of digital transformation."),
    )
    donor = models.CharField(_("donor"), max_length=255, blank=True)
    period = models.CharField(
        _("implementation period"),
        max_length=100,
        blank=True,
        help_text=_("E.g. 2024–2027 (42 months)."),
    )
    summary = models.TextField(_("objectives and expected results"), blank=True, max_length=6000)
    audience_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        help_text=_("Kinds of organisation that may apply (cooperative, group, union)."),
    )
    deadline = models.DateTimeField(
        _("deadline for applications"),
        help_text=_("Time in Vietnam (UTC+7). Submissions after it are refused."),
    )
    forward_deadline = models.DateTimeField(
        _("deadline for provincial lists"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    min_eligible = models.PositiveSmallIntegerField(
        _("eligible cooperatives for a province to qualify"), default=5
    )
    provinces_min = models.PositiveSmallIntegerField(_("fewest provinces selected"), default=12)
    provinces_max = models.PositiveSmallIntegerField(_("most provinces selected"), default=24)
    ranking = models.CharField(
        _("ranking of provinces"),
        max_length=20,
        choices=Ranking.choices,
        default=Ranking.ELIGIBLE_COUNT,
    )
    reference = models.CharField(
        _("VCA letter number"), max_length=60, blank=True, help_text=_("E.g. 205/CQLMHTXVN-HTQT.")
    )
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provinces_min__lte=models.F("provinces_max")),
                name="call_province_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(provinces_min__gte=1) & models.Q(min_eligible__gte=1),
                name="call_bounds_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "closed", "decided"]),
                name="call_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One criterion of a call, as data: a kind and its parameters (``params``).

    ``params`` by kind — youth_share: ``threshold`` (percent), ``as_of`` (ISO date);
    finance: ``field`` (revenue|profit), ``years``, ``mode`` (positive|growing),
    ``last_year``; grade: ``at_least``; value_chain: ``min_links``; ocop: ``min_stars``;
    sector: ``sectors``; province: ``provinces``; org_kind: ``kinds``;
    operating_months: ``min_months``; declared: nothing (the label is the question).
    """

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=CriterionKind.choices)
    label = models.CharField(_("criterion"), max_length=255)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["call_id", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.label

    @property
    def is_declared(self) -> bool:
        return self.kind == CriterionKind.DECLARED


class CallProvince(models.Model):
    """The call published by a provincial alliance to the cooperatives of its province."""

    scope_province_path = "province"
    scope_organisation_path = None
    #: ``publish``: the provincial alliance announces the call in its province.
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS, publish=roles.REVIEWERS)

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="publications", verbose_name=_("call")
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    deadline = models.DateTimeField(
        _("provincial deadline"),
        null=True,
        blank=True,
        help_text=_("Earlier deadline set by the province; empty = the call's deadline."),
    )
    letter_number = models.CharField(_("letter number"), max_length=60, blank=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    address = models.CharField(_("address for submissions"), max_length=255, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["call_id", "province_id"]
        verbose_name = _("provincial publication")
        verbose_name_plural = _("provincial publications")
        constraints = [
            models.UniqueConstraint(fields=["call", "province"], name="call_province_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.province_id}"

    @property
    def effective_deadline(self):
        if self.deadline and self.deadline < self.call.deadline:
            return self.deadline
        return self.call.deadline
