"""Invitations: a one-time link (or a printed QR card) that gives a role, bound to a
register row when it is a member's.

Only a hash of the token is stored: the raw token exists in the message or on the
printed card and nowhere else, so sending again or printing again issues a new token
(and the old link stops working).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.roles import Role
from htxso.core.scoping import ScopedQuerySet

DEFAULT_DAYS = 14
MAX_DAYS = 60


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> str:
    """32 URL-safe characters (192 bits)."""
    return secrets.token_urlsafe(24)


class InvitationChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("E-mail")
    PRINT = "print", _("Printed QR card")


class InvitationState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation state", "Waiting")
    ACCEPTED = "accepted", pgettext_lazy("invitation state", "Joined")
    REVOKED = "revoked", pgettext_lazy("invitation state", "Revoked")
    EXPIRED = "expired", pgettext_lazy("invitation state", "Expired")


class InvitationQuerySet(ScopedQuerySet):
    def open(self) -> InvitationQuerySet:
        """Pending and not yet expired."""
        return self.filter(state=InvitationState.PENDING, expires_at__gt=timezone.now())

    def expired(self) -> InvitationQuerySet:
        return self.filter(
            Q(state=InvitationState.EXPIRED)
            | Q(state=InvitationState.PENDING, expires_at__lte=timezone.now())
        )


InvitationManager = models.Manager.from_queryset(InvitationQuerySet)


class Invitation(models.Model):
    scope_province_path = "province"
    scope_organisation_path = "organisation"
    # a manager his organisation's, an officer his province's, the VCA all; who invited
    # always sees what they sent
    policy = Policy(
        view=roles.EDITORS,
        change=roles.EDITORS,
        extra={
            "view": lambda user, scope: Q(inviter=user),
            "change": lambda user, scope: Q(inviter=user),
        },
    )

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
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
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("register row"),
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    to_phone = models.CharField(_("phone"), max_length=16, blank=True)
    to_email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(
        _("sent by"), max_length=10, choices=InvitationChannel.choices, default="sms"
    )
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("times sent"), default=0)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    objects = InvitationManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["organisation", "state"], name="invitation_org_state"),
            models.Index(fields=["province", "state"], name="invitation_province_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="pending"),
                name="invitation_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                name="invitation_accepted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.to_phone or self.to_email} — {self.get_role_display()}"

    @property
    def current_state(self) -> str:
        """The state as a person sees it: a pending invitation past its date is expired."""
        if self.state == InvitationState.PENDING and self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return self.state

    @property
    def current_state_label(self) -> str:
        return str(InvitationState(self.current_state).label)

    @property
    def is_open(self) -> bool:
        return self.current_state == InvitationState.PENDING

    @staticmethod
    def expiry(days: int) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=days)
