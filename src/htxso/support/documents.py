"""Files added to a service request: a photo or a PDF, checked by content.

Whatever its name or its declared type says, a file is accepted only when its bytes are
a JPEG/PNG/WebP picture (re-encoded from its pixels alone: no EXIF position, no
comments) or a PDF without scripts or attachments — the checks are ``core.uploads``'s.
Refusals are :class:`~htxso.core.errors.ServiceError` on the field ``file`` with a
stable code: ``file_too_big``, ``file_empty``, ``file_type``, ``file_too_many_pixels``,
``file_too_small``, ``file_corrupt``, ``file_pdf_active``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from htxso.core import uploads

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10  # per request
FIELD = "file"
FULL_SIZE = 2400

CheckedFile = uploads.CheckedUpload

RULES = uploads.UploadRules(
    prefix="file",
    field=FIELD,
    max_bytes=MAX_BYTES,
    max_pixels=50_000_000,
    min_size=200,
    full_size=FULL_SIZE,
    pixel_limit_param=False,
    unsafe_name=r"[/\\<>\"'`]",
    default_stem="tep",
    messages=uploads.Messages(
        too_big=_("The file is larger than %(limit)s MB."),
        empty=_("The file is empty."),
        wrong_type=_(
            "This file is not a photo (JPEG, PNG, WebP) or a PDF, whatever its name says."
        ),
        too_many_pixels=_("The photo has too many pixels."),
        too_small=_("The photo is too small to be read (%(width)s x %(height)s px)."),
        corrupt_image=_("The photo is damaged or incomplete."),
        corrupt_pdf=_("The PDF file is damaged or incomplete."),
        pdf_active=_("This PDF contains scripts or attachments, which are not accepted."),
    ),
)


def check_file(upload: Any) -> CheckedFile:
    return uploads.check_upload(upload, RULES)
