"""Registry demo data: ≥ 60 organisations in each demo province with their people,
members, workers, three years of annual reports, OCOP products, value-chain links,
unions, classification scores and the provinces' targets.

The content is a deterministic plan (:mod:`.demo_plan`); this module writes whatever
part of it is missing with ``bulk_create``, so a second run changes nothing and costs a
few queries per province.  The first cooperative of each province (lowest id) is the
demo manager's organisation (``accounts/demo.py``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management import call_command, get_commands
from django.db.models import Subquery
from django.db.models.expressions import OuterRef
from django.utils import timezone

from htxso.core.demodata import DEMO_PROVINCES, DemoContext
from htxso.core.text import fold
from htxso.geo.models import LegacyDistrict, LegacyWard, Province, Ward, WardMapping

from .demo_plan import RETURN_COMMENT, OrgPlan, demo_tax_code, plan_province
from .models import (
    AnnualReport,
    AnnualReportEvent,
    ClassificationScheme,
    ClassificationScore,
    Membership,
    OcopProduct,
    Organisation,
    Person,
    UnionMembership,
    ValueChainLink,
    Worker,
)

ORDER = 20
SCORE_YEAR = 2024

__all__ = ["ORDER", "demo_tax_code", "seed"]


def seed(ctx: DemoContext) -> None:
    today = timezone.localdate()
    created: dict[str, int] = {}
    organisations: dict[str, list[Organisation]] = {}
    scheme = ClassificationScheme.objects.filter(is_active=True).first()
    for code in DEMO_PROVINCES:
        plans = plan_province(code, *_units(code), today=today)
        orgs = _write_organisations(code, plans, created)
        _write_people(plans, orgs, created)
        _write_reports(plans, orgs, created)
        _write_products_links_unions(plans, orgs, created)
        if scheme is not None:
            _write_scores(scheme, plans, orgs, created)
        organisations[code] = [orgs[p.serial] for p in plans]
    if "load_targets" in get_commands():
        call_command("load_targets", **({"stdout": ctx.stdout} if ctx.stdout else {}))
    else:
        ctx.log("registry: no load_targets command yet, targets skipped")
    if scheme is None:
        ctx.log("registry: no active classification scheme, scores skipped")
    ctx.data["organisations"] = organisations
    # issue 19: one applied business-registration and one tax sync for Cao Bằng
    from .extracts import demo as extracts_demo

    extracts_demo.seed(ctx)
    summary = ", ".join(f"{n} {what}" for what, n in created.items() if n) or "nothing new"
    ctx.log(
        f"registry: {sum(len(v) for v in organisations.values())} demo organisations ({summary})"
    )


def _units(code: str) -> tuple[str, list[tuple[str, str]], dict[str, str]]:
    """The province's name, its wards, and for each ward one former address ("Xã …,
    Huyện …, Tỉnh …") of a former ward wholly merged into it.

    Each query reads one table (or a former district with its province), so no query
    plan can turn into nested loops over tens of thousands of rows whatever the state
    of the planner's statistics on a freshly reloaded test database."""
    province = Province.objects.get(pk=code)
    wards = list(Ward.objects.filter(province_id=code).order_by("code").values_list("code", "name"))
    pairs = list(
        WardMapping.objects.filter(ward_id__in=[c for c, _ in wards], is_partial=False)
        .order_by("ward_id", "legacy_ward_id")
        .values_list("ward_id", "legacy_ward_id")
    )
    old_wards = {
        c: (name, district)
        for c, name, district in LegacyWard.objects.filter(
            pk__in={old for _, old in pairs}
        ).values_list("code", "name", "district_id")
    }
    districts = {
        c: f"{name}, {province_name}"
        for c, name, province_name in LegacyDistrict.objects.filter(
            pk__in={d for _, d in old_wards.values()}
        ).values_list("code", "name", "province__name")
    }
    legacy: dict[str, str] = {}
    for ward_id, old in pairs:
        name, district = old_wards[old]
        legacy.setdefault(ward_id, f"{name}, {districts[district]}")
    return province.name, wards, legacy


def _count(created: dict[str, int], what: str, n: int) -> None:
    created[what] = created.get(what, 0) + n


