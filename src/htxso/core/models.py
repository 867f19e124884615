"""Audit trail shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles
from .policy import Policy
from .scoping import ScopedManager


class AuditEvent(models.Model):
    """One change made through a service: who, when, what, before and after."""

    scope_province_path = "province"
    scope_organisation_path = "organisation_id"
    #: Staff of the province and the organisation's manager read the trail; nobody
    #: changes it (services write it through ``core.audit.record``).
    policy = Policy(view=roles.READERS)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from .audit import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class LetterTemplate(models.Model):
    """The editable text of an official letter (Decree 30 layout, see core/documents).

    ``body`` holds paragraphs separated by a blank line; ``subject``, ``body`` and
    ``receivers`` may use ``{{ placeholder }}`` slots from ``allowed_placeholders``.
    Edited by VCA through ``core.documents.services.letter_template_update``.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject (after “V/v”)"), max_length=500)
    body = models.TextField(_("body"))
    receivers = models.TextField(_("receivers"), blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    allowed_placeholders = models.JSONField(_("allowed placeholders"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.title or self.code


# --- privacy (issue 12): consent given to the privacy notice, exports of sensitive data ---
class ConsentPurpose(models.TextChoices):
    """Why a person gave personal data (one consent per purpose and notice version)."""

    SIGNUP = "signup", _("Account sign-up")
    INVITATION = "invitation", _("Accepting an invitation")
    ACCESS_REQUEST = "access_request", _("Request for access to an organisation")
    STORE_REQUEST = "store_request", _("Request to open a market store")


class ConsentRecord(models.Model):
    """A person agreed to the privacy notice ``notice_version`` for ``purpose``.

    Written by ``core.consent.record_consent``; withdrawing keeps the row and sets
    ``withdrawn_at`` (the proof that consent was given stays)."""

    #: Only the VCA reads consents of others; everyone reads their own.
    policy = Policy(
        view=roles.VCA,
        extra={"view": lambda user, scope: models.Q(user=user)},
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("user"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "purpose"], name="consent_user_purpose_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.notice_version}"


class SensitiveExport(models.Model):
    """Someone exported data holding ID numbers or ethnicity of ``people`` persons.

    Written by ``core.consent.log_sensitive_export``; read by the VCA (everywhere) and
    a province's officer (exports of his province)."""

    scope_province_path = "province"
    scope_organisation_path = "organisation_id"
    policy = Policy(view=roles.REVIEWERS)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    what = models.CharField(_("what"), max_length=200)
    people = models.PositiveIntegerField(_("people"))
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sensitive data export")
        verbose_name_plural = _("sensitive data exports")

    def __str__(self) -> str:
        return f"{self.what} ({self.people})"
