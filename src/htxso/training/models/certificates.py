"""Certificates and the keys that sign their Open Badges credentials (owned by the
certificates part)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

from .courses import courses_taught


class SigningKey(models.Model):
    """An Ed25519 key pair of the platform.  The public key is published at a well-known
    URL; the private key never leaves the server (``python -m htxso training_keys``)."""

    kid = models.CharField(max_length=64, unique=True)
    public_key_multibase = models.CharField(max_length=100)
    #: PKCS#8 PEM, encrypted with the passphrase of ``training.keys.passphrase()`` (the
    #: ``TRAINING_KEY_PASSPHRASE`` setting, else one derived from SECRET_KEY); never shown.
    private_key_pem = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The active key signs new credentials; retired keys still verify old ones.
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_signing_key"
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class Certificate(models.Model):
    scope_province_path = "enrolment__course__province"
    scope_organisation_path = "enrolment__organisation"
    policy = Policy(
        view=roles.READERS | {roles.Role.TRAINER},
        change=roles.REVIEWERS,
        extra={
            "view": lambda user, scope: (
                Q(enrolment__course_id__in=courses_taught(user))
                | Q(enrolment__user=user)
                | Q(enrolment__person__user=user)
            ),
        },
    )

    enrolment = models.OneToOneField(
        "training.Enrolment", on_delete=models.PROTECT, related_name="certificate"
    )
    #: Short public code of the verification page (no personal data in it).
    code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="certificates")
    #: The signed OpenBadgeCredential as issued: the compact VC-JWT (its payload is the
    #: credential's JSON, byte for byte).
    credential = models.TextField(editable=False)
    #: The credential's ``id`` (``urn:uuid:…``): how a pasted credential finds its row.
    credential_id = models.UUIDField(unique=True, editable=False)
    #: What the certificate says, frozen when issued (the public page and the PDF show
    #: it): name, course, hours, issuer, date.
    snapshot = models.JSONField(default=dict, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-issued_at", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code
