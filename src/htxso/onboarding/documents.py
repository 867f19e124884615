"""The authorising document of an access request: a photo or a PDF, checked.

:func:`check_document` refuses, with a stable code and a message the person
understands (a :class:`~htxso.core.errors.ServiceError` on the field ``document``):

* ``document_too_big`` — over :data:`MAX_BYTES`; at most limit + 1 bytes are read, so a
  huge upload is refused without holding it in memory;
* ``document_empty`` — an empty file;
* ``document_type`` — neither a JPEG/PNG/WebP photo nor a PDF (whatever its name says);
* ``document_too_many_pixels`` — a decompression bomb (a small file that expands to
  gigabytes of pixels);
* ``document_too_small`` — a photo too small to be read;
* ``document_corrupt`` — a damaged photo or PDF;
* ``document_pdf_active`` — a PDF with JavaScript or actions that launch programs.

The checks are ``core.uploads``'s: photos are re-encoded from their pixels alone (no
EXIF, no comments, the orientation applied), the longer side reduced to
:data:`FULL_SIZE` px (enough to read an A4 letter), as a JPEG; a PDF is kept as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from htxso.core import uploads

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
MIN_SIZE = 300
FULL_SIZE = 2400
FIELD = "document"

CheckedDocument = uploads.CheckedUpload

RULES = uploads.UploadRules(
    prefix="document",
    field=FIELD,
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    min_size=MIN_SIZE,
    full_size=FULL_SIZE,
    optimize=True,
    default_stem="giay-uy-quyen",
    messages=uploads.Messages(
        too_big=_(
            "The file is larger than %(limit)s MB. Take the photo again at a lower "
            "resolution, or scan the document to a smaller PDF."
        ),
        empty=_("The file is empty."),
        wrong_type=_("Send a photo (JPEG, PNG or WebP) or a PDF file of the document."),
        too_many_pixels=_("The photo has too many pixels (at most %(limit)s megapixels)."),
        too_small=_(
            "The photo is too small to be read (%(width)s x %(height)s px); take it "
            "again, closer, at least %(min)s px wide and high."
        ),
        corrupt_image=_("The photo is damaged or incomplete and cannot be read. Take it again."),
        corrupt_pdf=_("The PDF file is damaged or incomplete. Save or scan it again."),
        pdf_active=_(
            "This PDF contains scripts or attachments, which are not accepted. "
            "Print it to a new PDF, or send a photo of the paper."
        ),
    ),
)


def check_document(upload: Any) -> CheckedDocument:
    """Read, check and clean an uploaded authorising document (see the module)."""
    return uploads.check_upload(upload, RULES)
