"""Courses, their modules and sessions, and enrolments.

Who may do what:

* ``Course`` — ``view``: the VCA everywhere, a province's staff the province's courses,
  a trainer the courses they teach (national courses have no province: the VCA and their
  trainers).  The public catalogue of open courses is a separate selector.
  ``change`` (plan: title, modules, sessions, trainers): the VCA and the province's
  officer.  ``teach`` (attendance, results, completion): those, and the course's trainers.
* ``Enrolment`` — ``view``: the course's staff and trainers, the manager of the
  participant's cooperative, and the participant themselves (``user``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


def courses_taught(user):
    """Ids of the courses ``user`` teaches, as a subquery: a join through the trainers
    would repeat a row once per trainer of its course (and ``get()`` would fail)."""
    return Course.trainers.through.objects.filter(user=user).values("course_id")


def _taught_by(user, scope) -> Q:
    return Q(pk__in=courses_taught(user))


def _session_taught_by(user, scope) -> Q:
    return Q(course_id__in=courses_taught(user))


def _enrolment_trainer_or_self(user, scope) -> Q:
    return Q(course_id__in=courses_taught(user)) | Q(user=user) | Q(person__user=user)


class CourseKind(models.TextChoices):
    DIGITAL_SKILLS = "digital_skills", _("Digital skills")
    TOT = "tot", _("Training of trainers")
    VALUE_CHAIN = "value_chain", _("Value-chain digital transformation")
    STORE_OPENING = "store_opening", _("Opening a store on the online market")
    WORKSHOP = "workshop", _("Policy workshop")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    YOUTH = "youth", _("Young people (under 35)")
    TRAINERS = "trainers", _("Trainers")
    MEMBERS = "members", _("Members and workers of cooperatives")
    POLICYMAKERS = "policymakers", _("Policymakers")
    GENERAL = "general", _("Everyone")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running (enrolment closed)")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Course(models.Model):
    scope_province_path = "province"
    policy = Policy(
        view=roles.STAFF | {roles.Role.TRAINER},
        change=roles.REVIEWERS,
        teach=roles.REVIEWERS | {roles.Role.TRAINER},
        extra={"view": _taught_by, "teach": _taught_by},
    )

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    #: Who funds it (e.g. "EU youth-DX project"); free text, shown on certificates.
    funded_by = models.CharField(_("funded by"), max_length=200, blank=True)
    #: The province that runs it; empty for a national (VCA) course.
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="courses_taught",
        verbose_name=_("trainers"),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # --- completion rule ----------------------------------------------------------------
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80
    )
    #: A final assessment must be passed with at least this score (0–100); empty = none.
    pass_score = models.PositiveSmallIntegerField(_("pass score"), null=True, blank=True)
    #: Store-opening courses: the participant must run a verified store with a listed
    #: product on the market (the outcome, not only the attendance).
    requires_store = models.BooleanField(_("requires an open store"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-starts_on", "title", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                name="course_pass_score_0_100",
                condition=Q(pass_score__isnull=True) | Q(pass_score__lte=100),
            ),
            models.CheckConstraint(
                name="course_attendance_0_100", condition=Q(min_attendance_percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    """One part of a course's curriculum, with its hours."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["course", "order", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In the hall")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In the hall and online")


def _session_secret() -> str:
    return secrets.token_urlsafe(32)


class CourseSession(models.Model):
    """One meeting of a course: in a hall (a ward and a place), online (a link), or both."""

    scope_province_path = "course__province"
    policy = Policy(
        view=roles.STAFF | {roles.Role.TRAINER},
        change=roles.REVIEWERS,
        teach=roles.REVIEWERS | {roles.Role.TRAINER},
        extra={
            "view": _session_taught_by,
            "teach": _session_taught_by,
        },
    )

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=10, choices=SessionMode.choices)
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ward"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    #: Key of the rotating check-in QR codes (never shown; rotated to void old codes).
    checkin_secret = models.CharField(max_length=64, default=_session_secret, editable=False)
    #: The trainer opened check-in (the rotating QR is shown) / closed it.
    checkin_opened_at = models.DateTimeField(null=True, blank=True)
    checkin_closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["course", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("The participant")
    MANAGER = "manager", _("The cooperative's manager")
    IMPORT = "import", _("A list imported from Excel")
    STAFF = "staff", _("Training staff")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """One person in one course.  Counting people uses ``person`` (one row per person),
    never the number of enrolments."""

    scope_province_path = "course__province"
    scope_organisation_path = "organisation"
    policy = Policy(
        view=roles.READERS | {roles.Role.TRAINER},
        change=roles.REVIEWERS | {roles.Role.COOP_MANAGER},
        teach=roles.REVIEWERS | {roles.Role.TRAINER},
        extra={"view": _enrolment_trainer_or_self, "teach": _session_taught_by},
    )

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    #: The participant's account, when they have one (sees it under "my training").
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    #: The participant's cooperative, when they come from one (its manager sees them).
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("cooperative"),
    )
    #: A remote participant (training of trainers mixes hall and remote).
    remote = models.BooleanField(_("remote"), default=False)
    source = models.CharField(_("enrolled by"), max_length=10, choices=EnrolmentSource.choices)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    #: Age in whole years on the course's first day (youth counts use it).
    age_at_start = models.PositiveSmallIntegerField(null=True, blank=True)
    assessment_score = models.PositiveSmallIntegerField(
        _("assessment score"), null=True, blank=True
    )
    result_note = models.CharField(_("trainer's note"), max_length=500, blank=True)
    #: The personal link of an online participant (a hash of the token is kept).
    online_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["course", "person__full_name", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="enrolment_once_per_person"),
            models.CheckConstraint(
                name="enrolment_score_0_100",
                condition=Q(assessment_score__isnull=True) | Q(assessment_score__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="enrolment_person_status")]

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"
