"""A cooperative's assessments (rounds T0, T1 …), answers, evidence, scores, DX leads.

Who may do what:

* ``DxLead`` — a young member the manager names to lead DX work.  ``view``: readers of
  the organisation (staff of its province, its manager) and the lead themselves;
  ``change`` (name, retire): the manager and the VCA.
* ``Assessment`` / ``Answer`` / ``Evidence`` / ``DimensionScore`` — ``view``: staff of
  the province, the manager, the organisation's active DX leads; ``answer`` (fill, submit,
  start a new round): the manager, the DX leads and the VCA.  A department viewer or a
  provincial officer reads; they do not answer for a cooperative.  Peers see only
  medians (``selectors_survey.peer_medians``), never another cooperative's rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy

from .questionnaires import Dimension, Question, Questionnaire

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "DimensionScore",
    "DxLead",
    "Evidence",
    "lead_organisations",
]


def lead_organisations(user):
    """Ids of the organisations ``user`` is an active DX lead of, as a subquery."""
    return DxLead.objects.filter(user=user, active=True).values("organisation_id")


def _is_lead(user, scope) -> Q:
    return Q(organisation_id__in=lead_organisations(user))


def _answer_is_lead(user, scope) -> Q:
    return Q(assessment__organisation_id__in=lead_organisations(user))


def _lead_self(user, scope) -> Q:
    return Q(user=user)


class DxLead(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.READERS, change=roles.MANAGERS, extra={"view": _lead_self})

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="dx_leads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: shown in the youth network when the lead agrees (see the impact part)
    public_profile = models.BooleanField(_("public profile in the youth network"), default=False)
    bio = models.CharField(_("about me"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)

    class Meta:
        verbose_name = _("DX lead")
        verbose_name_plural = _("DX leads")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="assessment_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation_id}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being answered")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(models.Model):
    """One round of one organisation: T0 is ``round`` 0, T1 is 1 …"""

    scope_province_path = "province"
    scope_organisation_path = "organisation"
    policy = Policy(
        view=roles.READERS,
        answer=roles.MANAGERS,
        extra={"view": _is_lead, "answer": _is_lead},
    )

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="dx_assessments"
    )
    #: the organisation's province when the round began (peer groups, the province map)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    #: the version answered: kept even when a newer version is published meanwhile
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("round"))
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    #: the mean of the dimension scores (0–100) and its level (0–5), set on submit
    overall_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("DX assessment")
        verbose_name_plural = _("DX assessments")
        ordering = ["organisation", "round"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "round"], name="assessment_round"),
            # one round being answered at a time
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="draft"),
                name="assessment_one_draft",
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="assessment_prov_status")]

    def __str__(self) -> str:
        return f"{self.organisation_id} T{self.round}"

    @property
    def label(self) -> str:
        return f"T{self.round}"


class Answer(models.Model):
    """The answer to one question (autosaved; one row per question per round)."""

    scope_province_path = "assessment__province"
    scope_organisation_path = "assessment__organisation"
    policy = Policy(
        view=roles.READERS,
        answer=roles.MANAGERS,
        extra={"view": _answer_is_lead, "answer": _answer_is_lead},
    )

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    #: chosen option values (one for SINGLE/YES_NO, several for MULTI)
    choices = models.JSONField(default=list, blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    #: 0–100, from the scoring rules when saved
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="assessment_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.question_id}"


class Evidence(models.Model):
    """A photo or file backing an answer (private storage; type checked on upload)."""

    scope_province_path = "answer__assessment__province"
    scope_organisation_path = "answer__assessment__organisation"
    policy = Policy(
        view=roles.READERS,
        answer=roles.MANAGERS,
        extra={
            "view": lambda user, scope: Q(
                answer__assessment__organisation_id__in=lead_organisations(user)
            ),
            "answer": lambda user, scope: Q(
                answer__assessment__organisation_id__in=lead_organisations(user)
            ),
        },
    )

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        _("file"), upload_to=UnguessableName("assessment/%Y/%m/"), storage=private_storage
    )
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.filename


class DimensionScore(models.Model):
    """The score (0–100) and level (0–5) of one dimension in one submitted round."""

    scope_province_path = "assessment__province"
    scope_organisation_path = "assessment__organisation"
    policy = Policy(
        view=roles.READERS,
        extra={"view": _answer_is_lead},
    )

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    level = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    answered = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="assessment_dimscore"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id}: {self.score}"
