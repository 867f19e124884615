"""DX plans: the action catalogue, a cooperative's plan and its actions, the alliance's
comments and visits, and the youth network (topics and posts).

Who may do what:

* ``CatalogueAction`` — data (seeded from ``catalogue_plans.ACTIONS``): everyone with a
  role reads it; the VCA changes it.
* ``Plan`` / ``PlanAction`` — ``view``: staff of the province (department viewers read),
  the manager and the organisation's active DX leads; ``edit`` (write, submit, update
  progress): the manager, the DX leads and the VCA; ``review`` (return, approve, record a
  visit): the VCA and the province's alliance officer; ``comment`` (a comment on an
  action): reviewers, the manager and the DX leads.
* ``ActionComment`` / ``PlanVisit`` — read with their plan.
* ``Topic`` / ``Post`` — the youth network: every signed-in person of an organisation and
  staff read; DX leads and reviewers post (checked in ``services_plans``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy

from .assessments import Assessment, lead_organisations

__all__ = [
    "EDITABLE",
    "OPEN",
    "ActionComment",
    "CatalogueAction",
    "Doer",
    "Plan",
    "PlanAction",
    "PlanStatus",
    "PlanVisit",
    "Post",
    "Topic",
]


def _plan_lead(user, scope) -> Q:
    return Q(organisation_id__in=lead_organisations(user))


def _child_lead(user, scope) -> Q:
    return Q(plan__organisation_id__in=lead_organisations(user))


def _comment_lead(user, scope) -> Q:
    return Q(action__plan__organisation_id__in=lead_organisations(user))


class Doer(models.TextChoices):
    YOUTH = "youth", _("The cooperative's DX youths")
    MANAGER = "manager", _("The cooperative's management board")
    MEMBERS = "members", _("Members, with the DX youths")
    PROVIDER = "provider", _("A service provider, chosen by the cooperative")
    ALLIANCE = "alliance", _("The provincial alliance, with the cooperative")


class CatalogueAction(models.Model):
    """One action a plan may take, with what it costs, how long it takes, who does it,
    the dimension it lifts and what can fund it."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    code = models.SlugField(_("code"), max_length=60, unique=True)
    #: the ``Dimension.key`` the action lifts (keys are stable across versions)
    dimension_key = models.SlugField(_("dimension"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)
    cost_min = models.PositiveBigIntegerField(_("cost from (VND)"))
    cost_max = models.PositiveBigIntegerField(_("cost up to (VND)"))
    months = models.PositiveSmallIntegerField(_("months"), validators=[MaxValueValidator(60)])
    doer = models.CharField(_("who does it"), max_length=10, choices=Doer.choices)
    #: ``[{"kind": "call"|"policy", "code": "...", "label": "..."}]`` — what can fund it;
    #: linked to the programme calls / support policies pages by URL name
    funding = models.JSONField(_("funding"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("catalogue action")
        verbose_name_plural = _("catalogue actions")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_min__lte=models.F("cost_max")), name="assessment_cat_cost"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Sent to the alliance")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


#: statuses in which the youths may still change the plan
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
#: statuses of the one plan being worked on (an approved plan is history)
OPEN = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED)


class Plan(models.Model):
    """A cooperative's DX plan, proposed from the gaps of a submitted assessment."""

    scope_province_path = "province"
    scope_organisation_path = "organisation"
    policy = Policy(
        view=roles.READERS,
        edit=roles.MANAGERS,
        review=roles.REVIEWERS,
        comment=roles.REVIEWERS | roles.MANAGERS,
        extra={"view": _plan_lead, "edit": _plan_lead, "comment": _plan_lead},
    )

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="dx_plans"
    )
    #: the organisation's province when the plan began (the alliance that reviews it)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), max_length=4000, blank=True)
    strategy = models.TextField(_("strategy"), max_length=4000, blank=True)
    #: the whole budget (VND) the cooperative plans to spend; the actions' costs add up
    budget = models.PositiveBigIntegerField(_("budget (VND)"), default=0)
    budget_note = models.TextField(_("where the money comes from"), max_length=2000, blank=True)
    risks = models.TextField(_("risks"), max_length=4000, blank=True)
    #: shown to the youth network
    is_public = models.BooleanField(_("shown to the youth network"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: the alliance's word when it returned or approved the plan
    decision_note = models.TextField(_("the alliance's comment"), max_length=2000, blank=True)
    #: the day it was approved (Vietnam's day), for the results indicators
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("DX plan")
        verbose_name_plural = _("DX plans")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # one plan being worked on at a time; approved plans stay as history
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="assessment_plan_one_open",
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="assessment_plan_prov")]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class PlanAction(models.Model):
    """One action of a plan: who, when, how much, how far it has got."""

    scope_province_path = "plan__province"
    scope_organisation_path = "plan__organisation"
    policy = Policy(view=roles.READERS, extra={"view": _child_lead})

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    catalogue = models.ForeignKey(
        CatalogueAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dimension_key = models.SlugField(_("dimension"), max_length=40, blank=True)
    title = models.CharField(_("action"), max_length=200)
    owner = models.CharField(_("who is responsible"), max_length=150, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    cost = models.PositiveBigIntegerField(_("cost (VND)"), default=0)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_note = models.CharField(_("progress note"), max_length=500, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="assessment_pa_dates"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="assessment_pa_progress"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionComment(models.Model):
    """A comment on one action (the alliance's advice, the youths' answer)."""

    scope_province_path = "action__plan__province"
    scope_organisation_path = "action__plan__organisation"
    policy = Policy(view=roles.READERS, extra={"view": _comment_lead})

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: True when written by staff (the alliance's advice)
    by_staff = models.BooleanField(default=False)
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action comment")
        verbose_name_plural = _("action comments")
        ordering = ["action", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.body[:40]}"


class PlanVisit(models.Model):
    """A visit of the alliance to the cooperative about its plan."""

    scope_province_path = "plan__province"
    scope_organisation_path = "plan__organisation"
    policy = Policy(view=roles.READERS, extra={"view": _child_lead})

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("what was seen and advised"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan visit")
        verbose_name_plural = _("plan visits")
        ordering = ["plan", "-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.visited_on}"


class Topic(models.Model):
    """A discussion thread of the youth network (national)."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.VCA)

    key = models.SlugField(_("key"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("network topic")
        verbose_name_plural = _("network topics")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A message in a topic's thread (plain text, shown escaped)."""

    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.REVIEWERS)

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: where the author writes from (their organisation and province), shown and filtered
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network post")
        verbose_name_plural = _("network posts")
        ordering = ["topic", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.body[:40]}"
