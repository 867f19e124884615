"""Pages and API of the periodic reports: the office's form, the compiling office's
decisions, downloads through the access check, another province's ids, the API's codes."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from docx import Document

from htxso.indicators import services_reports as svc
from htxso.indicators.models import CompiledReport, Submission

from .conftest import answers

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-rat-dai-2026"


def _client(client, user):
    client.force_login(user)
    return client


def _fill_url(rep, office=None):
    return reverse("indicators:report_fill", args=[rep.cycle.pk, (office or rep.ward_office).pk])


def _post_form(rep, action, **figures):
    narratives, values = answers(rep, **figures)
    data = {f"narrative_{k}": v for k, v in narratives.items()}
    data.update({f"figure_{k}": v for k, v in values.items()})
    data["action"] = action
    return data


def test_member_fills_saves_and_submits_from_the_page(client, rep):
    c = _client(client, rep.w.users["viewer_a"])
    page = c.get(_fill_url(rep))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tình hình phát triển" in body and 'id="submit-report"' in body
    r = c.post(_fill_url(rep), _post_form(rep, "save", members="12"))
    assert r.status_code == 302
    assert Submission.objects.get().status == "draft"
    r = c.post(_fill_url(rep), _post_form(rep, "submit", cooperatives="4"), follow=True)
    sub = Submission.objects.get()
    assert sub.status == "submitted"
    body = r.content.decode()
    assert "nền tảng có 1" in body and "báo cáo 4" in body  # the warning names both numbers
    # a bad figure: the form comes back with the message, nothing changes
    r = c.post(_fill_url(rep), _post_form(rep, "submit", members=str(2**64)))
    assert r.status_code == 200
    sub.refresh_from_db()
    assert sub.figures["members"] == "40"


def test_my_reports_lists_the_office_report(client, rep):
    c = _client(client, rep.w.users["viewer_a"])
    body = c.get(reverse("indicators:reports_home")).content.decode()
    assert _fill_url(rep) in body
    c = _client(client, rep.w.users["norole"])
    body = c.get(reverse("indicators:reports_home")).content.decode()
    assert "report_fill" not in body and _fill_url(rep) not in body


def test_script_in_narrative_is_not_run_on_the_review_page(client, rep):
    narratives, values = answers(rep)
    narratives[str(rep.section.pk)] = "<img src=x onerror=alert(1)>Ổn định"
    sub = svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
        submit=True,
    )
    c = _client(client, rep.w.users["officer_a"])
    body = c.get(reverse("indicators:report_submission", args=[sub.pk])).content.decode()
    assert "onerror" not in body and "Ổn định" in body


def test_compiling_office_returns_accepts_compiles_and_downloads(client, rep):
    narratives, values = answers(rep)
    sub = svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
        submit=True,
    )
    c = _client(client, rep.w.users["officer_a"])
    r = c.post(reverse("indicators:report_return", args=[sub.pk]), {"comment": ""})
    assert r.status_code == 400
    r = c.post(reverse("indicators:report_return", args=[sub.pk]), {"comment": "Thiếu số liệu"})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "returned"
    svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
        submit=True,
    )
    r = c.post(reverse("indicators:report_accept", args=[sub.pk]))
    assert r.status_code == 302
    r = c.post(reverse("indicators:report_accept", args=[sub.pk]), follow=True)
    assert "Báo cáo này đã được tiếp nhận." in r.content.decode()
    r = c.post(reverse("indicators:report_compile", args=[rep.cycle.pk]))
    assert r.status_code == 302
    compiled = CompiledReport.objects.get()
    r = c.get(reverse("indicators:report_docx", args=[compiled.pk]))
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    doc = Document(io.BytesIO(b"".join(r.streaming_content)))
    assert any(p.text == "BÁO CÁO" for p in doc.paragraphs)
    overview = c.get(reverse("indicators:report_cycle", args=[rep.cycle.pk])).content.decode()
    assert 'id="count-accepted">1<' in overview
    # the ward's member sees the cycle but may not compile; another province: 404
    c2 = _client(client, rep.w.users["viewer_a"])
    assert c2.post(reverse("indicators:report_compile", args=[rep.cycle.pk])).status_code == 403
    c3 = _client(client, rep.w.users["viewer_b"])
    assert c3.get(reverse("indicators:report_docx", args=[compiled.pk])).status_code == 404
    assert c3.get(reverse("indicators:report_cycle", args=[rep.cycle.pk])).status_code == 404
    assert c3.get(reverse("indicators:report_submission", args=[sub.pk])).status_code == 404


def test_another_provinces_ids_answer_404(client, rep):
    c = _client(client, rep.w.users["viewer_a"])
    assert (
        c.get(reverse("indicators:report_fill", args=[rep.cycle_b.pk, rep.ward_b.pk])).status_code
        == 404
    )
    assert (
        c.get(reverse("indicators:report_fill", args=[rep.cycle.pk, rep.ward_b.pk])).status_code
        == 404
    )
    assert c.get(f"/ket-qua/bao-cao/ky/{2**63}/").status_code == 404
    assert c.get(f"/ket-qua/bao-cao/ky/{2**64}/").status_code == 404


def _api(c, method, path, body=None):
    kwargs = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(c, method)(f"/api/v1/indicators{path}", **kwargs)


def test_api_save_submit_return_accept(client, rep):
    narratives, values = answers(rep)
    member = _client(client, rep.w.users["viewer_a"])
    path = f"/reports/cycles/{rep.cycle.pk}/offices/{rep.ward_office.pk}/submission"
    r = _api(
        member,
        "post",
        path,
        {"narratives": narratives, "figures": {**values, "members": 2**63}, "submit": True},
    )
    assert r.status_code == 400 and r.json()["code"] == "submission_invalid"
    r = _api(
        member,
        "post",
        path,
        {"narratives": narratives, "figures": {**values, "cooperatives": 3}, "submit": True},
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "submitted" and data["warnings"][0]["platform"] == "1"
    r = _api(member, "post", path, {"narratives": narratives, "figures": values, "submit": True})
    assert r.status_code == 409 and r.json()["code"] == "submission_submitted"
    sid = data["id"]
    assert _api(member, "post", f"/reports/submissions/{sid}/accept", {}).status_code == 403
    compiler = _client(client, rep.w.users["officer_a"])
    r = _api(compiler, "post", f"/reports/submissions/{sid}/return", {"comment": "Sửa lại"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    r = _api(compiler, "post", f"/reports/submissions/{sid}/accept", {})
    assert r.status_code == 409 and r.json()["code"] == "submission_returned"
    r = _api(compiler, "get", f"/reports/cycles/{rep.cycle.pk}")
    assert r.json()["counts"]["returned"] == 1
    assert [
        e["to_status"]
        for e in _api(compiler, "get", f"/reports/submissions/{sid}").json()["events"]
    ] == ["submitted", "returned"]
    other = _client(client, rep.w.users["officer_b"])
    assert _api(other, "get", f"/reports/submissions/{sid}").status_code == 404
    assert _api(other, "get", f"/reports/cycles/{rep.cycle.pk}").status_code == 404
    ids = {c["id"] for c in _api(other, "get", "/reports/cycles").json()}
    assert rep.cycle.pk not in ids and rep.cycle_b.pk in ids
