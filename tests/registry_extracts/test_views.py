"""The extract pages: upload → review → accept, with refusals and nasty input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.registry.models import Organisation
from htxso.registry.models.extracts import SyncRun

from .helpers import business_csv, cao_bang_registry, code, row, standard_rows, upload

pytestmark = pytest.mark.django_db


def _post_upload(client, content, **extra):
    data = {
        "file": upload(content),
        "source": "business",
        "province": "04",
        "extract_date": "2026-11-30",
        **extra,
    }
    return client.post(reverse("registry:extract_upload"), data)


def test_officer_uploads_reviews_and_accepts(client, world):
    cao_bang_registry(world)
    client.force_login(world.users["officer_a"])
    rows = [*standard_rows(world), row(code(9), "<script>alert(1)</script>HTX Mới")]
    response = _post_upload(client, business_csv(rows))
    assert response.status_code == 302
    run = SyncRun.objects.get()
    page = client.get(reverse("registry:extract_review", args=[run.pk]) + "?cat=new")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "HTX Chè Shan tuyết Phìa Đén" in html
    page = client.get(reverse("registry:extract_review", args=[run.pk]) + "?cat=changed")
    assert "Nông Văn Dũng" in page.content.decode()
    decide = reverse("registry:extract_decide", args=[run.pk])
    response = client.post(decide, {"action": "apply", "category": "changed"})
    assert response.status_code == 302
    a1 = Organisation.objects.get(pk=world.orgs["a1"].pk)
    assert a1.charter_capital == 500_000_000
    history = client.get(reverse("registry:extract_history")).content.decode()
    assert "trich-xuat.csv" in history


def test_duplicate_upload_tells_the_user(client, world):
    client.force_login(world.users["officer_a"])
    content = business_csv(standard_rows(world))
    assert _post_upload(client, content).status_code == 302
    response = _post_upload(client, content)
    assert response.status_code == 200
    assert "đối soát lần thứ hai sẽ không thay đổi gì" in response.content.decode()
    assert SyncRun.objects.count() == 1


def test_viewer_reads_but_may_not_decide(client, world):
    officer = world.users["officer_a"]
    client.force_login(officer)
    _post_upload(client, business_csv(standard_rows(world)))
    run = SyncRun.objects.get()
    client.force_login(world.users["viewer_a"])
    assert client.get(reverse("registry:extract_review", args=[run.pk])).status_code == 200
    decide = reverse("registry:extract_decide", args=[run.pk])
    assert client.post(decide, {"action": "apply", "category": "changed"}).status_code == 403
    client.force_login(world.users["officer_b"])
    assert client.get(reverse("registry:extract_review", args=[run.pk])).status_code == 404
    assert client.post(decide, {"action": "apply", "category": "changed"}).status_code == 404
    assert Organisation.objects.get(pk=world.orgs["a1"].pk).charter_capital is None


def test_ids_past_2_63(client, world):
    client.force_login(world.users["officer_a"])
    _post_upload(client, business_csv(standard_rows(world)))
    run = SyncRun.objects.get()
    huge = 2**63 + 5
    assert client.get(f"/doi-soat/{huge}/").status_code == 404
    decide = reverse("registry:extract_decide", args=[run.pk])
    response = client.post(decide, {"action": "apply", "item": str(huge)})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.orgs["a1"].pk).charter_capital is None
