"""Permission-test samples for the import pages.

The sample job is an organisation import of Cao Bằng (province 04) waiting for its
column mapping: VCA, Cao Bằng's officer and Cao Bằng's department viewer see it (the
viewer read-only: the mapping and run pages are not for viewers, 403 by role).
"""

from __future__ import annotations

JOB_SEERS = {"vca", "officer_a", "viewer_a"}
#: The uploaded file itself: its uploader (Cao Bằng's officer) and VCA.
FILE_SEERS = {"vca", "officer_a"}


def _job(w):
    cached = getattr(w, "_import_job", None)
    if cached is not None:
        return cached
    from django.core.files.base import ContentFile

    from htxso.core.files import private_storage
    from htxso.registry.models import ImportJob, ImportStatus

    name = private_storage().save("imports/perm-sample.csv", ContentFile(b"Ten HTX;MST\n"))
    job = ImportJob.objects.create(
        province_id="04",
        kind="organisations",
        status=ImportStatus.MAPPING,
        file=name,
        original_name="htx-cao-bang.xlsx",
        file_sha256="0" * 64,
        created_by=w.users["officer_a"],
        report={
            "headers": ["Tên HTX", "Mã số thuế"],
            "preview": [["HTX A", "0100233488"]],
            "sheets": [],
            "problems": [],
        },
        mapping={"name": 0, "tax_code": 1},
    )
    w._import_job = job
    return job


SAMPLES = {
    # creating the job first makes the list's leak check meaningful
    "registry:import_list": lambda w: (_job(w) and {}, None),
    "registry:import_detail": lambda w: ({"pk": _job(w).pk}, JOB_SEERS),
    "registry:import_mapping": lambda w: ({"pk": _job(w).pk}, JOB_SEERS),
    "registry:import_run": lambda w: ({"pk": _job(w).pk}, JOB_SEERS),
    "registry:import_progress": lambda w: ({"pk": _job(w).pk}, JOB_SEERS),
    # the sample job is not running: an allowed POST is answered with a message, 302
    "registry:import_cancel": lambda w: ({"pk": _job(w).pk}, JOB_SEERS),
    "registry:import_report": lambda w: ({"pk": _job(w).pk}, JOB_SEERS),
    "registry:import_file": lambda w: ({"pk": _job(w).pk}, FILE_SEERS),
}
POST_ONLY = {"registry:import_run", "registry:import_cancel"}
LIST_LEAKS = {"registry:import_list": [("htx-cao-bang.xlsx", JOB_SEERS)]}
