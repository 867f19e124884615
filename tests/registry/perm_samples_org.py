"""Permission-test samples for the organisation pages (read by tests/permissions/samples.py)."""

from __future__ import annotations

import datetime as dt

from tests.conftest import ORG_A1_SEERS

#: Who may change organisation a1's record (VCA, Cao Bằng's officer, a1's manager).
ORG_A1_EDITORS = {"vca", "officer_a", "manager_a1"}


def _member(w):
    from htxso.registry.models import Membership, Person

    person = Person.objects.create(organisation=w.orgs["a1"], full_name="Nguyễn Văn Mẫu")
    return Membership.objects.create(
        organisation=w.orgs["a1"], person=person, kind="official", joined_on=dt.date(2020, 1, 1)
    )


def _worker(w):
    from htxso.registry.models import Person, Worker

    person = Person.objects.create(organisation=w.orgs["a1"], full_name="Trần Thị Mẫu")
    return Worker.objects.create(
        organisation=w.orgs["a1"], person=person, started_on=dt.date(2021, 1, 1)
    )


def _ocop(w):
    from htxso.registry.models import OcopProduct

    return OcopProduct.objects.create(
        organisation=w.orgs["a1"],
        name="Miến dong",
        stars=4,
        certified_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2027, 1, 1),
    )


def _link(w):
    from htxso.registry.models import ValueChainLink

    return ValueChainLink.objects.create(
        organisation=w.orgs["a1"],
        product="Miến dong",
        partner_name="Công ty Thực phẩm Mẫu",
        role="supplier",
        started_on=dt.date(2023, 1, 1),
    )


def _union_membership(w):
    from htxso.registry.models import Organisation, UnionMembership

    union = Organisation.objects.create(
        kind="union", name="Liên hiệp HTX Mẫu", tax_code="0101245486", province_id="04"
    )
    return UnionMembership.objects.create(union=union, member=w.orgs["a1"])


def _a1(w):
    return {"pk": w.orgs["a1"].pk}


SAMPLES = {
    "registry:organisation_edit": lambda w: (_a1(w), ORG_A1_EDITORS),
    "registry:member_list": lambda w: (_a1(w), ORG_A1_SEERS),
    "registry:worker_list": lambda w: (_a1(w), ORG_A1_SEERS),
    "registry:member_register": lambda w: (_a1(w), ORG_A1_EDITORS),
    "registry:worker_add": lambda w: (_a1(w), ORG_A1_EDITORS),
    "registry:ocop_add": lambda w: (_a1(w), ORG_A1_EDITORS),
    "registry:value_chain_add": lambda w: (_a1(w), ORG_A1_EDITORS),
    "registry:union_add": lambda w: (_a1(w), ORG_A1_EDITORS),
    "registry:member_leave": lambda w: (
        {**_a1(w), "member_pk": _member(w).pk},
        ORG_A1_EDITORS,
    ),
    "registry:worker_end": lambda w: ({**_a1(w), "worker_pk": _worker(w).pk}, ORG_A1_EDITORS),
    "registry:ocop_edit": lambda w: ({**_a1(w), "product_pk": _ocop(w).pk}, ORG_A1_EDITORS),
    "registry:value_chain_end": lambda w: ({**_a1(w), "link_pk": _link(w).pk}, ORG_A1_EDITORS),
    "registry:union_end": lambda w: (
        {**_a1(w), "membership_pk": _union_membership(w).pk},
        ORG_A1_EDITORS,
    ),
    "registry:public_profile": lambda w: ({"key": w.orgs["a1"].tax_code}, None),
}

POST_ONLY = {
    "registry:member_leave",
    "registry:worker_end",
    "registry:value_chain_end",
    "registry:union_end",
}

LIST_LEAKS = {
    # b1 has no members and no annual report, so it has warnings — for Đắk Lắk only.
    "registry:organisation_warnings": [("HTX Cà phê Ea Tu", {"vca", "officer_b", "viewer_b"})],
}

API_SAMPLES = {
    "/api/v1/registry/organisations/by-tax-code/{tax_code}": lambda w: {
        "tax_code": w.orgs["a1"].tax_code
    },
    "/api/v1/registry/directory/{key}": lambda w: {"key": w.orgs["a1"].tax_code},
}
