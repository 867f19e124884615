"""Permission-test samples for annual reports and classification (tests/permissions)."""

from __future__ import annotations

from tests.conftest import ORG_A1_SEERS, ORG_A1_STAFF_SEERS

YEAR = 2025
MANAGERS_A1 = {"vca", "manager_a1"}
REVIEWERS_A1 = {"vca", "officer_a"}


def report_a1(w):
    from htxso.registry.models import AnnualReport

    report, _created = AnnualReport.objects.get_or_create(
        organisation=w.orgs["a1"], year=YEAR, defaults={"members_official": 7, "workers_total": 5}
    )
    return report


def score_a1(w):
    from htxso.registry.models import ClassificationScheme, ClassificationScore

    score, _created = ClassificationScore.objects.get_or_create(
        organisation=w.orgs["a1"],
        scheme=ClassificationScheme.objects.get(code="tt01-2020"),
        year=YEAR,
    )
    return score


SAMPLES = {
    "registry:report_list_for_org": lambda w: ({"org_pk": w.orgs["a1"].pk}, ORG_A1_STAFF_SEERS),
    "registry:report_edit": lambda w: ({"org_pk": w.orgs["a1"].pk, "year": YEAR}, MANAGERS_A1),
    "registry:report_detail": lambda w: ({"pk": report_a1(w).pk}, ORG_A1_STAFF_SEERS),
    "registry:report_submit": lambda w: ({"pk": report_a1(w).pk}, MANAGERS_A1),
    "registry:report_review": lambda w: ({"pk": report_a1(w).pk}, REVIEWERS_A1),
    "registry:classification_list_for_org": lambda w: (
        {"org_pk": w.orgs["a1"].pk},
        ORG_A1_SEERS,
    ),
    "registry:classification_edit": lambda w: (
        {"org_pk": w.orgs["a1"].pk, "year": YEAR, "scheme": "tt01-2020"},
        MANAGERS_A1,
    ),
    # a draft score: members see published scores only
    "registry:classification_detail": lambda w: ({"pk": score_a1(w).pk}, ORG_A1_STAFF_SEERS),
    "registry:classification_submit": lambda w: ({"pk": score_a1(w).pk}, MANAGERS_A1),
    "registry:classification_review": lambda w: ({"pk": score_a1(w).pk}, REVIEWERS_A1),
    "registry:classification_publish": lambda w: ({"pk": score_a1(w).pk}, REVIEWERS_A1),
}

POST_ONLY = {
    "registry:report_submit",
    "registry:report_review",
    "registry:classification_submit",
    "registry:classification_review",
    "registry:classification_publish",
}

LIST_LEAKS = {
    # the "missing after the deadline" list names organisations of the province only
    "registry:report_queue": [("HTX Cà phê Ea Tu", {"vca", "officer_b", "viewer_b"})],
}

API_SAMPLES = {
    "/api/v1/registry/annual-reports/{report_id}": lambda w: {"report_id": report_a1(w).pk},
    "/api/v1/registry/organisations/by-tax-code/{tax_code}/annual-reports": lambda w: {
        "tax_code": w.orgs["a1"].tax_code
    },
}
