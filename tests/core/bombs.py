"""Builders of ZIP bombs, small on disk, written by the tests themselves.

:func:`write_zip` streams each member through zlib (nothing is held in memory, so a
member of 1 GiB costs a few seconds and 1 MB on disk) and can declare sizes that lie.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass
class Member:
    name: str
    chunks: Callable[[], Iterator[bytes]]
    #: what the directory says, instead of the real size (a lie)
    declared_size: int | None = None
    #: what the directory says, instead of the real CRC
    declared_crc: int | None = None
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def data(content: bytes) -> Callable[[], Iterator[bytes]]:
    return lambda: iter((content,))


def repeated(unit: bytes, count: int, *, prefix: bytes = b"", suffix: bytes = b"") -> Callable:
    """``prefix + unit * count + suffix``, produced 1 MiB at a time."""
    per_chunk = max(1, MIB // len(unit))

    def chunks() -> Iterator[bytes]:
        yield prefix
        left = count
        block = unit * per_chunk
        while left >= per_chunk:
            yield block
            left -= per_chunk
        yield unit * left
        yield suffix

    return chunks


def write_zip(path: Path, members: Iterable[Member]) -> Path:
    """A ZIP with the members streamed at compression level 9 (no zip64: < 4 GiB)."""
    directory = []
    with path.open("wb") as out:
        for m in members:
            name = m.name.encode()
            offset = out.tell()
            out.write(b"\0" * (30 + len(name)))  # local header, written once sizes are known
            crc = size = packed = 0
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            for chunk in m.chunks():
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                block = packer.compress(chunk) if m.method == zipfile.ZIP_DEFLATED else chunk
                packed += len(block)
                out.write(block)
            if m.method == zipfile.ZIP_DEFLATED:
                tail = packer.flush()
                packed += len(tail)
                out.write(tail)
            crc = crc if m.declared_crc is None else m.declared_crc
            size = size if m.declared_size is None else m.declared_size
            end = out.tell()
            out.seek(offset)
            out.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    m.flags,
                    m.method,
                    0,
                    0x21,
                    crc,
                    packed,
                    size,
                    len(name),
                    0,
                )
                + name
            )
            out.seek(end)
            directory.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    m.flags,
                    m.method,
                    0,
                    0x21,
                    crc,
                    packed,
                    size,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + name
            )
        start = out.tell()
        for entry in directory:
            out.write(entry)
        out.write(
            struct.pack(
                "<IHHHHIIH",
                0x06054B50,
                0,
                0,
                len(directory),
                len(directory),
                out.tell() - start,
                start,
                0,
            )
        )
    return path


def copy_members(source: Path, *, skip: Iterable[str] = ()) -> list[Member]:
    """The members of a real (small) archive, to mix with a bomb."""
    skip = set(skip)
    with zipfile.ZipFile(source) as zf:
        return [
            Member(i.filename, data(zf.read(i))) for i in zf.infolist() if i.filename not in skip
        ]


def many_members_zip(path: Path, count: int, first: Iterable[tuple[str, bytes]] = ()) -> Path:
    """The ``first`` members then ``count`` tiny ones, stored, with the zip64 end records
    a directory of more than 65,535 entries needs (written by hand: zipfile takes
    seconds for 100,000 members)."""
    body, directory = [], []
    offset = 0
    members = [*first, *((f"p/{i}.xml", b"<a/>") for i in range(count))]
    for name, content in members:
        raw = name.encode()
        crc = zlib.crc32(content)
        head = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            0,
            0,
            0x21,
            crc,
            len(content),
            len(content),
            len(raw),
            0,
        )
        body.append(head + raw + content)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                45,
                20,
                0,
                0,
                0,
                0x21,
                crc,
                len(content),
                len(content),
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
        )
        offset += len(head) + len(raw) + len(content)
    central = b"".join(directory)
    end64 = offset + len(central)
    tail = (
        struct.pack(
            "<IQHHIIQQQQ",
            0x06064B50,
            44,
            45,
            45,
            0,
            0,
            len(members),
            len(members),
            len(central),
            offset,
        )
        + struct.pack("<IIQI", 0x07064B50, 0, end64, 1)
        + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, len(central), offset, 0)
    )
    path.write_bytes(b"".join(body) + central + tail)
    return path


def run_bounded(code: str, *args: str, memory: int = 1536 * MIB, timeout: float = 60) -> tuple:
    """Run ``code`` in a fresh Python whose address space is capped at ``memory`` bytes
    (so a parse that inflates a bomb dies with MemoryError instead of eating the machine);
    returns (returncode, stdout, stderr)."""
    import os
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "htxso.settings")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr
