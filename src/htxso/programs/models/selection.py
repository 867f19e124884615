"""Provincial compilations, the national decision per province, and in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class ProvinceCompilation(models.Model):
    """The list a provincial alliance forwarded to VCA for a call (once per province)."""

    scope_province_path = "province"
    scope_organisation_path = None
    #: ``forward``: the provincial alliance sends its list to VCA.
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS, forward=roles.REVIEWERS)

    call = models.ForeignKey("programs.Call", on_delete=models.CASCADE, related_name="compilations")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    eligible_count = models.PositiveIntegerField(_("eligible cooperatives"), default=0)
    applications_count = models.PositiveIntegerField(_("applications"), default=0)
    note = models.TextField(_("note to VCA"), blank=True, max_length=4000)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["call_id", "province_id"]
        verbose_name = _("provincial list")
        verbose_name_plural = _("provincial lists")
        constraints = [
            models.UniqueConstraint(fields=["call", "province"], name="compilation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.province_id}"


class ProvinceDecision(models.Model):
    """VCA's decision on one province of a call: selected or not, with the reason."""

    scope_province_path = "province"
    scope_organisation_path = None
    #: ``decide``: VCA's national selection.
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS, decide=roles.VCA)

    call = models.ForeignKey("programs.Call", on_delete=models.CASCADE, related_name="decisions")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    selected = models.BooleanField(_("selected"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("eligible cooperatives"), default=0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["call_id", "rank", "province_id"]
        verbose_name = _("provincial decision")
        verbose_name_plural = _("provincial decisions")
        constraints = [
            models.UniqueConstraint(fields=["call", "province"], name="decision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.province_id}: {self.selected}"


class Notification(models.Model):
    """A message shown to one user in the platform (e-mail goes out separately)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_notifications"
    )
    #: The sentence as written for the user when it was sent (the e-mail's text).  Rows
    #: older than ``message_key`` are shown as stored.
    message = models.CharField(_("message"), max_length=500)
    #: A key of ``programs.messages.MESSAGES`` and its parameters: the sentence is
    #: translated when shown, in the reader's language of the moment.
    message_key = models.CharField(_("message key"), max_length=60, blank=True, default="")
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="programs_notif_user_read")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The sentence in the active language (the stored text for old rows)."""
        from ..messages import render_message

        rendered = render_message(self.message_key, self.params) if self.message_key else None
        return rendered if rendered is not None else self.message