def _write_organisations(code: str, plans: list[OrgPlan], created) -> dict[int, Organisation]:
    existing = list(Organisation.objects.filter(province_id=code))
    by_tax = {o.tax_code: o for o in existing if o.tax_code}
    by_name = {o.name: o for o in existing}
    new = []
    for p in plans:
        if (p.tax_code and p.tax_code in by_tax) or p.name in by_name:
            continue
        new.append(
            Organisation(
                kind=p.kind,
                name=p.name,
                tax_code=p.tax_code,
                province_id=code,
                ward_id=p.ward_code,
                address=p.address,
                legacy_address=p.legacy_address,
                status=p.status,
                established_on=p.established_on,
                sector=p.sector,
                main_products=p.main_products,
                phone=p.phone,
                email=p.email,
                charter_capital=p.charter_capital,
                high_tech=p.high_tech,
                search_text=fold(f"{p.name} {p.tax_code or ''}"),
            )
        )
    Organisation.objects.bulk_create(new)  # in plan order: the special one gets the lowest id
    _count(created, "organisations", len(new))
    for o in Organisation.objects.filter(province_id=code):
        by_tax.setdefault(o.tax_code, o)
        by_name.setdefault(o.name, o)
    return {
        p.serial: (by_tax.get(p.tax_code) if p.tax_code else None) or by_name[p.name] for p in plans
    }


def _write_people(plans: list[OrgPlan], orgs: dict[int, Organisation], created) -> None:
    ids = [orgs[p.serial].pk for p in plans]
    staffed = set(
        Person.objects.filter(organisation_id__in=ids).values_list("organisation_id", flat=True)
    )
    todo = [p for p in plans if orgs[p.serial].pk not in staffed and p.people]
    if not todo:
        return
    cids = [person.citizen_id for p in todo for person in p.people]
    known = set(Person.objects.filter(citizen_id__in=cids).values_list("citizen_id", flat=True))
    people = [
        Person(
            organisation=orgs[p.serial],
            full_name=x.full_name,
            sex=x.sex,
            birth_date=x.birth_date,
            ethnicity=x.ethnicity,
            citizen_id=x.citizen_id,
            phone=x.phone,
            search_text=fold(x.full_name),
        )
        for p in todo
        for x in p.people
        if x.citizen_id not in known
    ]
    Person.objects.bulk_create(people, batch_size=500)
    _count(created, "people", len(people))
    pk_of = dict(Person.objects.filter(citizen_id__in=cids).values_list("citizen_id", "pk"))
    memberships, workers = [], []
    for p in todo:
        org = orgs[p.serial]
        for idx, kind, joined, left, capital in p.memberships:
            memberships.append(
                Membership(
                    organisation=org,
                    person_id=pk_of[p.people[idx].citizen_id],
                    kind=kind,
                    joined_on=joined,
                    left_on=left,
                    capital=capital,
                    capital_certificate_no=f"{p.serial:03d}-{idx + 1:03d}/GCN" if capital else "",
                    capital_certificate_date=joined if capital else None,
                )
            )
        for idx, position, manager, started, income in p.workers:
            workers.append(
                Worker(
                    organisation=org,
                    person_id=pk_of[p.people[idx].citizen_id],
                    position=position,
                    is_manager=manager,
                    started_on=started,
                    monthly_income=income,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=500)
    Worker.objects.bulk_create(workers, batch_size=500)
    _count(created, "memberships", len(memberships))
    _count(created, "workers", len(workers))


def _write_reports(plans: list[OrgPlan], orgs: dict[int, Organisation], created) -> None:
    ids = [orgs[p.serial].pk for p in plans]
    have = set(
        AnnualReport.objects.filter(organisation_id__in=ids).values_list("organisation_id", "year")
    )
    new = []
    for p in plans:
        org = orgs[p.serial]
        for r in p.reports:
            if (org.pk, r.year) in have:
                continue
            new.append(
                AnnualReport(
                    organisation=org,
                    year=r.year,
                    status=r.status,
                    submitted_at=r.submitted_at,
                    reviewed_at=r.reviewed_at,
                    review_comment=RETURN_COMMENT if r.status == "returned" else "",
                    **r.figures,
                )
            )
    if not new:
        return
    AnnualReport.objects.bulk_create(new, batch_size=500)
    _count(created, "annual reports", len(new))
    keys = {(r.organisation_id, r.year) for r in new}
    events = []
    for report in AnnualReport.objects.filter(organisation_id__in=ids).only(
        "id", "organisation_id", "year", "status"
    ):
        if (report.organisation_id, report.year) not in keys or report.status == "draft":
            continue
        events.append(AnnualReportEvent(report=report, from_status="draft", to_status="submitted"))
        if report.status in ("accepted", "returned"):
            comment = RETURN_COMMENT if report.status == "returned" else ""
            events.append(
                AnnualReportEvent(
                    report=report, from_status="submitted", to_status=report.status, comment=comment
                )
            )
    AnnualReportEvent.objects.bulk_create(events, batch_size=500)
    # The history carries the dates of the plan, not the date of the seeding.
    new_events = AnnualReportEvent.objects.filter(pk__in=[e.pk for e in events if e.pk])
    report_date = AnnualReport.objects.filter(pk=OuterRef("report_id"))
    new_events.filter(to_status="submitted").update(
        created_at=Subquery(report_date.values("submitted_at")[:1])
    )
    new_events.exclude(to_status="submitted").update(
        created_at=Subquery(report_date.values("reviewed_at")[:1])
    )
    _count(created, "report events", len(events))


def _write_products_links_unions(
    plans: list[OrgPlan], orgs: dict[int, Organisation], created
) -> None:
    ids = [orgs[p.serial].pk for p in plans]
    with_ocop = set(
        OcopProduct.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", flat=True
        )
    )
    with_links = set(
        ValueChainLink.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", flat=True
        )
    )
    pairs = set(
        UnionMembership.objects.filter(union_id__in=ids).values_list("union_id", "member_id")
    )
    ocop, links, unions = [], [], []
    for p in plans:
        org = orgs[p.serial]
        if org.pk not in with_ocop:
            ocop += [
                OcopProduct(
                    organisation=org,
                    name=name,
                    stars=stars,
                    level=level,
                    decision_number=decision,
                    certified_on=certified,
                    expires_on=expires,
                )
                for name, stars, level, decision, certified, expires in p.ocop
            ]
        if org.pk not in with_links:
            links += [
                ValueChainLink(
                    organisation=org,
                    product=product,
                    partner_name=partner,
                    partner_tax_code=tax,
                    role=role,
                    started_on=started,
                    contract_reference=f"HĐ-{started.year}-{p.serial:03d}",
                )
                for product, partner, tax, role, started in p.links
            ]
        for serial in p.union_members:
            member = orgs[serial]
            if (org.pk, member.pk) not in pairs:
                joined = max(member.established_on, org.established_on) + dt.timedelta(days=90)
                unions.append(UnionMembership(union=org, member=member, joined_on=joined))
    OcopProduct.objects.bulk_create(ocop)
    ValueChainLink.objects.bulk_create(links)
    UnionMembership.objects.bulk_create(unions)
    _count(created, "OCOP products", len(ocop))
    _count(created, "value-chain links", len(links))
    _count(created, "union memberships", len(unions))


