"""Users, their roles in provinces and organisations, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.roles import (
    API_ROLES,
    GLOBAL_ROLES,
    ORGANISATION_ROLES,
    PROVINCE_ROLES,
    STAFF_ROLES,
    Role,
)

# Roles and their groups live in ``core.roles`` (the one place); re-exported here for
# the models' ``choices`` and for older imports.
__all__ = [
    "API_ROLES",
    "GLOBAL_ROLES",
    "ORGANISATION_ROLES",
    "PROVINCE_ROLES",
    "STAFF_ROLES",
    "ApiToken",
    "Role",
    "RoleAssignment",
    "User",
]


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="vi",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account per phone number (E.164); many accounts may have none.
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """One role a user holds, where it applies.  A user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                condition=models.Q(role__in=[Role.PROVINCE_OFFICER, Role.DEPARTMENT_VIEWER]),
                name="role_assignment_unique_province",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=models.Q(role__in=[Role.COOP_MANAGER, Role.COOP_MEMBER]),
                name="role_assignment_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(role__in=[Role.VCA_ADMIN, Role.TRAINER, Role.BUYER]),
                name="role_assignment_unique_global",
            ),
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    models.Q(
                        role__in=[Role.PROVINCE_OFFICER, Role.DEPARTMENT_VIEWER],
                        province__isnull=False,
                        organisation__isnull=True,
                    )
                    | models.Q(
                        role__in=[Role.COOP_MANAGER, Role.COOP_MEMBER],
                        organisation__isnull=False,
                    )
                    | models.Q(
                        role__in=[Role.VCA_ADMIN, Role.TRAINER, Role.BUYER],
                        province__isnull=True,
                        organisation__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.province
        return f"{self.get_role_display()} — {where}" if where else self.get_role_display()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API.  Only a hash is stored; the token is shown once.

    ``scope`` says which fields of the registry sync feed (issue 19, ``registry.sync_feed``)
    a system holding the token reads: ``public`` fields only, or ``full`` (plus the
    contact and representative fields, personal data, for roles allowed to see them).
    A token without a scope (made before issue 19, or for scripts) cannot read the feed.
    """

    PREFIX = "htx_"

    class Scope(models.TextChoices):
        PUBLIC = "public", _("Public registry fields")
        FULL = "full", _("Public fields, contacts and representative")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    scope = models.CharField(
        _("registry fields"), max_length=10, choices=Scope.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS or e-mail (sign-up, sign-in by code, password reset).

    Neither the code nor the number it went to is stored: ``code_hash`` is an HMAC of
    the code with the server's secret and a per-row salt, ``target_key`` and ``ip_key``
    HMACs of the phone/e-mail and the client address (enough to count and to match,
    not to read back).  See ``accounts.codes_auth``.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("sign-up")
        LOGIN = "login", _("sign-in")
        RESET = "reset", _("password reset")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    target_key = models.CharField(max_length=64, db_index=True)
    ip_key = models.CharField(max_length=64, blank=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(default=0)
    #: set when the code was used, replaced by a newer one or had its last attempt
    closed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"
