"""The minutes and the resolution as Word documents, reopened with python-docx."""

from __future__ import annotations

import io

import pytest
from docx import Document

from htxso.governance import documents_votes
from htxso.governance import services_votes as svc
from htxso.governance.models import GovernanceRecord

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_minutes_have_attendance_quorum_and_each_vote(hall):
    manager = hall.world.users["manager_a1"]
    secret = hall.resolution(secret=True, matter="charter", title="Sửa đổi Điều lệ")
    svc.cast(actor=hall.world.users["member_a1"], resolution=secret, choice="yes")
    svc.paper_enter(
        actor=manager,
        resolution=secret,
        yes=2,
        no=0,
        abstain=0,
        invalid=1,
        ballots_issued=3,
        teller_1="Bà Lò Thị Mai",
        teller_2="Ông Nông Văn Sơn",
    )
    svc.paper_confirm(actor=hall.world.users["vca"], resolution=secret)
    svc.resolution_close(actor=manager, resolution=secret)
    hall.resolution(status="draft", title="Kế hoạch năm sau")
    text = _text(documents_votes.render_minutes_docx(hall.assembly))
    assert "BIÊN BẢN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Thành viên member_a1" in text  # attendance
    assert "4/5" in text and "ĐỦ điều kiện" in text  # quorum
    assert "Sửa đổi Điều lệ" in text and "ít nhất 65%" in text and "Điều" in text
    assert "Phiếu giấy" in text and "Bà Lò Thị Mai" in text and "không hợp lệ 1" in text
    assert "tán thành 3/4" in text and "THÔNG QUA" in text
    assert "chưa mở" in text  # the draft


def test_resolution_docx_and_the_archive(hall, client):
    manager = hall.world.users["manager_a1"]
    r = hall.resolution(secret=False, title="Phân phối lợi nhuận <script>")
    for key in ("member_a1", "manager_a1"):
        svc.cast(actor=hall.world.users[key], resolution=r, choice="yes")
    hall.assembly.attendance.filter(membership=hall.gov.members["a1_o2"]).delete()
    svc.resolution_close(actor=manager, resolution=r)
    svc.resolution_publish(actor=manager, resolution=r)
    client.force_login(manager)
    resp = client.get(f"/quan-tri-htx/bieu-quyet/{r.pk}/nghi-quyet.docx")
    assert resp.status_code == 200
    text = _text(resp.content)
    assert "NGHỊ QUYẾT" in text and "01/2026/NQ-ĐHTV" in text and "<script>" in text
    resp = client.get(f"/quan-tri-htx/bieu-quyet/dai-hoi/{hall.assembly.pk}/bien-ban.docx")
    assert resp.status_code == 200 and "BIÊN BẢN" in _text(resp.content)
    kinds = sorted(GovernanceRecord.objects.values_list("kind", flat=True))
    assert kinds == ["minutes", "resolution"]
    archived = GovernanceRecord.objects.get(kind="minutes")
    assert "BIÊN BẢN" in _text(archived.file.read())
    # a member downloads without archiving
    client.force_login(hall.world.users["member_a1"])
    assert (
        client.get(f"/quan-tri-htx/bieu-quyet/dai-hoi/{hall.assembly.pk}/bien-ban.docx").status_code
        == 200
    )
    assert GovernanceRecord.objects.count() == 2
