"""The registry demo as a deterministic plan (plain Python, no database writes).

:func:`plan_province` describes every organisation of one demo province with its
people, memberships, workers, annual reports, OCOP products, value-chain links and union
members.  :mod:`htxso.registry.demo` writes whatever part of the plan is missing, so a
second run changes nothing.  The same seed always gives the same plan.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from . import demo_data as data
from .models.people import age_on

YEARS = (2023, 2024, 2025)
LATEST_YEAR = YEARS[-1]
#: Regular cooperatives (besides the special first one), groups and unions per province.
COOPERATIVES, GROUPS, UNIONS = 47, 15, 3
#: Average revenue per cooperative in the latest year (VND); Nghệ An is source 002's.
REVENUE_MEAN = {"01": 2.0e9, "04": 1.1e9, "19": 1.8e9, "40": 2.6e9, "66": 3.2e9}
#: Average monthly income per worker (VND) and its spread.
INCOME = {"01": (6.5e6, 0.2), "04": (4.2e6, 0.2), "19": (5.4e6, 0.2), "40": (5.7e6, 0.1)}
INCOME_DEFAULT = (5.8e6, 0.2)
#: Share of cooperatives operating effectively (source 002: 888 of 935 in Nghệ An).
EFFECTIVE = {"40": 888 / 935}
EFFECTIVE_DEFAULT = 0.85
REFERENCE_DAY = dt.date(LATEST_YEAR, 12, 31)
POSITIONS = ["Giám đốc", "Phó giám đốc", "Kế toán", "Trưởng ban kiểm soát", "Thủ quỹ"]
WORK_POSITIONS = ["Kỹ thuật viên", "Công nhân", "Nhân viên bán hàng", "Lao động thời vụ"]
RETURN_COMMENT = "Đề nghị bổ sung số lao động dưới 35 tuổi và doanh thu từ dịch vụ cho thành viên."


@dataclass
class PersonPlan:
    full_name: str
    sex: str
    birth_date: dt.date
    ethnicity: str
    citizen_id: str
    phone: str


@dataclass
class ReportPlan:
    year: int
    status: str
    figures: dict
    submitted_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None


@dataclass
class OrgPlan:
    serial: int
    kind: str
    name: str
    sector: str
    main_products: str
    ward_code: str
    tax_code: str | None
    established_on: dt.date
    status: str = "active"
    high_tech: bool = False
    address: str = ""
    legacy_address: str = ""
    phone: str = ""
    email: str = ""
    people: list[PersonPlan] = field(default_factory=list)
    #: (person index, kind, joined_on, left_on, capital)
    memberships: list[tuple] = field(default_factory=list)
    #: (person index, position, is_manager, started_on, monthly_income)
    workers: list[tuple] = field(default_factory=list)
    reports: list[ReportPlan] = field(default_factory=list)
    #: (name, stars, level, decision, certified_on, expires_on)
    ocop: list[tuple] = field(default_factory=list)
    #: (product, partner, partner tax code, role, started_on)
    links: list[tuple] = field(default_factory=list)
    #: serials of member cooperatives (unions only)
    union_members: list[int] = field(default_factory=list)
    quality: float = 0.7

    @property
    def charter_capital(self) -> int | None:
        if self.kind == "group":
            return None
        return sum(m[4] for m in self.memberships if m[3] is None) or None


def demo_tax_code(province_code: str, serial: int) -> str:
    """A valid, deterministic tax code for demo organisation ``serial`` (unchanged from
    the first demo, so existing demo databases keep their organisations)."""
    return data.valid_tax_code(int(province_code) * 10_000_000 + 3_000_000 + serial * 7)[0]


def _place(ward_name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if ward_name.startswith(prefix):
            return ward_name[len(prefix) :]
    return ward_name


def plan_province(
    code: str, province_name: str, wards: list[tuple[str, str]], legacy: dict, today: dt.date
) -> list[OrgPlan]:
    """Every demo organisation of province ``code``; ``wards`` are (code, name) pairs,
    ``legacy`` maps a ward code to an old address ("Xã …, Huyện …, Tỉnh …")."""
    rng = random.Random(f"htxso-registry-demo-{code}")
    templates = data.COOPERATIVE_TEMPLATES.get(code, []) * 3 + data.COOPERATIVE_TEMPLATES["common"]
    names: set[str] = set()
    specs: list[tuple[str, tuple[str, str, str]]] = [("cooperative", data.SPECIAL[code])]
    specs += [("cooperative", rng.choice(templates)) for _ in range(COOPERATIVES)]
    specs += [("group", rng.choice(data.GROUP_TEMPLATES)) for _ in range(GROUPS)]
    specs += [("union", data.UNION_TEMPLATES[i % 3]) for i in range(UNIONS)]
    orgs = []
    for serial, (kind, (prefix, sector, products)) in enumerate(specs, start=1):
        ward_code, ward_name = rng.choice(wards)
        name = prefix
        if serial > 1:
            name = f"{prefix} {_place(ward_name)}"
            while name in names:
                ward_code, ward_name = rng.choice(wards)
                name = f"{prefix} {_place(ward_name)}"
        names.add(name)
        has_tax = kind != "group" or serial % 2 == 0
        org = OrgPlan(
            serial=serial,
            kind=kind,
            name=name,
            sector=sector,
            main_products=products,
            ward_code=ward_code,
            tax_code=demo_tax_code(code, serial) if has_tax else None,
            established_on=dt.date(rng.randint(1997, 2021), rng.randint(1, 12), rng.randint(1, 28)),
            high_tech=rng.random() < 0.12,
            address=f"Thôn {rng.randint(1, 12)}, {ward_name}, {province_name}",
            legacy_address=legacy.get(ward_code, "") if rng.random() < 0.6 else "",
            phone=data.mobile_phone(rng),
            quality=rng.uniform(0.45, 0.97),
        )
        if kind == "group":
            org.established_on = dt.date(rng.randint(2012, 2021), rng.randint(1, 12), 1)
        if kind != "group" and rng.random() < 0.5:
            org.email = f"htx{code}{serial:03d}@demo.htxso.vn"
        orgs.append(org)
    regular = [o for o in orgs if o.kind == "cooperative" and o.serial > 1]
    # Bad on purpose (legal-check warnings): 4 official members; one member above 30 %;
    # associates' capital above 30 %; a suspended and a dissolving cooperative.
    flags = {regular[0].serial: "few_members", regular[1].serial: "big_member"}
    flags[regular[2].serial] = "big_associates"
    if code != "40":  # Nghệ An keeps source 002's shape over every cooperative
        regular[3].status, regular[4].status = "suspended", "dissolving"
    for org in orgs:
        _plan_people(code, org, flags.get(org.serial, ""), today)
    _plan_products_and_links(code, orgs, rng, today)
    _plan_reports(code, orgs, rng)
    unions = [o for o in orgs if o.kind == "union"]
    for i, union in enumerate(unions):
        union.union_members = [o.serial for o in regular[5 + i * 6 : 5 + i * 6 + 3 + i]]
    return orgs


def _plan_people(code: str, org: OrgPlan, flag: str, today: dt.date) -> None:
    rng = random.Random(f"htxso-registry-demo-{code}-{org.serial}-people")
    mix = data.ETHNIC_MIX.get(code, data.ETHNIC_MIX["other"])
    birth_codes = data.CCCD_BIRTH_CODES.get(code, ["001"])
    base, spread = INCOME.get(code, INCOME_DEFAULT)

    def person(youth: bool) -> int:
        sex = "female" if rng.random() < 0.48 else "male"
        ethnicity = data.pick_weighted(rng, mix)
        born = data.random_birth_date(rng, youth=youth, on=REFERENCE_DAY)
        if youth:  # stay under 35 until the end of next year, whatever the date today
            born = max(born, dt.date(REFERENCE_DAY.year - 33, 1, 1))
        serial = org.serial * 1000 + len(org.people)
        org.people.append(
            PersonPlan(
                full_name=data.person_name(rng, ethnicity, sex),
                sex=sex,
                birth_date=born,
                ethnicity=ethnicity,
                citizen_id=data.citizen_id(rng.choice(birth_codes), sex, born, serial),
                phone=data.mobile_phone(rng) if rng.random() < 0.7 else "",
            )
        )
        return len(org.people) - 1

    def joined() -> dt.date:
        start = max(org.established_on, dt.date(2015, 1, 1)) if rng.random() < 0.5 else None
        start = start or org.established_on
        days = (dt.date(LATEST_YEAR, 6, 30) - start).days
        return start + dt.timedelta(days=rng.randint(0, max(days, 0)))

    if org.kind == "union":
        n_workers, n_official, n_capital, n_service = rng.randint(3, 6), 0, 0, 0
    elif org.kind == "group":
        n_workers, n_official, n_capital, n_service = rng.randint(2, 5), rng.randint(3, 12), 0, 0
    else:
        n_workers = 14 if org.serial == 1 else rng.randint(4, 18)
        n_official = 25 if org.serial == 1 else rng.randint(7, 32)
        n_capital, n_service = rng.randint(0, 4), rng.randint(0, 6)
    if flag == "few_members":
        n_official = 4
    if flag == "big_associates":
        n_capital = max(n_capital, 3)
    youth_share = rng.choice((0.1, 0.2, 0.3, 0.35, 0.45, 0.5, 0.6, 0.75))
    youth_flags = [i < round(n_workers * youth_share) for i in range(n_workers)]
    rng.shuffle(youth_flags)
    worker_people = [person(y) for y in youth_flags]
    member_people = worker_people[: min(n_workers, n_official) // 2]
    while len(member_people) < n_official:
        member_people.append(person(rng.random() < 0.2))
    unit = 1_000_000
    for idx in member_people:
        capital = rng.randint(15, 30) * unit if org.kind == "cooperative" else 0
        if flag == "few_members":
            capital = 20 * unit
        org.memberships.append([idx, "official", joined(), None, capital])
    if flag == "big_member":
        others = sum(m[4] for m in org.memberships[1:])
        org.memberships[0][4] = math.ceil(others * 0.45 / 0.55 / unit) * unit
    official_capital = sum(m[4] for m in org.memberships)
    for _ in range(n_capital):
        limit = 0.6 if flag == "big_associates" else 0.25
        amount = max(unit, round(official_capital * limit / max(n_capital, 1) / unit) * unit)
        org.memberships.append(
            [person(rng.random() < 0.3), "capital_associate", joined(), None, amount]
        )
    for _ in range(n_service):
        org.memberships.append([person(rng.random() < 0.4), "service_associate", joined(), None, 0])
    if org.kind == "cooperative" and n_official > 6:  # a member who left
        left = person(False)
        start = joined()
        org.memberships.append([left, "official", start, start + dt.timedelta(days=400), 0])
        org.memberships[-1][3] = min(org.memberships[-1][3], today)
    for i, idx in enumerate(worker_people):
        manager = i < min(3, n_workers - 1)
        position = POSITIONS[i] if manager else rng.choice(WORK_POSITIONS)
        income = round(base * (1 + rng.uniform(-spread, spread)) * (1.25 if manager else 1), -4)
        started = max(org.established_on, joined())
        org.workers.append((idx, position, manager, started, int(income)))
    org.memberships = [tuple(m) for m in org.memberships]


def _counts_on(org: OrgPlan, day: dt.date) -> dict:
    active = [m for m in org.memberships if m[2] <= day and (m[3] is None or m[3] > day)]
    workers = [w for w in org.workers if w[3] <= day]
    youth = [w for w in workers if age_on(org.people[w[0]].birth_date, day) < 35]
    female = [w for w in workers if org.people[w[0]].sex == "female"]
    incomes = [w[4] for w in workers]
    return {
        "members_official": sum(1 for m in active if m[1] == "official"),
        "members_associate": sum(1 for m in active if m[1] != "official"),
        "workers_total": len(workers),
        "workers_youth": len(youth),
        "workers_female": len(female),
        "charter_capital": sum(m[4] for m in active) if org.kind != "group" else None,
        "average_income_month": round(sum(incomes) / len(incomes), -4) if incomes else None,
    }


def _plan_reports(code: str, orgs: list[OrgPlan], rng: random.Random) -> None:
    mean = REVENUE_MEAN.get(code, 2.0e9)
    trend = {2023: 0.86, 2024: 0.93, 2025: 1.0}
    candidates = [o for o in orgs if o.serial > 1 and o.status == "active" and o.kind != "union"]
    missing = {o.serial for o in rng.sample(candidates, 1 if code == "40" else 3)}
    special_status = {"04": "returned", "40": "submitted"}.get(code, "accepted")
    for org in orgs:
        size = rng.lognormvariate(0, 0.55)
        if org.kind == "group":
            size *= 0.12
        elif org.kind == "union":
            size *= 2.5
        for year in YEARS:
            if year == LATEST_YEAR and (org.serial in missing or org.status != "active"):
                continue
            if year < org.established_on.year:
                continue
            status = _status(rng, year) if org.serial > 1 else "accepted"
            if org.serial == 1 and year == LATEST_YEAR:
                status = special_status
            figures = _counts_on(org, dt.date(year, 12, 31))
            revenue = mean * trend[year] * size * rng.uniform(0.9, 1.1)
            figures.update(
                revenue=int(revenue),
                total_assets=int(revenue * rng.uniform(0.6, 1.5)),
                revenue_from_members=int(revenue * rng.uniform(0.3, 0.7)),
                taxes_paid=int(revenue * rng.uniform(0.005, 0.02)),
                uses_high_tech=org.high_tech,
                operating_effectively=True,
            )
            report = ReportPlan(year=year, status=status, figures=figures)
            if status != "draft":
                day = dt.date(year, 11, 1) + dt.timedelta(days=rng.randint(0, 40))
                report.submitted_at = dt.datetime(year, day.month, day.day, 9, 30, tzinfo=dt.UTC)
            if status in ("accepted", "returned"):
                report.reviewed_at = report.submitted_at + dt.timedelta(days=rng.randint(3, 25))
            org.reports.append(report)
    # Effectiveness and revenue of the cooperatives, calibrated per year and per
    # (accepted / not accepted) subset so every way of averaging gives the same shape.
    share = EFFECTIVE.get(code, EFFECTIVE_DEFAULT)
    coops = [o for o in orgs if o.kind == "cooperative"]
    for year in YEARS:
        reports = [(o, r) for o in coops for r in o.reports if r.year == year]
        for accepted in (True, False):
            subset = [(o, r) for o, r in reports if (r.status == "accepted") == accepted]
            if not subset:
                continue
            factor = mean * trend[year] * len(subset) / sum(r.figures["revenue"] for _, r in subset)
            for _, r in subset:
                r.figures["revenue"] = int(r.figures["revenue"] * factor)
            weak = sorted(subset, key=lambda pair: pair[0].quality)
            for o, r in weak[: round(len(subset) * (1 - share))]:
                r.figures["operating_effectively"] = False
                o.quality = min(o.quality, 0.5)
    for org in orgs:
        for r in org.reports:
            f = r.figures
            margin = rng.uniform(0.02, 0.12) if f["operating_effectively"] else -0.03
            f["profit"] = int(f["revenue"] * margin)
            f["in_value_chain"] = any(link[4].year <= r.year for link in org.links)


def _status(rng: random.Random, year: int) -> str:
    draw = rng.random()
    if year == 2023:
        return "accepted"
    if year == 2024:
        return "accepted" if draw < 0.92 else "returned" if draw < 0.96 else "submitted"
    if draw < 0.75:
        return "accepted"
    return "submitted" if draw < 0.87 else "returned" if draw < 0.93 else "draft"


def _plan_products_and_links(
    code: str, orgs: list[OrgPlan], rng: random.Random, today: dt.date
) -> None:
    products = data.OCOP_PRODUCTS.get(code, []) + data.OCOP_PRODUCTS["common"]
    partners = data.PARTNERS.get(code, []) + data.PARTNERS["common"]
    coops = [o for o in orgs if o.kind == "cooperative" and o.status == "active"]
    certified = rng.sample(coops[1:], 12)
    for i, org in enumerate([coops[0], *certified]):
        stars = 5 if i == 1 else 4 if i % 4 == 0 else 3
        if i in (2, 3):  # expiring within the warning period
            expires = today + dt.timedelta(days=20 + 25 * i)
        elif i in (4, 5):  # expired
            expires = today - dt.timedelta(days=30 + 100 * i)
        else:
            expires = today + dt.timedelta(days=rng.randint(150, 900))
        certified_on = expires.replace(year=expires.year - 3, day=min(expires.day, 28))
        level = "national" if stars == 5 else "province"
        decision = f"{rng.randint(100, 3999)}/QĐ-UBND"
        org.ocop.append(
            (products[i % len(products)], stars, level, decision, certified_on, expires)
        )
    serial = int(code) * 10_000_000 + 8_000_000
    for org in coops:
        coffee = "Cà phê" in org.name or "cà phê" in org.main_products.lower()
        if not coffee and rng.random() > 0.4:
            continue
        for _ in range(2 if coffee else 1):
            name, role = rng.choice(partners[:3] if coffee else partners)
            tax, serial = data.valid_tax_code(serial + 1)
            started = dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
            product = "Cà phê nhân" if coffee else org.main_products.split(",")[0]
            org.links.append((product, name, tax, "supplier" if coffee else role, started))
