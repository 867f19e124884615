"""Documents attached to an application: size limit and content checked by magic bytes."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils.translation import gettext as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.archives import OFFICE, ArchiveRejected, open_archive
from htxso.core.text import clean_text

from ..models import Application, Attachment
from .applications import _lock_editable
from .common import fail

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 15

#: extension → (content type, what the file must look like)
KINDS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(head: bytes, content: bytes) -> str | None:
    """The real kind of a file from its first bytes (and, for Office files, its parts)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        # Office files are ZIPs: a bomb (parts inflating to gigabytes, 100,000 parts, an
        # archive inside) raises ArchiveRejected before anything is read.
        try:
            with open_archive(io.BytesIO(content), limits=OFFICE) as archive:
                names = set(archive.names)
        except ArchiveRejected as exc:
            if exc.code == "archive_unreadable":
                return None
            raise
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check_upload(name: str, size: int, content: bytes) -> tuple[str, str]:
    """(clean name, content type) of an acceptable file, or ServiceError."""
    if size > MAX_BYTES:
        raise fail(
            "file_too_large",
            _(
                "The file is %(size)s MB; the limit is 10 MB. "
                "Scan at a lower resolution or split it."
            )
            % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
            "file",
        )
    if size == 0:
        raise fail("file_empty", _("The file is empty."), "file")
    clean = clean_text(name or "", max_length=200).replace("/", "_").replace("\\", "_") or "tep"
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if extension not in KINDS:
        raise fail(
            "file_type",
            _("Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted."),
            "file",
        )
    try:
        real = sniff(content[:16], content)
    except ArchiveRejected as exc:
        raise fail(exc.code, str(exc), "file") from None
    if real is None or KINDS[real] != KINDS[extension]:
        raise fail(
            "file_content",
            _(
                "The content of “%(name)s” is not a %(ext)s file (it may be renamed or damaged); "
                "it was refused."
            )
            % {"name": clean, "ext": extension.upper()},
            "file",
        )
    return clean, KINDS[extension]


@transaction.atomic
def attachment_add(*, actor: Actor, application: Application, upload, criterion=None) -> Attachment:
    """``upload`` is a Django UploadedFile (or any object with name, size and read())."""
    application = _lock_editable(actor=actor, application=application)
    if application.attachments.count() >= MAX_FILES:
        raise fail("too_many_files", _("At most %(n)s files per application.") % {"n": MAX_FILES})
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:  # refuse before reading 50 MB into memory
        check_upload(upload.name, size, b"")
    content = upload.read(MAX_BYTES + 1)
    name, content_type = check_upload(upload.name, len(content), content)
    if criterion is not None and criterion.call_id != application.call_id:
        raise fail("criterion_invalid", _("This criterion belongs to another call."))
    attachment = Attachment.objects.create(
        application=application,
        criterion=criterion,
        name=name,
        content_type=content_type,
        size=len(content),
        content=content,
        uploaded_by=None if isinstance(actor, SystemActor) else actor,
    )
    audit.record(
        actor=actor,
        action="application.attach",
        instance=application,
        after={"file": name, "size": len(content)},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: Attachment) -> None:
    application = _lock_editable(actor=actor, application=attachment.application)
    audit.record(
        actor=actor,
        action="application.detach",
        instance=application,
        before={"file": attachment.name},
    )
    attachment.delete()
