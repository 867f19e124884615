"""Evidence files of an answer: a photo or a PDF, checked by what they contain.

:func:`check_evidence` refuses, with a stable code and a precise message (field
``file``): ``evidence_too_big`` (over :data:`MAX_BYTES`, at most limit + 1 bytes are
read), ``evidence_empty``, ``evidence_type`` (neither a JPEG/PNG/WebP photo nor a PDF,
whatever its name or declared type says — e.g. a program renamed ``.jpg``),
``evidence_too_many_pixels`` (a decompression bomb), ``evidence_too_small``,
``evidence_corrupt`` (also a PDF under :data:`MIN_BYTES`) and ``evidence_pdf_active``
(a PDF with scripts or attachments).

The checks are ``core.uploads``'s: photos are re-encoded from their pixels only (no
EXIF: no GPS position of the phone), the longer side reduced to :data:`FULL_SIZE`; a
PDF is kept after the checks.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from htxso.core import uploads

MAX_BYTES = 8 * 1024 * 1024
MIN_BYTES = 64
MAX_PIXELS = 50_000_000
MIN_SIZE = 200
FULL_SIZE = 2000
FIELD = "file"

CheckedEvidence = uploads.CheckedUpload

RULES = uploads.UploadRules(
    prefix="evidence",
    field=FIELD,
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    min_size=MIN_SIZE,
    full_size=FULL_SIZE,
    min_pdf_bytes=MIN_BYTES,
    optimize=True,
    unsafe_name=r"[\\/<>:\"|?*\x00-\x1f]",
    default_stem="minh-chung",
    messages=uploads.Messages(
        too_big=_("The file is larger than %(limit)s MB; take the photo at a lower resolution."),
        empty=_("The file is empty."),
        wrong_type=_(
            "This file is not a photo (JPEG, PNG, WebP) or a PDF, whatever its name says. "
            "Take a photo of the paper, or send the PDF itself."
        ),
        too_many_pixels=_("The photo has too many pixels (at most %(limit)s megapixels)."),
        too_small=_(
            "The photo is too small to be read (%(width)s x %(height)s px); take it again, "
            "at least %(min)s px wide and high."
        ),
        corrupt_image=_("The photo is damaged or incomplete and cannot be read. Take it again."),
        corrupt_pdf=_("The PDF file is damaged or incomplete. Save or scan it again."),
        pdf_active=_(
            "This PDF contains scripts or attachments, which are not accepted. Print it "
            "to a new PDF, or send a photo."
        ),
    ),
)


def check_evidence(upload: Any) -> CheckedEvidence:
    return uploads.check_upload(upload, RULES)
