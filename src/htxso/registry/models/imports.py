"""Imports of spreadsheets: saved column mappings and import jobs with their report."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    MEMBERS = "members", _("Members")
    WORKERS = "workers", _("Workers")
    ANNUAL_FIGURES = "annual_figures", _("Annual figures")


class ImportMapping(models.Model):
    """A saved mapping from a file's column headers to our fields, reused next time a
    file with the same headers is imported in the province."""

    scope_province_path = "province"
    scope_organisation_path = None
    # a province's saved mappings (no organisation: organisation roles reach none)
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS)

    province = models.ForeignKey(
        "geo.Province", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    header_signature = models.CharField(max_length=64, db_index=True)
    headers = models.JSONField(_("column headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "header_signature"], name="import_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.header_signature[:12]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    MAPPING = "mapping", _("Columns to map")
    VALIDATING = "validating", _("Checking")
    PREVIEW = "preview", _("Ready to import")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportJob(models.Model):
    """One uploaded file on its way into the registry."""

    scope_province_path = "province"
    scope_organisation_path = "organisation"
    policy = Policy(
        # the import pages are for staff and managers (not an organisation's members)
        view=roles.READERS,
        # upload (checked with ``Policy.allows_at``), map, run, cancel
        change=roles.EDITORS,
        # the uploaded file itself: its uploader and national staff (others who may run
        # the import work from the report); asked together with ``change``
        download_file=roles.VCA,
        extra={"download_file": lambda user, scope: Q(created_by=user)},
    )

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("Import only if every row is valid")
        VALID_ROWS = "valid", _("Import the valid rows, skip the others")

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        help_text=_("For member, worker imports of one organisation."),
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    # members' ID numbers and birth dates: private storage, no URL, a random name
    file = models.FileField(
        _("file"),
        upload_to=UnguessableName("imports/%Y/%m/"),
        storage=private_storage,
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(default=0)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    detected_encoding = models.CharField(max_length=20, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    #: Written by the worker after every batch: a "running"/"validating" job whose
    #: heartbeat is older than ``HTXSO_IMPORT_STALE_SECONDS`` has stopped (worker or web
    #: server killed) and is rolled back by ``services.imports.import_recover_stale``.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    #: Set by the officer's cancel; the worker stops at the next batch and undoes.
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    #: The background task running the job ("" when run during the request).
    task_id = models.CharField(max_length=64, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error_message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class UndoEncoder(DjangoJSONEncoder):
    """JSON for previous values: datetimes and times keep their microseconds (Django's
    encoder cuts them to milliseconds), so an undo restores them exactly."""

    def default(self, o):
        import datetime as dt

        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class ImportUndo(models.Model):
    """One entry of an import's undo log: what one batch did to one model — the ids it
    created, or the previous values of the rows it updated.  Written in the batch's
    own transaction; undone newest first; dropped when the import is done."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="undo_entries")
    model = models.CharField(max_length=100)  # app_label.model_name
    created_ids = models.JSONField(default=list, blank=True)
    #: [[pk, {field name: previous value}], …]
    previous = models.JSONField(default=list, blank=True, encoder=UndoEncoder)

    class Meta:
        verbose_name = _("import undo entry")
        verbose_name_plural = _("import undo entries")
        indexes = [models.Index(fields=["job", "id"], name="import_undo_job_idx")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.model}"
