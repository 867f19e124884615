"""Likely duplicate people found when participants are enrolled (owned by the people part)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Same person (merged)")
    DISTINCT = "distinct", _("Different people")


class DuplicateCandidate(models.Model):
    """Two person records that may be one person (same name folded, birth year and phone,
    no citizen id to tell them apart).  Staff decide; counting uses the decision."""

    scope_province_path = "province"
    policy = Policy(view=roles.REVIEWERS, change=roles.REVIEWERS)

    first = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    #: The province whose staff review it (the course's, or the first person's).
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-found_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(
                name="duplicate_pair_ordered", condition=Q(first__lt=models.F("second"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}~{self.second_id}"
