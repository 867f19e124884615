"""Uploaded photos: refused precisely when they are too big, fake, odd or dangerous;
otherwise re-encoded without metadata, upright, resized, with a thumbnail."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from htxso.market.images import MAX_BYTES, ImageRejected, process_upload


def _image_bytes(fmt="JPEG", size=(2000, 1500), mode="RGB", color=(200, 30, 30), **save):
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _upload(data: bytes, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _code(data_or_file) -> str:
    file = _upload(data_or_file) if isinstance(data_or_file, bytes) else data_or_file
    with pytest.raises(ImageRejected) as err:
        process_upload(file)
    assert str(err.value)  # a message for the seller
    return err.value.code


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_jpeg_is_resized_with_thumbnail():
    result = process_upload(_upload(_image_bytes(size=(3200, 2400))))
    assert (result.width, result.height) == (1600, 1200)
    assert result.content_type == "image/jpeg" and result.extension == "jpg"
    full, thumb = _open(result.full), _open(result.thumb)
    assert full.format == thumb.format == "JPEG"
    assert full.size == (1600, 1200)
    assert thumb.size == (400, 300)


def test_small_enough_image_is_not_enlarged():
    result = process_upload(_upload(_image_bytes(size=(300, 250))))
    assert (result.width, result.height) == (300, 250)
    assert _open(result.thumb).size == (300, 250)


def test_exif_is_stripped_and_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 0.0)}  # GPS info
    data = _image_bytes(size=(2000, 1000), exif=exif.tobytes())
    assert _open(data).getexif()[0x0112] == 6
    result = process_upload(_upload(data))
    assert (result.width, result.height) == (800, 1600)  # upright, portrait
    full = _open(result.full)
    assert full.size == (800, 1600)
    assert not full.getexif()
    assert b"PhoneMaker" not in result.full and b"Exif" not in result.full[:200]


def test_png_with_transparency_becomes_webp():
    data = _image_bytes("PNG", size=(600, 600), mode="RGBA", color=(0, 128, 0, 0))
    result = process_upload(_upload(data, "logo.png", "image/png"))
    assert result.content_type == "image/webp" and result.extension == "webp"
    full = _open(result.full)
    assert full.format == "WEBP" and full.mode == "RGBA"
    assert full.getpixel((10, 10))[3] == 0


def test_opaque_png_and_webp_become_jpeg():
    for fmt in ("PNG", "WEBP"):
        result = process_upload(_upload(_image_bytes(fmt, size=(500, 400)), "a.x", "image/x"))
        assert result.content_type == "image/jpeg"
        assert _open(result.full).format == "JPEG"


class CountingStream:
    """A 30 MB upload that counts how much of it is read."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.total
        n = min(n, self.total - self.read_bytes)
        self.read_bytes += n
        return b"\xff" * n


def test_30_mb_upload_refused_without_reading_it_all():
    stream = CountingStream(30 * 1024 * 1024)
    assert _code(stream) == "image_too_big"
    assert stream.read_bytes <= MAX_BYTES + 1


def test_upload_declaring_its_size_is_refused_before_reading():
    upload = _upload(b"\xff\xd8\xff" + b"0" * (MAX_BYTES + 10))
    assert _code(upload) == "image_too_big"


@pytest.mark.parametrize(
    "data",
    [
        b"Day khong phai la anh, chi la van ban.\n" * 20,
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 500,  # a Windows .exe
        b"%PDF-1.7\n" + b"0" * 300,
        b"\xff\xd8\xff\xe0" + b"\x00" * 50,  # JPEG magic and nothing else
    ],
)
def test_fake_images_refused(data):
    assert _code(data) == "image_not_image"


def test_empty_file_refused():
    assert _code(b"") == "image_empty"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_formats_refused(fmt):
    assert _code(_image_bytes(fmt, size=(400, 400))) == "image_bad_format"


@pytest.mark.parametrize("size", [(199, 800), (800, 150), (50, 50)])
def test_too_small_refused(size):
    assert _code(_image_bytes(size=size)) == "image_too_small"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming ``width`` × ``height`` with a tiny compressed body (a bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 10_000, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(10_000, 10_000), (60_000, 60_000), (100_000, 600)])
def test_decompression_bomb_refused(size):
    data = _png_header_only(*size)
    assert len(data) < 1000
    assert _code(data) == "image_too_many_pixels"


def test_truncated_image_refused():
    data = _image_bytes(size=(1200, 900), quality=95)
    noisy = Image.effect_noise((1200, 900), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="JPEG", quality=95)
    data = out.getvalue()
    assert _code(data[: len(data) // 2]) == "image_corrupt"


def test_png_body_truncated_refused():
    assert _code(_png_header_only(400, 400)) == "image_corrupt"
