"""Private files: stored where no URL reaches them, served only by views that check.

Uploaded spreadsheets and the reports built from them hold members' birth dates and
citizen ID numbers.  They live in the ``"private"`` storage (``settings.STORAGES``),
whose root (``PRIVATE_MEDIA_ROOT``) is outside ``MEDIA_ROOT``: nginx serves
``/media/`` and nothing else.  A view that has applied its access policy answers with
:func:`private_file_response`; in production the web server sends the bytes
(``HTXSO_PRIVATE_FILES_ACCEL``: ``"nginx"`` → ``X-Accel-Redirect`` to an ``internal;``
location, ``"sendfile"`` → ``X-Sendfile``), in development Django streams them.

Files get names nobody can guess (:class:`UnguessableName`), so a leaked directory
listing or log line does not turn into a list of downloadable files either.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header

PRIVATE = "private"
ACCEL_MODES = ("", "nginx", "sendfile")
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage rooted at ``PRIVATE_MEDIA_ROOT`` that has no URL.

    ``FileSystemStorage(base_url=None)`` would fall back to ``MEDIA_URL``; this one
    refuses ``url()`` so a template cannot link a private file by mistake.
    """

    def __init__(self, location: str | Path | None = None, **kwargs: Any) -> None:
        kwargs.pop("base_url", None)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self) -> str:
        # FileSystemStorage keeps the ``location`` argument in ``_location`` (not in the stubs)
        location = Path(
            self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)  # type: ignore[attr-defined]
        )
        resolved = location.resolve()
        for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
            if public and resolved.is_relative_to(Path(public).resolve()):
                raise ImproperlyConfigured(
                    f"PRIVATE_MEDIA_ROOT ({location}) must not be inside a public root ({public})."
                )
        return str(location)

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        # setting_changed passes every name; the stubs list only the base class's four
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT", "STATIC_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them with private_file_response().")


def private_storage() -> Storage:
    """The private storage; a callable so ``FileField(storage=...)`` migrations name it
    rather than its settings, and S3 can replace it through ``STORAGES["private"]``."""
    return storages[PRIVATE]


@deconstructible
class UnguessableName:
    """``upload_to`` giving ``<prefix><random>.<suffix>``: the uploaded name is dropped
    (only a short alphanumeric suffix is kept); ``prefix`` may hold strftime codes."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix

    def __call__(self, instance: object, filename: str) -> str:
        return unguessable_name(timezone.now().strftime(self.prefix), suffix=Path(filename).suffix)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnguessableName) and other.prefix == self.prefix


def unguessable_name(prefix: str, *, suffix: str = "") -> str:
    """A storage name under ``prefix`` with 192 random bits, e.g. for generated reports."""
    suffix = suffix.lower() if _SAFE_SUFFIX.fullmatch(suffix or "") else ""
    return f"{prefix}{secrets.token_urlsafe(24)}{suffix}"


def private_file_response(
    storage_name: str, name: str, filename: str, *, content_type: str | None = None
) -> HttpResponseBase:
    """Answer with one private file as a download; call it only after the view has
    checked the user may have it.  404 when the file is not there."""
    mode = (getattr(settings, "HTXSO_PRIVATE_FILES_ACCEL", "") or "").strip().lower()
    if mode not in ACCEL_MODES:
        raise ImproperlyConfigured(
            f"HTXSO_PRIVATE_FILES_ACCEL must be one of {ACCEL_MODES}, not {mode!r}."
        )
    storage = storages[storage_name]
    if not name or not storage.exists(name):  # exists() refuses names outside the root
        raise Http404
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    path = ""
    response: HttpResponseBase
    if mode:
        try:
            path = storage.path(name)
        except NotImplementedError:  # remote storage: nothing for the web server to read
            mode = ""
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        prefix = settings.HTXSO_PRIVATE_FILES_ACCEL_URL.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{storage_name}/{quote(name)}"
    elif mode == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = path
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    # a str whenever as_attachment is true; the stubs say str | None
    response["Content-Disposition"] = content_disposition_header(True, filename)  # type: ignore[assignment]
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
