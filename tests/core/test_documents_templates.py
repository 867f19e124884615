"""Letter templates: the seeded texts, the service and the VCA editor pages."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from htxso.core.documents.letters import letter_from_template, render_letter_docx
from htxso.core.documents.placeholders import (
    PLACEHOLDER_KEYS,
    province_phrase,
    sample_context,
    sample_letter_fields,
)
from htxso.core.documents.services import letter_template_update
from htxso.core.documents.templating import placeholders_in
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent, LetterTemplate

pytestmark = pytest.mark.django_db
CODES = ["call_national", "call_province", "selection_result"]


def _form(t: LetterTemplate, **over) -> dict:
    data = {
        "title": t.title,
        "subject": t.subject,
        "body": t.body,
        "receivers": t.receivers,
        "signer_authority": t.signer_authority,
        "signer_title": t.signer_title,
        "signer_name": t.signer_name,
        "action": "save",
    }
    data.update(over)
    return data


# ---------------------------------------------------------------------- seeds ---


def test_three_templates_are_seeded_with_the_agreed_placeholders():
    templates = {t.code: t for t in LetterTemplate.objects.all()}
    assert sorted(templates) == CODES
    for t in templates.values():
        assert t.allowed_placeholders == PLACEHOLDER_KEYS
        used = placeholders_in(t.subject) | placeholders_in(t.body) | placeholders_in(t.receivers)
        assert used <= set(PLACEHOLDER_KEYS)
        assert t.body.count("\n\n") >= 3
        assert t.receivers.splitlines()[0] == "- Như trên;"
        assert t.receivers.splitlines()[-1].startswith("- Lưu: VT")
    province = templates["call_province"]
    assert {"criteria", "deadline", "province", "min_eligible"} <= placeholders_in(province.body)
    assert province.signer_authority == "TM. THƯỜNG TRỰC LIÊN MINH HTX"


@pytest.mark.parametrize("code", CODES)
def test_every_seeded_template_makes_a_letter(code):
    t = LetterTemplate.objects.get(code=code)
    letter = letter_from_template(t, sample_context(), **sample_letter_fields(code))
    doc = Document(io.BytesIO(render_letter_docx(letter)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" not in text and "}}" not in text
    assert "Kính gửi:" in text
    left = doc.tables[0].rows[0].cells[0]
    assert any(p.text.startswith("V/v ") and "{{" not in p.text for p in left.paragraphs)


def test_province_letter_reads_like_source_000():
    t = LetterTemplate.objects.get(code="call_province")
    context = {**sample_context(), "province": province_phrase("Tỉnh Cao Bằng")}
    letter = letter_from_template(t, context, **sample_letter_fields(t.code))
    body = "\n".join(letter.body)
    assert "Liên minh Hợp tác xã tỉnh Cao Bằng" in body
    assert "- Có trên 40% người lao động là thanh niên (dưới 35 tuổi);" in letter.body
    assert "trước ngày 15/4/2024" in body
    assert letter.recipients == ["Các hợp tác xã trên địa bàn tỉnh Cao Bằng"]


def test_province_phrase():
    assert province_phrase("Tỉnh Cao Bằng") == "tỉnh Cao Bằng"
    assert province_phrase("Thành phố Hà Nội") == "thành phố Hà Nội"
    assert province_phrase("Huế") == "Huế"


# -------------------------------------------------------------------- service ---


def test_update_records_audit_and_user(world):
    t = LetterTemplate.objects.get(code="call_national")
    vca = world.users["vca"]
    updated = letter_template_update(
        actor=vca, template=t, subject="  mời tham gia {{programme}} ", signer_name="Nguyễn Văn Mẫu"
    )
    assert updated.subject == "mời tham gia {{programme}}"
    assert updated.updated_by == vca
    event = AuditEvent.objects.get(action="letter_template.update")
    assert event.actor == vca and event.object_id == str(t.pk)
    assert set(event.after) == {"subject", "signer_name"}
    # nothing changed: no second audit row
    letter_template_update(actor=vca, template=updated, subject="mời tham gia {{programme}}")
    assert AuditEvent.objects.filter(action="letter_template.update").count() == 1


def test_update_refuses_unknown_placeholders_and_saves_nothing(world):
    t = LetterTemplate.objects.get(code="call_national")
    before = (t.subject, t.body, t.updated_at)
    with pytest.raises(ValidationError) as err:
        letter_template_update(
            actor=world.users["vca"],
            template=t,
            subject="mời {{ programme }}",
            body="Hạn {{ hạn_chót }} {{ deadline",
            receivers="- {{ province }};\n- Lưu: VT.",
            signer_title="{{ today }}",
        )
    errors = err.value.message_dict
    assert set(errors) == {"body", "signer_title"}
    t.refresh_from_db()
    assert (t.subject, t.body, t.updated_at) == before
    assert not AuditEvent.objects.filter(action="letter_template.update").exists()


def test_update_is_for_vca_only(world):
    t = LetterTemplate.objects.get(code="call_national")
    with pytest.raises(ServiceError) as refused:
        letter_template_update(actor=world.users["officer_a"], template=t, title="X")
    assert refused.value.kind is Kind.FORBIDDEN


def test_required_and_control_characters(world):
    t = LetterTemplate.objects.get(code="call_national")
    with pytest.raises(ValidationError) as err:
        letter_template_update(
            actor=world.users["vca"], template=t, title="  ", body="a\x00b", subject=""
        )
    assert set(err.value.message_dict) == {"title", "body", "subject"}


# ---------------------------------------------------------------------- pages ---


def test_list_and_edit_pages_for_vca(client, world):
    client.force_login(world.users["vca"])
    page = client.get("/van-ban/mau/").content.decode()
    for t in LetterTemplate.objects.all():
        assert t.title in page and f"/van-ban/mau/{t.code}/" in page
    page = client.get("/van-ban/mau/call_province/").content.decode()
    assert "{{ deadline }}" in page and "{{ min_eligible }}" in page
    assert 'name="body"' in page


@pytest.mark.parametrize("key", ["officer_a", "manager_a1", "buyer", "norole"])
def test_edit_page_forbidden_for_others(client, world, key):
    client.force_login(world.users[key])
    t = LetterTemplate.objects.get(code="call_province")
    assert client.get("/van-ban/mau/call_province/").status_code == 403
    response = client.post("/van-ban/mau/call_province/", _form(t, title="Hacked"))
    assert response.status_code == 403
    assert LetterTemplate.objects.get(code="call_province").title == t.title


def test_anonymous_goes_to_sign_in(client):
    response = client.get("/van-ban/mau/call_province/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_save_from_the_page(client, world):
    client.force_login(world.users["vca"])
    t = LetterTemplate.objects.get(code="call_province")
    body = t.body + "\n\nĐoạn mới: hạn {{ deadline }}."
    response = client.post("/van-ban/mau/call_province/", _form(t, body=body), follow=True)
    assert response.status_code == 200
    t.refresh_from_db()
    assert t.body.endswith("Đoạn mới: hạn {{ deadline }}.") and t.updated_by == world.users["vca"]
    assert "Đã lưu mẫu" in response.content.decode()


def test_invalid_placeholder_refused_in_vietnamese_and_nothing_saved(client, world):
    client.force_login(world.users["vca"])
    t = LetterTemplate.objects.get(code="call_province")
    response = client.post(
        "/van-ban/mau/call_province/",
        _form(t, title="Tên mới", body=t.body + "\n\n{{ han_nop }}"),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không có chỗ điền {{ han_nop }}" in page
    assert "{{ deadline }}" in page
    assert LetterTemplate.objects.get(code="call_province").title == t.title
    assert not AuditEvent.objects.filter(action="letter_template.update").exists()


def test_unbalanced_braces_refused(client, world):
    client.force_login(world.users["vca"])
    t = LetterTemplate.objects.get(code="call_province")
    response = client.post("/van-ban/mau/call_province/", _form(t, subject="tham gia {{ programme"))
    assert response.status_code == 200
    assert "field--error" in response.content.decode()
    assert LetterTemplate.objects.get(code="call_province").subject == t.subject


def test_preview_download_of_unsaved_text(client, world):
    client.force_login(world.users["vca"])
    t = LetterTemplate.objects.get(code="call_province")
    response = client.post(
        "/van-ban/mau/call_province/",
        _form(t, action="preview", subject="mời tham gia {{ programme }} (bản nháp)"),
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    left = doc.tables[0].rows[0].cells[0]
    subject = next(p.text for p in left.paragraphs if p.text.startswith("V/v"))
    assert subject.startswith("V/v mời tham gia Dự án “Thanh niên trong HTX")
    assert subject.endswith("(bản nháp)")
    assert any(p.text == "UBND TỈNH CAO BẰNG" for p in left.paragraphs)
    # not saved
    assert LetterTemplate.objects.get(code="call_province").subject == t.subject


def test_preview_of_saved_template(client, world):
    client.force_login(world.users["vca"])
    response = client.get("/van-ban/mau/selection_result/xem-thu.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert any(p.text.startswith("Kính gửi:") for p in doc.paragraphs)


def test_unknown_code_is_404(client, world):
    client.force_login(world.users["vca"])
    assert client.get("/van-ban/mau/khong-co/").status_code == 404


def test_list_page_queries_do_not_grow_with_edits(client, world, django_assert_max_num_queries):
    vca = world.users["vca"]
    client.force_login(vca)
    for t in LetterTemplate.objects.all():
        letter_template_update(actor=vca, template=t, signer_name=f"Người ký {t.pk}")
    client.get("/van-ban/mau/")  # warm the session and caches
    with django_assert_max_num_queries(8):
        response = client.get("/van-ban/mau/")
    page = response.content.decode()
    assert page.count("Sửa lúc") == 3


def test_preview_with_a_bad_placeholder_shows_the_error(client, world):
    client.force_login(world.users["vca"])
    t = LetterTemplate.objects.get(code="call_national")
    response = client.post(
        "/van-ban/mau/call_national/", _form(t, action="preview", receivers="- {{ ai }};")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Không có chỗ điền {{ ai }}" in response.content.decode()


def test_body_too_long_or_binary_refused(client, world):
    client.force_login(world.users["vca"])
    t = LetterTemplate.objects.get(code="call_national")
    for body in ("x" * 20001, "Đoạn\x07 một"):
        response = client.post("/van-ban/mau/call_national/", _form(t, body=body))
        assert response.status_code == 200
        assert "field--error" in response.content.decode()
    assert LetterTemplate.objects.get(code="call_national").body == t.body
