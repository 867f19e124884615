"""Reconciling the registry with extracts of the business-registration and tax systems.

A :class:`SyncRun` is one extract (a file today; a live connector later) read and
compared with the registry of a province (or the nation); its :class:`SyncItem` rows are
the differences an officer accepts or rejects.  Unchanged rows are only counted.
:class:`VsicSector` maps VSIC 2018 business-line codes to the registry's sectors.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

from .organisations import Sector


class TaxStatus(models.TextChoices):
    ACTIVE = "active", _("Active taxpayer")
    SUSPENDED = "suspended", _("Tax: temporarily suspended")
    STOPPED = "stopped", _("Tax: ceased activity")
    LEFT_ADDRESS = "left_address", _("Tax: left its registered address")
    CLOSING = "closing", _("Tax: closing its tax code")


#: Tax statuses that are a problem (a legal warning, the statistics' figure).
TAX_PROBLEM_STATUSES = (
    TaxStatus.SUSPENDED,
    TaxStatus.STOPPED,
    TaxStatus.LEFT_ADDRESS,
    TaxStatus.CLOSING,
)


class ExtractSourceKind(models.TextChoices):
    BUSINESS = "business", _("Business-registration extract")
    TAX = "tax", _("Tax extract")


class RunStatus(models.TextChoices):
    REVIEW = "review", _("To review")
    APPLIED = "applied", _("Reviewed")
    DISCARDED = "discarded", _("Discarded")


class ItemCategory(models.TextChoices):
    NEW = "new", _("New registrations")
    CHANGED = "changed", _("Changes")
    DISSOLVED = "dissolved", _("Dissolved or revoked")
    MISSING = "missing", _("Not in the extract")
    CONFLICT = "conflict", _("Conflicts")
    OTHER_PROVINCE = "other_province", _("Another province")
    TAX = "tax", _("Tax status")


#: Categories whose accepted items change the registry.
APPLICABLE = (ItemCategory.NEW, ItemCategory.CHANGED, ItemCategory.DISSOLVED, ItemCategory.TAX)


class Decision(models.TextChoices):
    PENDING = "pending", _("To decide")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")


class SyncRun(models.Model):
    """One extract compared with the registry: who, when, the file and its counts."""

    scope_province_path = "province"
    scope_organisation_path = None
    # history and review: the province's staff (department viewers read); decisions:
    # the province's officers and the VCA (``None`` province: the nation, VCA only)
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS)

    source = models.CharField(_("source"), max_length=20, choices=ExtractSourceKind.choices)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.REVIEW
    )
    file = models.FileField(
        _("file"), upload_to=UnguessableName("extracts/%Y/%m/"), storage=private_storage
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    content_sha256 = models.CharField(max_length=64, db_index=True)
    extract_date = models.DateField(_("date of the extract"))
    #: older than the last applied extract of the same source and province
    older_than_last = models.BooleanField(default=False)
    older_confirmed = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    applied_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    unknown_vsic = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("registry sync")
        verbose_name_plural = _("registry syncs")
        indexes = [models.Index(fields=["source", "province", "status"], name="syncrun_src_prov")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.extract_date:%d/%m/%Y}"


class SyncItem(models.Model):
    """One difference between the extract and the registry."""

    scope_province_path = "run__province"
    scope_organisation_path = None
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS)

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=20, choices=ItemCategory.choices)
    row = models.PositiveIntegerField(default=0)
    code = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=255, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    record = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["run", "category", "row", "pk"]
        indexes = [models.Index(fields=["run", "category", "decision"], name="syncitem_run_cat")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class VsicSector(models.Model):
    """A VSIC 2018 code (division, group or class) and the registry sector it maps to;
    the longest matching prefix of a business line wins."""

    code = models.CharField(_("VSIC code"), max_length=5, unique=True)
    label = models.CharField(_("label"), max_length=255)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("VSIC mapping")
        verbose_name_plural = _("VSIC mappings")

    def __str__(self) -> str:
        return f"{self.code} → {self.sector}"