def _grade(total: int, thresholds: dict) -> str:
    for grade in ("good", "fair", "average"):
        if grade in thresholds and total >= int(thresholds[grade]):
            return grade
    return "weak"


def _write_scores(scheme, plans: list[OrgPlan], orgs: dict[int, Organisation], created) -> None:
    ids = [orgs[p.serial].pk for p in plans]
    have = set(
        ClassificationScore.objects.filter(organisation_id__in=ids, scheme=scheme).values_list(
            "organisation_id", "year"
        )
    )
    criteria = [(c["code"], int(c["max_points"])) for c in scheme.criteria]
    new = []
    for p in plans:
        org = orgs[p.serial]
        accepted = {r.year for r in p.reports if r.status == "accepted"}
        if p.kind != "cooperative" or SCORE_YEAR not in accepted or (org.pk, SCORE_YEAR) in have:
            continue
        rng = random.Random(f"htxso-registry-demo-score-{p.tax_code}")
        points = {
            code: max(0, min(top, round(top * (p.quality + rng.uniform(-0.12, 0.12)))))
            for code, top in criteria
        }
        total = min(100, sum(points.values()))
        published = dt.datetime(SCORE_YEAR + 1, 4, 14, 8, 0, tzinfo=dt.UTC)
        new.append(
            ClassificationScore(
                organisation=org,
                scheme=scheme,
                year=SCORE_YEAR,
                points=points,
                total=total,
                grade=_grade(total, scheme.thresholds),
                status="published",
                submitted_at=published - dt.timedelta(days=20),
                reviewed_at=published - dt.timedelta(days=5),
                published_at=published,
            )
        )
    ClassificationScore.objects.bulk_create(new)
    _count(created, "classification scores", len(new))
