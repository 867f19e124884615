"""Attendance: who was at which session, and how it was taken (owned by the attendance part)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

from .courses import courses_taught


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Scanned the session's QR code")
    ROSTER = "roster", _("Checked in from the roster")
    ONLINE_LINK = "online_link", _("Personal online link")
    OFFLINE = "offline", _("Taken offline, sent later")


class Attendance(models.Model):
    scope_province_path = "enrolment__course__province"
    scope_organisation_path = "enrolment__organisation"
    policy = Policy(
        view=roles.READERS | {roles.Role.TRAINER},
        teach=roles.REVIEWERS | {roles.Role.TRAINER},
        extra={
            "view": lambda user, scope: (
                Q(enrolment__course_id__in=courses_taught(user)) | Q(enrolment__user=user)
            ),
            "teach": lambda user, scope: Q(enrolment__course_id__in=courses_taught(user)),
        },
    )

    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        "training.CourseSession", on_delete=models.PROTECT, related_name="attendances"
    )
    method = models.CharField(_("method"), max_length=12, choices=AttendanceMethod.choices)
    checked_in_at = models.DateTimeField(_("checked in at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Id the phone gave an offline check-in, so a resent queue adds nothing twice.
    client_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["session", "checked_in_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}"


class CheckinToken(models.Model):
    """A used rotating-QR code (its nonce), kept until it expires so it cannot be
    replayed by another person."""

    session = models.ForeignKey(
        "training.CourseSession", on_delete=models.CASCADE, related_name="+"
    )
    nonce = models.CharField(max_length=64)
    used_by = models.ForeignKey("training.Enrolment", on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nonce", "used_by"], name="checkin_nonce_once"
            ),
        ]

    def __str__(self) -> str:
        return self.nonce
