"""The archive guard: every ZIP bomb refused from its directory or while it is read."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from htxso.core.archives import (
    OFFICE,
    ArchiveLimits,
    ArchiveRejected,
    open_archive,
)

from .bombs import GIB, MIB, Member, data, many_members_zip, repeated, run_bounded, write_zip

SMALL = ArchiveLimits(max_members=10, max_member_bytes=MIB, max_total_bytes=2 * MIB)


def _refusal(path, limits=OFFICE, read: str | None = None) -> str:
    with pytest.raises(ArchiveRejected) as err, open_archive(path, limits=limits) as archive:
        if read:
            archive.read(read)
    assert str(err.value)  # the message renders with its parameters
    return err.value.code


def test_a_plain_archive_opens_and_reads(tmp_path):
    path = write_zip(
        tmp_path / "ok.zip",
        [Member("a/b.xml", data(b"<a>" + b"x" * 1000 + b"</a>")), Member("c.txt", data(b"hi"))],
    )
    with open_archive(path, limits=SMALL) as archive:
        assert archive.names == ["a/b.xml", "c.txt"]
        assert archive.read("c.txt") == b"hi"
        with archive.open("a/b.xml") as fh:
            assert fh.read(3) == b"<a>"
    # a file object works too (programme attachments are bytes)
    with open_archive(io.BytesIO(path.read_bytes()), limits=SMALL) as archive:
        assert archive.read("a/b.xml").endswith(b"</a>")


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert _refusal(path) == "archive_unreadable"


def test_100000_tiny_members_refused_from_the_end_record(tmp_path):
    path = many_members_zip(tmp_path / "many.zip", 100_000)
    assert path.stat().st_size < 25 * MIB
    started = time.perf_counter()
    assert _refusal(path) == "archive_too_many_parts"
    assert time.perf_counter() - started < 0.5  # zipfile never parsed the directory


def test_member_declared_over_the_limit_and_total(tmp_path):
    path = write_zip(tmp_path / "big.zip", [Member("a.xml", repeated(b"ab", MIB))])  # 2 MiB
    assert _refusal(path, SMALL) == "archive_part_too_large"
    halves = [Member(f"{i}.xml", repeated(b"ab", 300 * 1024)) for i in range(4)]  # 4 x 600 KiB
    assert _refusal(write_zip(tmp_path / "sum.zip", halves), SMALL) == "archive_too_large"


def test_compression_ratio(tmp_path):
    path = write_zip(tmp_path / "zeros.zip", [Member("z.xml", repeated(b"\0", 64 * MIB))])
    assert path.stat().st_size < 100 * 1024
    assert _refusal(path) == "archive_ratio"


@pytest.mark.slow
def test_one_gib_member_refused_unread_with_memory_bounded(tmp_path):
    """1 GiB of 'a' in ~1 MB: refused from the directory, in a process limited to 1.5 GiB."""
    path = write_zip(tmp_path / "gib.zip", [Member("cell.xml", repeated(b"a", GIB))])
    assert path.stat().st_size < 2 * MIB
    code = (
        "import sys, time; import django; django.setup()\n"
        "from htxso.core.archives import OFFICE, ArchiveRejected, open_archive\n"
        "t = time.perf_counter()\n"
        "try:\n"
        "    with open_archive(sys.argv[1], limits=OFFICE) as a: a.read('cell.xml')\n"
        "except ArchiveRejected as e: print(e.code, time.perf_counter() - t)\n"
    )
    rc, out, err = run_bounded(code, str(path))
    assert rc == 0, err
    refused, seconds = out.split()
    assert refused == "archive_part_too_large" and float(seconds) < 1


def test_declared_size_that_lies_is_caught_while_reading(tmp_path):
    """The directory says 1,000 bytes; the data inflates to 64 MiB: reading stops at the
    declared size (the CRC then fails), never inflating the rest."""
    path = write_zip(
        tmp_path / "lie.zip",
        [Member("x.xml", repeated(b"a", 64 * MIB), declared_size=1000)],
    )
    started = time.perf_counter()
    assert _refusal(path, read="x.xml") == "archive_corrupt"
    assert time.perf_counter() - started < 0.5


def test_reader_refuses_more_than_the_caller_allows(tmp_path):
    path = write_zip(tmp_path / "a.zip", [Member("x.xml", repeated(b"ab", 300 * 1024))])
    with open_archive(path, limits=SMALL) as archive:
        with pytest.raises(ArchiveRejected) as err:
            archive.read("x.xml", max_bytes=100 * 1024)
        assert err.value.code == "archive_part_too_large"
        assert len(archive.read("x.xml")) == 600 * 1024


@pytest.mark.parametrize(
    "name", ["../../settings.py", "/etc/passwd", "C:\\x.xml", "a/../../b", "a\x1bb", "x" * 300]
)
def test_unsafe_names(tmp_path, name):
    path = write_zip(tmp_path / "n.zip", [Member(name, data(b"x"))])
    assert _refusal(path) == "archive_path"


def test_duplicate_encrypted_and_exotic_members(tmp_path):
    twice = write_zip(
        tmp_path / "d.zip", [Member("a.xml", data(b"1")), Member("a.xml", data(b"2"))]
    )
    assert _refusal(twice) == "archive_path"
    locked = write_zip(tmp_path / "e.zip", [Member("a.xml", data(b"1"), flags=1)])
    assert _refusal(locked) == "archive_encrypted"
    bz = write_zip(tmp_path / "b.zip", [Member("a.xml", data(b"1"), method=zipfile.ZIP_BZIP2)])
    assert _refusal(bz) == "archive_method"


def test_nested_archives(tmp_path):
    inner = write_zip(tmp_path / "inner.zip", [Member("a.xml", data(b"<a/>"))]).read_bytes()
    by_name = write_zip(tmp_path / "n1.zip", [Member("data.zip", data(b"whatever"))])
    assert _refusal(by_name) == "archive_nested"
    by_content = write_zip(tmp_path / "n2.zip", [Member("word/media/x.png", data(inner))])
    assert _refusal(by_content) == "archive_nested"
    embedded = write_zip(tmp_path / "n3.zip", [Member("word/embeddings/Sheet1.xlsx", data(inner))])
    with open_archive(embedded, limits=OFFICE) as archive:  # Office embeddings are normal
        assert archive.names == ["word/embeddings/Sheet1.xlsx"]
