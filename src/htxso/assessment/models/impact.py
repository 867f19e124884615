"""Cohorts of participating cooperatives (the impact part).

A cohort is data: the cooperatives that take part in a project (e.g. the EU youth-DX
project), so that their change between rounds (T0 → T1) can be compared with similar
cooperatives that did not take part (``selectors_impact.cohort_impact``).

Who may do what:

* ``Cohort`` — ``view``: staff (the VCA every cohort; a province's officers and
  department viewers the cohorts of their province and the national ones);
  ``change`` (rename, close): the VCA, and a province's officer for the cohorts of that
  province.  A national cohort (no province) is changed by the VCA only.
* ``CohortMember`` — ``view``: staff of the member's province (and the VCA);
  ``change`` (add, remove): the VCA, and the officer of the member's province — an
  officer adds cooperatives of his own province only, also to a national cohort.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import NOTHING, Policy
from htxso.core.scoping import ScopedManager

__all__ = ["Cohort", "CohortMember"]


def _national_cohorts(user, scope) -> Q:
    """Staff of any province see the national cohorts (their own members only)."""
    if scope.roles & roles.STAFF:
        return Q(province__isnull=True)
    return NOTHING


class Cohort(models.Model):
    """The cooperatives taking part in one project or programme."""

    scope_province_path = "province"
    scope_organisation_path = None
    policy = Policy(
        view=roles.STAFF,
        change=roles.REVIEWERS,
        extra={"view": _national_cohorts},
    )

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    #: null: a national cohort (the VCA's; officers add their own province's members)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    #: the round before the project (T0) and the one after it (T1) compared
    before_round = models.PositiveSmallIntegerField(_("round before"), default=0)
    after_round = models.PositiveSmallIntegerField(_("round after"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_round__gt=models.F("before_round")),
                name="assessment_cohort_rounds",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CohortMember(models.Model):
    """One cooperative of a cohort."""

    scope_province_path = "organisation__province"
    scope_organisation_path = None
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="dx_cohorts"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        ordering = ["cohort", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organisation"], name="assessment_cohort_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.organisation_id}"
