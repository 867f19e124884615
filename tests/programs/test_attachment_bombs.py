"""Word and Excel attachments are ZIPs: bombs are refused from the archive's directory."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError

from htxso.programs.services import applications, attachments, calls

from ..core.bombs import MIB, Member, data, repeated, write_zip
from .helpers import make_call

pytestmark = pytest.mark.django_db


class Upload(io.BytesIO):
    def __init__(self, name, content):
        super().__init__(content)
        self.name = name
        self.size = len(content)


@pytest.fixture
def application(world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    return applications.application_start(
        actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
    )


def _refused(world, application, name, content) -> str:
    started = time.perf_counter()
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(
            actor=world.users["manager_a1"], application=application, upload=Upload(name, content)
        )
    assert time.perf_counter() - started < 2
    assert application.attachments.count() == 0
    (error,) = exc.value.error_dict["file"]
    assert str(error.message)
    return error.code


DOCX_PARTS = [
    Member("[Content_Types].xml", data(b"<Types/>")),
    Member("_rels/.rels", data(b"<x/>")),
]


def test_docx_whose_document_inflates_past_the_limit(world, application, tmp_path):
    path = write_zip(
        tmp_path / "bomb.docx",
        [*DOCX_PARTS, Member("word/document.xml", repeated(b"\0", 300 * MIB))],
    )
    assert path.stat().st_size < 1 * MIB  # 300 MiB inside
    assert _refused(world, application, "Ho so.docx", path.read_bytes()) == "archive_part_too_large"


def test_docx_and_xlsx_over_the_ratio_or_with_many_parts(world, application, tmp_path):
    ratio = write_zip(
        tmp_path / "r.xlsx",
        [*DOCX_PARTS, Member("xl/worksheets/sheet1.xml", repeated(b"a", 100 * 1024 * 1024))],
    )
    assert _refused(world, application, "r.xlsx", ratio.read_bytes()) == "archive_ratio"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        for i in range(5_000):
            zf.writestr(f"word/media/{i}.xml", "")
    assert _refused(world, application, "m.docx", buffer.getvalue()) == "archive_too_many_parts"


def test_docx_hiding_another_archive(world, application, tmp_path):
    inner = write_zip(tmp_path / "in.zip", [Member("a.xml", data(b"<a/>"))]).read_bytes()
    path = write_zip(tmp_path / "n.docx", [*DOCX_PARTS, Member("word/document.xml", data(inner))])
    assert _refused(world, application, "n.docx", path.read_bytes()) == "archive_nested"
