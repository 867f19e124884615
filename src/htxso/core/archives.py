"""Opening uploaded ZIP archives (xlsx, docx, kmz) without being bombed.

A ZIP of 1-2 MB can declare members that inflate to gigabytes, or list 100,000 parts, or
name a member ``../../settings.py``.  :func:`open_archive` looks at the archive before any
parser does:

* the end-of-directory record first, so a directory of 100,000 entries is refused before
  :mod:`zipfile` builds an object for each;
* then every member: its name (no absolute path, no ``..``, no control character, no
  duplicate), encryption, compression method (stored or deflated only), declared
  uncompressed size (per member and in total), compression ratio, and nested archives
  (by name and by content).

Members are then read through :meth:`CheckedArchive.open`, whose reader counts the bytes
really inflated: the declared sizes can lie, so reading stops (with an error) as soon as a
member gives more than it declared or more than the caller allows.

Refusals are :class:`ArchiveRejected` with a stable ``code``:
``archive_unreadable``, ``archive_too_many_parts``, ``archive_path``,
``archive_encrypted``, ``archive_method``, ``archive_part_too_large``,
``archive_too_large``, ``archive_ratio``, ``archive_nested``, ``archive_corrupt``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _

from .errors import ServiceError
from .formatting import format_number

__all__ = ["OFFICE", "ArchiveLimits", "ArchiveRejected", "CheckedArchive", "open_archive"]

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


class ArchiveRejected(ServiceError):
    """An archive refused before (or while) its members are read."""


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold.  Sizes are uncompressed bytes."""

    max_members: int = 1_000
    max_member_bytes: int = 64 * MIB
    max_total_bytes: int = 256 * MIB
    #: uncompressed / compressed, checked for members larger than ``ratio_from_bytes``
    #: (small members may be all zeros legitimately; their size is capped anyway).
    #: Real spreadsheets and documents compress 5-30 times; deflate's ceiling is ~1,030.
    max_ratio: int = 200
    ratio_from_bytes: int = 1 * MIB
    max_name_length: int = 255
    #: folders where an archive inside the archive is normal (Office embeddings)
    nested_allowed_under: tuple[str, ...] = ()


#: Word and Excel files (Office Open XML) kept or inspected as they are.
OFFICE = ArchiveLimits(
    max_members=2_000,
    max_member_bytes=256 * MIB,
    max_total_bytes=512 * MIB,
    max_ratio=250,
    ratio_from_bytes=4 * MIB,
    nested_allowed_under=("word/embeddings/", "xl/embeddings/", "ppt/embeddings/"),
)

# End of central directory records (APPNOTE 4.3.14-4.3.16).
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
#: a central directory entry: 46 fixed bytes + name + extra field + comment; directories
#: larger than this allowance per entry are refused before zipfile reads them.
_DIRECTORY_BYTES_PER_ENTRY = 46 + 1024

_NESTED_SUFFIXES = (
    ".zip", ".jar", ".apk", ".kmz", ".epub",
    ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp",
    ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".cab",
)  # fmt: skip
_NESTED_MAGIC = (
    b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x28\xb5\x2f\xfd", b"MSCF",
)  # fmt: skip


def _mb(size: int) -> str:
    return format_number(size / MIB, 1 if size < 10 * MIB else 0)


def _unreadable() -> ArchiveRejected:
    return ArchiveRejected(
        "archive_unreadable", _("The file is not a readable ZIP archive (it may be damaged).")
    )


def _directory_extent(fh: IO[bytes], size: int) -> tuple[int, int]:
    """(entries, bytes) of the central directory, as the end records declare them."""
    tail_size = min(size, _EOCD_SIZE + 0xFFFF + 20)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise _unreadable()
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = at - 20
    if locator >= 0 and tail[locator : locator + 4] == _ZIP64_LOCATOR:
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        if offset < size:
            fh.seek(offset)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == _ZIP64_EOCD:
                entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    return entries, directory_bytes


def _check_name(name: str, limits: ArchiveLimits) -> None:
    parts = name.replace("\\", "/").split("/")
    bad = (
        not name
        or len(name) > limits.max_name_length
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
        or name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
    )
    if bad:
        raise ArchiveRejected(
            "archive_path",
            _("The archive contains a part with an unsafe name (%(name)s)."),
            {"name": name[:80]},
        )


def _is_nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits) -> bool:
    if info.is_dir() or info.filename.startswith(limits.nested_allowed_under):
        return False
    if info.filename.lower().endswith(_NESTED_SUFFIXES):
        return True
    if info.file_size < 2:
        return False
    try:
        with archive.open(info) as fh:
            head = fh.read(8)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise ArchiveRejected(
            "archive_corrupt",
            _("The part %(name)s of the archive is damaged."),
            {"name": info.filename[:80]},
        ) from exc
    return head.startswith(_NESTED_MAGIC)


