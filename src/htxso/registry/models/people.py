"""People, memberships and the workforce.

A :class:`Person` is one identity reused by every module (governance, training,
market…).  Personal fields (citizen id, ethnicity, birth date, phone) are shown only to
roles that need them and never on public pages or in open data.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager
from htxso.core.text import fold

from ..data.ethnicities import ETHNICITIES

#: Youth: a worker under this age (years) at the reference date.
YOUTH_AGE = 35


def age_on(birth_date: dt.date | None, on: dt.date) -> int | None:
    if birth_date is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Person(models.Model):
    """A natural person known to the registry.

    ``organisation`` is the organisation that recorded the person; it decides who may
    see the row (the person may also belong to other organisations).  A person with no
    organisation (a trainer, a policymaker met in training) is seen by the VCA alone.
    ``merged_into`` points from a record found to be a duplicate to the one kept
    (training's duplicate review); such a record keeps its history but counts no more.
    """

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    # personal data: staff and the organisation's manager, not its members
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("recorded by"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    #: The year of birth: from ``birth_date`` when known, or given alone (training lists
    #: often carry only the year).  Matching people uses it.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES, blank=True)
    citizen_id = models.CharField(
        _("citizen ID number"), max_length=12, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["search_text", "birth_year"], name="person_name_year"),
            models.Index(fields=["phone"], name="person_phone"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_text = fold(self.full_name)
        if self.birth_date is not None:
            self.birth_year = self.birth_date.year
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "birth_year"}
        super().save(*args, **kwargs)

    def age_on(self, on: dt.date) -> int | None:
        return age_on(self.birth_date, on)


class MemberKind(models.TextChoices):
    OFFICIAL = "official", _("Official member")
    CAPITAL_ASSOCIATE = "capital_associate", _("Associate member with capital")
    SERVICE_ASSOCIATE = "service_associate", _("Associate member without capital")


class Membership(models.Model):
    """A person's (or an organisation's) membership of a cooperative or group."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    # personal data: staff and the organisation's manager, not its members
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    kind = models.CharField(_("kind of member"), max_length=20, choices=MemberKind.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    capital = models.BigIntegerField(_("capital contributed (VND)"), default=0)
    capital_certificate_no = models.CharField(
        _("capital certificate number"), max_length=50, blank=True
    )
    capital_certificate_date = models.DateField(
        _("capital certificate date"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "joined_on", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["organisation", "left_on"], name="membership_org_active")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capital__gte=0), name="membership_capital_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="service_associate") | models.Q(capital=0),
                name="membership_service_associate_no_capital",
            ),
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Worker(models.Model):
    """A person working for an organisation (member or not); youth = under 35."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    # personal data: staff and the organisation's manager, not its members
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="workers",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("person")
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_manager = models.BooleanField(
        _("in management"), default=False, help_text=_("Board, director or supervisory board.")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    monthly_income = models.BigIntegerField(
        _("average monthly income (VND)"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "started_on", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        indexes = [models.Index(fields=["organisation", "ended_on"], name="worker_org_active")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="worker_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_income__isnull=True) | models.Q(monthly_income__gte=0),
                name="worker_income_gte_0",
            ),
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=models.Q(ended_on__isnull=True),
                name="worker_one_active_job_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"
