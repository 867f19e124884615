"""The votes pages and API: two taps to vote, the receipt shown once and checked, the
result hidden until close (for the chair too), refusals that change nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from htxso.governance import services_votes as svc
from htxso.governance.models import Ballot, VoteRecord

pytestmark = pytest.mark.django_db


def test_two_taps_vote_and_receipt_check(hall, client):
    r = hall.resolution(secret=True, title="Bầu Hội đồng quản trị")
    client.force_login(hall.world.users["member_a1"])
    home = client.get(reverse("governance:votes_home"))
    assert home.status_code == 200
    vote_url = reverse("governance:vote", args=[r.pk])
    assert vote_url in home.content.decode()  # tap 1
    page = client.get(vote_url)
    assert page.status_code == 200 and 'value="yes"' in page.content.decode()
    resp = client.post(vote_url, {"choice": "yes"})  # tap 2
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', resp.content.decode()).group(1)
    assert Ballot.objects.filter(resolution=r).count() == 1
    again = client.post(vote_url, {"choice": "no"})
    assert again.status_code == 302 and Ballot.objects.count() == 1
    check = reverse("governance:receipt_check", args=[r.pk])
    found = client.post(check, {"code": code.lower()}).content.decode()
    assert "found--yes" in found and "Agree" not in found and "Đồng ý" not in found
    assert "found--no" in client.post(check, {"code": "ZZZZ-ZZZZ-ZZZZ"}).content.decode()


def test_result_hidden_from_the_chair_until_close(hall, client):
    r = hall.resolution(secret=True)
    svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="no")
    client.force_login(hall.world.users["manager_a1"])
    url = reverse("governance:resolution_detail", args=[r.pk])
    page = client.get(url).content.decode()
    assert 'id="result-hidden"' in page and 'id="result"' not in page
    resp = client.post(reverse("governance:resolution_action", args=[r.pk]), {"action": "close"})
    assert resp.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="result"' in page


def test_member_cannot_run_the_vote_and_other_coop_gets_404(hall, client):
    r = hall.resolution(status="draft")
    client.force_login(hall.world.users["member_a1"])
    resp = client.post(reverse("governance:resolution_action", args=[r.pk]), {"action": "open"})
    assert resp.status_code == 403
    client.force_login(hall.world.users["manager_b1"])
    for name in ("resolution_detail", "vote", "receipt_check", "resolution_docx"):
        assert client.get(reverse(f"governance:{name}", args=[r.pk])).status_code == 404
    assert (
        client.post(reverse("governance:vote", args=[r.pk]), {"choice": "yes"}).status_code == 404
    )
    assert not VoteRecord.objects.exists()


def test_manager_drafts_opens_and_enters_paper(hall, client):
    client.force_login(hall.world.users["manager_a1"])
    url = reverse("governance:resolution_new", args=[hall.assembly.pk])
    bad = client.post(url, {"title": "", "text": "x", "matter": "charter"})
    assert bad.status_code == 400
    resp = client.post(
        url, {"title": "Sửa Điều lệ", "text": "Sửa điều 5.", "matter": "charter", "secret": "on"}
    )
    assert resp.status_code == 302
    pk = int(resp["Location"].rstrip("/").split("/")[-1])
    page = client.get(reverse("governance:resolution_detail", args=[pk])).content.decode()
    assert "65" in page and "Điều" in page  # the threshold and its article before opening
    client.post(reverse("governance:resolution_action", args=[pk]), {"action": "open"})
    paper = reverse("governance:paper_tally", args=[pk])
    over = client.post(
        paper,
        {
            "ballots_issued": 9,
            "yes": 9,
            "no": 0,
            "abstain": 0,
            "invalid": 0,
            "teller_1": "A",
            "teller_2": "B",
        },
    )
    assert over.status_code == 400
    huge = client.post(
        paper,
        {
            "ballots_issued": 2**63,
            "yes": 0,
            "no": 0,
            "abstain": 0,
            "invalid": 0,
            "teller_1": "A",
            "teller_2": "B",
        },
    )
    assert huge.status_code == 400
    ok = client.post(
        paper,
        {
            "ballots_issued": 2,
            "yes": 2,
            "no": 0,
            "abstain": 0,
            "invalid": 0,
            "teller_1": "A",
            "teller_2": "B",
        },
    )
    assert ok.status_code == 302


def test_api_open_cast_receipt_results(hall, client):
    r = hall.resolution(secret=True)
    client.force_login(hall.world.users["member_a1"])
    base = "/api/v1/governance/votes"
    assert [v["id"] for v in client.get(f"{base}/open").json()] == [r.pk]
    post = lambda path, body: client.post(path, json.dumps(body), content_type="application/json")  # noqa: E731
    assert post(f"{base}/{r.pk}/cast", {"choice": "maybe"}).json()["code"] == "choice"
    code = post(f"{base}/{r.pk}/cast", {"choice": "yes"}).json()["receipt_code"]
    assert code
    again = post(f"{base}/{r.pk}/cast", {"choice": "yes"})
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    assert post(f"{base}/{r.pk}/receipt", {"code": code}).json() == {"counted": True}
    hidden = client.get(f"{base}/{r.pk}/results")
    assert hidden.status_code == 409 and hidden.json()["code"] == "results_hidden"
    svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    res = client.get(f"{base}/{r.pk}/results").json()
    assert res["yes"] == 1 and res["voters_present"] == 4 and res["passed"] is False
    client.force_login(hall.world.users["manager_b1"])
    assert client.get(f"{base}/{r.pk}").status_code == 404
    assert client.get(f"{base}/{2**63}").status_code in (404, 422)
