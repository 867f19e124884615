"""A person's requests about their personal data: correction and deletion.

Rule (Law 91/2025/QH15, Decree 13/2023/NĐ-CP; written the same on the request pages):

* an account with **no role** (or only the buyer's role) deletes itself at once — the
  account is deleted when nothing must be kept, otherwise anonymised (orders keep their
  figures, the name becomes "Người dùng đã xoá", phone and e-mail are cleared);
* an account with **any other role** (staff, trainer, a cooperative's manager or
  member) cannot delete itself: its data is in the cooperative's register and in
  reports the law asks to keep.  The request goes to the province's officer (the
  province of the person's organisation or role) or, without a province, to the VCA,
  who anonymises the account or refuses with a reason;
* a correction request names the field and the right value; the same reviewers
  correct the record (in the register) and close the request, or refuse with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

#: The longest free text of a request (characters).
TEXT_MAX = 1000


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    DELETION = "deletion", _("Deletion")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class CorrectionField(models.TextChoices):
    FULL_NAME = "full_name", _("Full name")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    BIRTH_DATE = "birth_date", _("Date of birth")
    ETHNICITY = "ethnicity", _("Ethnicity")
    CITIZEN_ID = "citizen_id", _("Citizen ID number")
    MEMBERSHIP = "membership", _("Membership or capital contribution")
    OTHER = "other", _("Something else")


def _own(user, scope) -> Q:
    return Q(user=user)


class PrivacyRequest(models.Model):
    """One correction or deletion request of a person, and its decision."""

    scope_province_path = "province"
    scope_organisation_path = None
    policy = Policy(
        view=roles.PRIVACY_REVIEWERS,
        decide=roles.PRIVACY_REVIEWERS,
        extra={"view": _own},
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_requests",
        verbose_name=_("person"),
    )
    #: Who asked, kept when the account is deleted (the anonymous label then).
    user_label = models.CharField(_("person"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    field = models.CharField(
        _("what to correct"), max_length=20, choices=CorrectionField.choices, blank=True
    )
    text = models.TextField(_("details"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    #: Where the request is reviewed (``None``: by the VCA).
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        constraints = [
            # one open request of each kind per person (a double submit adds nothing)
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(status="submitted"),
                name="privacy_request_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.user_label}"
