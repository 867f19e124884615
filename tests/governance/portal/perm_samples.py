"""Permission-test samples of the portal part (read by tests/permissions/samples.py).

In a1 (Cao Bằng): a posted disclosure with a file, one not posted yet, member_a1's
request for a document and question to the board, and a draft profit distribution; in b1
(Đắk Lắk) a posted disclosure (for the leak checks).  The URL samples are a1's.
"""

from __future__ import annotations

import datetime as dt

FILE = b"%PDF-1.4\n% mau\n"


def _member(w):
    from htxso.registry.models import Membership, Person

    user, org = w.users["member_a1"], w.orgs["a1"]
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            organisation=org, full_name="Thành viên member_a1", user=user
        )
    m = Membership.objects.filter(organisation=org, person=person, left_on__isnull=True).first()
    return m or Membership.objects.create(
        organisation=org, person=person, kind="official", joined_on=dt.date(2020, 1, 1)
    )


def _disclosure(w, key="a1", *, posted=True):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from htxso.governance.models import Disclosure

    org = w.orgs[key]
    tag = {"a1": "HopGiangMau", "b1": "EaTuMau"}[key]
    title = f"Công khai {tag} {'đã đăng' if posted else 'chưa đăng'}"
    found = Disclosure.objects.filter(organisation=org, title=title).first()
    if found:
        return found
    today = timezone.localdate()
    manager = w.users["manager_a1" if key == "a1" else "manager_b1"]
    d = Disclosure(
        organisation=org,
        kind="financial",
        title=title,
        event_on=today,
        due_on=today + dt.timedelta(days=7),
        posted_on=today if posted else None,
        keep_until=today + dt.timedelta(days=30) if posted else None,
        created_by=manager,
    )
    if posted:
        d.file.save("mau.pdf", ContentFile(FILE), save=False)
    d.save()
    return d


def _request(w):
    from htxso.governance.models import DisclosureRequest

    m = _member(w)
    found = DisclosureRequest.objects.filter(membership=m).first()
    return found or DisclosureRequest.objects.create(
        organisation=w.orgs["a1"], membership=m, disclosure=_disclosure(w), message="Xin bản sao"
    )


def _question(w):
    from htxso.governance.models import Question

    m = _member(w)
    found = Question.objects.filter(membership=m).first()
    return found or Question.objects.create(
        organisation=w.orgs["a1"], membership=m, text="Bao giờ chia lãi?"
    )


def _distribution(w):
    from htxso.governance.models import ProfitDistribution, ProfitShare

    org = w.orgs["a1"]
    found = ProfitDistribution.objects.filter(organisation=org, year=2025).first()
    if found:
        return found
    d = ProfitDistribution.objects.create(
        organisation=org,
        year=2025,
        profit_after_tax=10_000_000,
        by_services_pct=100,
        created_by=w.users["manager_a1"],
    )
    ProfitShare.objects.create(distribution=d, membership=_member(w), by_capital=10_000_000)
    return d


def WORLD(w):
    _disclosure(w)
    _disclosure(w, posted=False)
    _disclosure(w, "b1")
    _request(w)
    _question(w)
    _distribution(w)


def _a1(w):
    return ({"pk": w.orgs["a1"].pk}, None)


SAMPLES = {
    "governance:disclosure_list": _a1,
    "governance:disclosure_new": _a1,
    "governance:capital_holders_publish": _a1,
    "governance:disclosure_request_new": _a1,
    "governance:disclosure_detail": lambda w: ({"pk": _disclosure(w).pk}, None),
    "governance:disclosure_file": lambda w: ({"pk": _disclosure(w).pk}, None),
    "governance:disclosure_post": lambda w: ({"pk": _disclosure(w, posted=False).pk}, None),
    "governance:disclosure_take_down": lambda w: ({"pk": _disclosure(w).pk}, None),
    "governance:disclosure_request_answer": lambda w: ({"pk": _request(w).pk}, None),
    "governance:questions": _a1,
    "governance:question_new": _a1,
    "governance:question_answer": lambda w: ({"pk": _question(w).pk}, None),
    "governance:distributions": _a1,
    "governance:service_use": _a1,
    "governance:service_use_import": _a1,
    "governance:service_use_import_confirm": _a1,
    "governance:service_use_import_template": _a1,
    "governance:distribution": lambda w: ({"pk": _distribution(w).pk}, None),
    "governance:distribution_approve": lambda w: ({"pk": _distribution(w).pk}, None),
}

API_SAMPLES = {
    "/api/v1/governance/portal/organisations/{org_id}/questions": lambda w: {
        "org_id": w.orgs["a1"].pk
    },
    "/api/v1/governance/portal/organisations/{org_id}/disclosures": lambda w: {
        "org_id": w.orgs["a1"].pk
    },
    "/api/v1/governance/disclosures/organisations/{org_id}/due": lambda w: {
        "org_id": w.orgs["a1"].pk
    },
    "/api/v1/governance/disclosures/provinces/{code}/on-time": lambda w: {"code": "04"},
}
