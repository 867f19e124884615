"""Load the registry facts the rules read, for many organisations in a few queries.

One query per kind of data (organisations, annual reports, workers, classification,
value-chain links, OCOP), whatever the number of organisations: evaluating a national
call over 34,000 cooperatives costs at most six queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from htxso.registry.models import (
    ClassificationScore,
    OcopProduct,
    Organisation,
    ValueChainLink,
    Worker,
)
from htxso.registry.selectors_reports import counted_reports

from .engine import OrgFacts, ReportFacts

#: Which registry data each kind of criterion reads.
NEEDS = {
    "youth_share": {"reports", "workers"},
    "finance": {"reports"},
    "grade": {"grades"},
    "value_chain": {"links", "reports"},
    "ocop": {"ocop"},
}
CHUNK = 5000


def needs_for(kinds: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for kind in kinds:
        out |= NEEDS.get(kind, set())
    return out


def fact_querysets(organisations: QuerySet, needs: set[str], min_year: int = 1990) -> dict:
    """The value querysets :func:`load_facts` reads (also timed raw by the benchmark)."""
    ids = organisations.order_by().values("pk")
    out = {
        "organisations": organisations.order_by().values_list(
            "pk", "kind", "sector", "province_id", "status", "established_on"
        )
    }
    if "reports" in needs:
        # submitted or accepted reports only: a draft makes an organisation neither
        # eligible nor ineligible (issue 17); the statistics read the same rows
        out["reports"] = (
            counted_reports(min_year=min_year)
            .filter(organisation_id__in=ids)
            .order_by()
            .values_list(
                "organisation_id",
                "year",
                "workers_total",
                "workers_youth",
                "revenue",
                "profit",
                "in_value_chain",
            )
        )
    if "workers" in needs:
        out["workers"] = (
            Worker.objects.filter(organisation_id__in=ids)
            .order_by()
            .values_list("organisation_id", "person__birth_date", "started_on", "ended_on")
        )
    if "grades" in needs:
        out["grades"] = (
            ClassificationScore.objects.filter(
                organisation_id__in=ids, status__in=("reviewed", "published")
            )
            .exclude(grade="")
            .order_by()
            .values_list("organisation_id", "year", "grade")
        )
    if "links" in needs:
        out["links"] = (
            ValueChainLink.objects.filter(organisation_id__in=ids)
            .order_by()
            .values_list("organisation_id", "started_on", "ended_on")
        )
    if "ocop" in needs:
        out["ocop"] = (
            OcopProduct.objects.filter(organisation_id__in=ids)
            .order_by()
            .values_list("organisation_id", "stars", "certified_on", "expires_on")
        )
    return out


def load_facts(
    organisations: QuerySet, *, needs: set[str], min_year: int = 1990
) -> dict[int, OrgFacts]:
    """Facts of every organisation of ``organisations`` (an unsliced queryset)."""
    querysets = fact_querysets(organisations, needs, min_year)
    facts: dict[int, OrgFacts] = {}
    for pk, kind, sector, province_id, status, established in querysets["organisations"].iterator(
        chunk_size=CHUNK
    ):
        facts[pk] = OrgFacts(pk, kind, sector or "", province_id, status, established)
    get = facts.get
    if "reports" in querysets:
        for org, year, total, youth, revenue, profit, chain in querysets["reports"].iterator(
            chunk_size=CHUNK
        ):
            target = get(org)
            if target is not None:
                target.reports[year] = ReportFacts(total, youth, revenue, profit, chain)
    for name in ("workers", "grades", "links", "ocop"):
        if name not in querysets:
            continue
        for row in querysets[name].iterator(chunk_size=CHUNK):
            target = get(row[0])
            if target is not None:
                getattr(target, name).append(row[1:])
    return facts


def facts_for(organisation: Organisation, kinds: Iterable[str]) -> OrgFacts:
    qs = Organisation.objects.filter(pk=organisation.pk)
    return load_facts(qs, needs=needs_for(kinds))[organisation.pk]