def _check_member(info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    name = info.filename[:80]
    if info.flag_bits & 0x1:
        raise ArchiveRejected(
            "archive_encrypted",
            _("The part %(name)s of the archive is encrypted."),
            {"name": name},
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ArchiveRejected(
            "archive_method",
            _("The part %(name)s of the archive uses a compression method that is not accepted."),
            {"name": name},
        )
    if info.file_size > limits.max_member_bytes:
        raise ArchiveRejected(
            "archive_part_too_large",
            _(
                "The part %(name)s of the archive expands to %(size)s MB;"
                " at most %(limit)s MB is accepted."
            ),
            {
                "name": name,
                "size": _mb(info.file_size),
                "limit": _mb(limits.max_member_bytes),
            },
        )
    if info.file_size > limits.ratio_from_bytes and info.file_size > limits.max_ratio * max(
        1, info.compress_size
    ):
        raise ArchiveRejected(
            "archive_ratio",
            _(
                "The part %(name)s of the archive is compressed %(ratio)s times (%(size)s MB"
                " from %(packed)s MB); more than %(limit)s times is refused as a"
                " decompression bomb."
            ),
            {
                "name": name,
                "ratio": format_number(info.file_size // max(1, info.compress_size)),
                "size": _mb(info.file_size),
                "packed": format_number(info.compress_size / MIB, 2),
                "limit": format_number(limits.max_ratio),
            },
        )


class _BoundedReader:
    """A member's stream that refuses to give more than ``cap`` bytes."""

    def __init__(self, archive: CheckedArchive, info: zipfile.ZipInfo, cap: int) -> None:
        self._archive = archive
        self._info = info
        self._cap = cap
        self._done = 0
        try:
            self._stream = archive._zip.open(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise archive._corrupt(info) from exc

    def read(self, size: int = -1) -> bytes:
        want = self._cap - self._done + 1  # one byte more than allowed: to notice a lie
        if size is not None and size >= 0:
            want = min(size, want)
        try:
            data = self._stream.read(want)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise self._archive._corrupt(self._info) from exc
        self._done += len(data)
        if self._done > self._info.file_size:
            raise ArchiveRejected(
                "archive_corrupt",
                _("The part %(name)s of the archive is larger than it declares."),
                {"name": self._info.filename[:80]},
            )
        if self._done > self._cap:
            raise ArchiveRejected(
                "archive_part_too_large",
                _("The part %(name)s of the archive expands beyond the %(limit)s MB accepted."),
                {"name": self._info.filename[:80], "limit": _mb(self._cap)},
            )
        self._archive._count(len(data))
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _BoundedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CheckedArchive:
    """A ZIP whose directory passed :class:`ArchiveLimits`; read members through it."""

    def __init__(
        self, archive: zipfile.ZipFile, limits: ArchiveLimits, owned: IO[bytes] | None
    ) -> None:
        self._zip = archive
        self._owned = owned
        self.limits = limits
        self.infos = {info.filename: info for info in archive.infolist()}
        self._inflated = 0

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def open(self, name: str, *, max_bytes: int | None = None) -> _BoundedReader:
        """The member's stream, refusing more than ``max_bytes`` (or the member limit)."""
        info = self.infos[name]
        cap = self.limits.max_member_bytes if max_bytes is None else max_bytes
        return _BoundedReader(self, info, min(cap, self.limits.max_member_bytes))

    def read(self, name: str, *, max_bytes: int | None = None) -> bytes:
        chunks = []
        with self.open(name, max_bytes=max_bytes) as fh:
            while chunk := fh.read(1 * MIB):
                chunks.append(chunk)
        return b"".join(chunks)

    def _count(self, size: int) -> None:
        self._inflated += size
        if self._inflated > self.limits.max_total_bytes:
            raise _too_large(self._inflated, self.limits)

    def _corrupt(self, info: zipfile.ZipInfo) -> ArchiveRejected:
        return ArchiveRejected(
            "archive_corrupt",
            _("The part %(name)s of the archive is damaged."),
            {"name": info.filename[:80]},
        )

    def close(self) -> None:
        self._zip.close()
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> CheckedArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _too_large(total: int, limits: ArchiveLimits) -> ArchiveRejected:
    return ArchiveRejected(
        "archive_too_large",
        _("The archive expands to more than %(size)s MB; at most %(limit)s MB is accepted."),
        {"size": _mb(total), "limit": _mb(limits.max_total_bytes)},
    )


def open_archive(file: str | Path | IO[bytes], *, limits: ArchiveLimits) -> CheckedArchive:
    """Check the archive ``file`` (a path or a seekable binary file) against ``limits``.

    Raises :class:`ArchiveRejected`; the caller closes the returned archive.
    """
    owned = None
    fh: IO[bytes]
    if isinstance(file, (str, Path)):
        fh = owned = open(file, "rb")  # noqa: SIM115 — closed by CheckedArchive or below
    else:
        fh = file
    try:
        archive = _open_checked(fh, limits)
    except BaseException:
        if owned is not None:
            owned.close()
        raise
    return CheckedArchive(archive, limits, owned)


def _open_checked(fh: IO[bytes], limits: ArchiveLimits) -> zipfile.ZipFile:
    size = fh.seek(0, 2)
    entries, directory_bytes = _directory_extent(fh, size)
    too_many = ArchiveRejected(
        "archive_too_many_parts",
        _("The archive has %(count)s parts; at most %(limit)s are accepted."),
        {"count": format_number(entries), "limit": format_number(limits.max_members)},
    )
    if entries > limits.max_members:
        raise too_many
    if directory_bytes > limits.max_members * _DIRECTORY_BYTES_PER_ENTRY:
        raise _unreadable()
    fh.seek(0)
    try:
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
        raise _unreadable() from exc
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            too_many.params["count"] = format_number(len(infos))
            raise too_many
        seen: set[str] = set()
        total = 0
        for info in infos:
            _check_name(info.filename, limits)
            if info.filename in seen:
                raise ArchiveRejected(
                    "archive_path",
                    _("The archive lists the part %(name)s twice."),
                    {"name": info.filename[:80]},
                )
            seen.add(info.filename)
            _check_member(info, limits)
            total += info.file_size
            if total > limits.max_total_bytes:
                raise _too_large(total, limits)
        for info in infos:
            if _is_nested(archive, info, limits):
                raise ArchiveRejected(
                    "archive_nested",
                    _("The archive contains another archive (%(name)s); it is not accepted."),
                    {"name": info.filename[:80]},
                )
    except BaseException:
        archive.close()
        raise
    return archive
