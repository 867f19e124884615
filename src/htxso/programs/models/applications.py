"""Applications of organisations to a call, their history, files and criterion verdicts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the province")
    INFO_REQUESTED = "info_requested", _("More information requested")
    VERIFIED = "verified", _("Verified by the province")
    REJECTED = "rejected", _("Not eligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FORWARDED = "forwarded", _("Forwarded to VCA")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


#: States in which the applicant may still change the application.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED)


class Application(models.Model):
    """One organisation's application to one call (at most one per call)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Members do not see their organisation's applications.  ``apply``: the applicant's
    #: actions (fill, attach, submit, withdraw); ``review``: the province's.
    policy = Policy(
        view=roles.READERS,
        change=roles.EDITORS,
        apply=roles.MANAGERS,
        review=roles.REVIEWERS,
    )

    call = models.ForeignKey(
        "programs.Call",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("call"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="programme_applications",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    report = models.JSONField(_("business report"), default=dict, blank=True)
    eligible = models.BooleanField(_("meets every criterion"), null=True, blank=True)
    youth_share = models.FloatField(null=True, blank=True, editable=False)
    officer_comment = models.TextField(_("province's comment"), blank=True, max_length=4000)
    decision_reason = models.TextField(_("reason of the decision"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["call_id", "organisation__province_id", "organisation__name", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "status"], name="application_call_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="application_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ApplicationStatus]),
                name="application_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.call}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ApplicationEvent(models.Model):
    """One status change of an application, with its comment."""

    scope_province_path = "application__organisation__province"
    scope_organisation_path = "application__organisation"
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class Attachment(models.Model):
    """A document attached to an application (kept in the database, served only to
    people who may see the application)."""

    scope_province_path = "application__organisation__province"
    scope_organisation_path = "application__organisation"
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    criterion = models.ForeignKey(
        "programs.Criterion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence for"),
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    PASS = "pass", _("Met")
    FAIL = "fail", _("Not met")
    NO_DATA = "no_data", _("Not enough data")
    PENDING = "pending", _("Awaiting the officer's check")


class CriterionResult(models.Model):
    """The verdict of one criterion for one application, with the reason and data used.

    For a declared criterion, ``statement`` is the applicant's and ``checked_by`` the
    officer who accepted or refused it.
    """

    scope_province_path = "application__organisation__province"
    scope_organisation_path = "application__organisation"
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="results", verbose_name=_("application")
    )
    criterion = models.ForeignKey(
        "programs.Criterion", on_delete=models.CASCADE, related_name="results"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reason = models.CharField(_("reason"), max_length=500)
    data = models.JSONField(default=dict, blank=True)
    statement = models.TextField(_("applicant's statement"), blank=True, max_length=4000)
    officer_note = models.CharField(_("officer's note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["application_id", "criterion__position", "criterion_id"]
        verbose_name = _("criterion result")
        verbose_name_plural = _("criterion results")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="criterion_result_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.verdict}"
