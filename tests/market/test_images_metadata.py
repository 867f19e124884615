"""A stored photo is a fresh encode of the pixels: nothing else of the upload survives
(JPEG comments, EXIF, XMP, colour profiles, PNG text chunks), so a ``<script>`` hidden
in a photo's metadata is never served back."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from htxso.market.images import process_upload
from htxso.market.services import catalogue as catalogue_svc

from .fixtures_market import make_product, make_store

SCRIPT = b"<script>alert(document.cookie)</script>"
#: What Pillow's decoders put in ``info`` about the encoding itself (not metadata).
DECODER_INFO = {
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "dpi",
    "progressive",
    "progression",
    "loop",
    "background",
    "duration",
    "timestamp",
}


def _file(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _jpeg_with_comment() -> bytes:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 120, 40)).save(
        out, "JPEG", comment=SCRIPT, icc_profile=icc, exif=b"Exif\x00\x00" + b"MM" + SCRIPT
    )
    data = out.getvalue()
    assert SCRIPT in data
    return data


def _png_with_text(mode="RGB") -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_text("Description", SCRIPT.decode(), zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", SCRIPT.decode())
    color = (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)
    out = io.BytesIO()
    Image.new(mode, (500, 500), color).save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    assert SCRIPT in data
    return data


def _assert_clean(data: bytes):
    assert b"<script" not in data
    image = Image.open(io.BytesIO(data))
    image.load()
    leftovers = set(image.info) - DECODER_INFO
    assert not leftovers, leftovers
    assert not image.getexif()


@pytest.mark.parametrize(
    "data,name",
    [
        (_jpeg_with_comment(), "a.jpg"),
        (_png_with_text(), "a.png"),
        (_png_with_text("RGBA"), "logo.png"),  # transparency: stored as WebP
    ],
)
def test_processed_photo_has_no_metadata(data, name):
    processed = process_upload(_file(data, name))
    _assert_clean(processed.full)
    _assert_clean(processed.thumb)


@pytest.mark.django_db
def test_stored_product_photo_has_no_script(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    store = make_store(world, "a1", "Hợp Giang")
    product = make_product(store, "Gạo tám", cat="gao")
    seller = world.users["manager_a1"]
    for data, name in [(_jpeg_with_comment(), "a.jpg"), (_png_with_text(), "b.png")]:
        image = catalogue_svc.product_add_photo(
            actor=seller, product=product, upload=_file(data, name)
        )
        for field in (image.image, image.thumb):
            with field.open("rb") as fh:
                _assert_clean(fh.read())
