"""National-scale registry data: 34,000 cooperatives, 70,000 groups, 150 unions, 1 M members.

Generates (once per database: a second run finds the marker and reuses the data)
cooperatives, groups and unions spread over the 34 provinces and their wards, people
and memberships, union memberships, annual reports for the latest year, OCOP products
and value-chain links, with raw ``executemany`` inserts (``COPY`` on PostgreSQL;
explicit ids, the sequences are reset afterwards), and reports the time per table.
It also writes an officer's import file (xlsx and csv: Vietnamese headers, "1.234.567" amounts,
dd/mm/yyyy dates, pre-2025 addresses) used by ``registry_import``.

Scale: ``BENCH_REGISTRY_SCALE=quick|default|national|full`` (``--quick`` → quick);
``national`` is the issue's full sizes, ``full`` adds 6.1 M members.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import time
from typing import Any

from .harness import Context, Result, format_table
from .registry_support import Adapt, insert_rows, next_id, reset_sequences

NAME = "registry_generate"
MARK = "Dữ liệu sinh tự động (bench)"
LATEST_YEAR = 2025
SCALES: dict[str, dict[str, int]] = {
    "quick": {"cooperatives": 1_700, "groups": 3_500, "unions": 30, "members": 50_000},
    "default": {"cooperatives": 34_000, "groups": 70_000, "unions": 150, "members": 1_000_000},
    "national": {"cooperatives": 34_000, "groups": 70_000, "unions": 150, "members": 1_000_000},
    "full": {"cooperatives": 34_000, "groups": 70_000, "unions": 150, "members": 6_100_000},
}
_STATE: dict[str, Any] = {}


def scale_name(ctx: Context) -> str:
    name = os.environ.get("BENCH_REGISTRY_SCALE", "").strip().lower()
    if ctx.quick and not name:
        return "quick"
    if name and name not in SCALES:
        raise SystemExit(f"BENCH_REGISTRY_SCALE must be one of {', '.join(SCALES)}")
    return name or "default"


def ensure_generated(ctx: Context) -> dict[str, Any]:
    """Generate the national data set once per run (and per database); return its facts."""
    if "facts" in _STATE:
        return _STATE["facts"]
    from htxso.registry.models import Organisation

    scale = scale_name(ctx)
    sizes = SCALES[scale]
    started = time.perf_counter()
    timings: list[list[Any]] = []
    if Organisation.objects.filter(description=MARK).exists():
        ctx.print("registry: generated data found in the database, reused")
        reused = True
    else:
        reused = False
        _generate(ctx, sizes, timings)
    facts = {
        "scale": scale,
        "sizes": sizes,
        "reused": reused,
        "seconds": round(time.perf_counter() - started, 1),
        "tables": [{"table": t, "rows": n, "seconds": round(s, 2)} for t, n, s in timings],
        "counts": _counts(),
    }
    _STATE["facts"] = facts
    return facts


def _counts() -> dict[str, int]:
    from htxso.registry.models import AnnualReport, Membership, Organisation, Person

    qs = Organisation.objects.filter(description=MARK)
    return {
        "cooperatives": qs.filter(kind="cooperative").count(),
        "groups": qs.filter(kind="group").count(),
        "unions": qs.filter(kind="union").count(),
        "people": Person.objects.filter(organisation__description=MARK).count(),
        "memberships": Membership.objects.filter(organisation__description=MARK).count(),
        "annual_reports": AnnualReport.objects.filter(organisation__description=MARK).count(),
    }


# --- generating ----------------------------------------------------------------------


def _generate(ctx: Context, sizes: dict[str, int], timings: list) -> None:
    from django.db import transaction

    from htxso.registry.models import (
        AnnualReport,
        Membership,
        OcopProduct,
        Organisation,
        Person,
        UnionMembership,
        ValueChainLink,
    )

    rng = random.Random(20_250_701)
    adapt = Adapt()
    with transaction.atomic():
        t = time.perf_counter()
        orgs = _organisations(rng, adapt, sizes)
        timings.append(["organisations", len(orgs), time.perf_counter() - t])
        t = time.perf_counter()
        people = _members(rng, adapt, orgs, sizes["members"])
        timings.append(["people + memberships", people, time.perf_counter() - t])
        t = time.perf_counter()
        n = _reports(rng, adapt, orgs)
        timings.append(["annual reports", n, time.perf_counter() - t])
        t = time.perf_counter()
        n = _extras(rng, adapt, orgs)
        timings.append(["unions, OCOP, value chains", n, time.perf_counter() - t])
        reset_sequences(
            [
                Organisation,
                Person,
                Membership,
                AnnualReport,
                UnionMembership,
                OcopProduct,
                ValueChainLink,
            ]
        )
    ctx.print(
        format_table(
            ["table", "rows", "seconds", "rows/s"],
            [[a, b, round(c, 2), int(b / c) if c else 0] for a, b, c in timings],
        )
    )


def _organisations(rng: random.Random, adapt: Adapt, sizes: dict[str, int]) -> list[tuple]:
    """Insert the organisations; return (id, kind, province, status, established)."""
    from htxso.core.text import fold
    from htxso.geo.models import Province, Ward
    from htxso.registry import demo_data as data
    from htxso.registry.models import Organisation

    wards: dict[str, list[tuple[str, str]]] = {}
    for code, province, name in Ward.objects.values_list("code", "province_id", "name"):
        wards.setdefault(province, []).append((code, name))
    provinces = dict(Province.objects.values_list("code", "name"))
    codes = sorted(wards)
    cum_weights = list(itertools.accumulate(len(wards[c]) for c in codes))
    folded: dict[str, str] = {}
    common = data.COOPERATIVE_TEMPLATES["common"]
    first_id = next_id(Organisation)
    counters = {c: int(c) * 10_000_000 + 5_000_000 for c in codes}
    out, rows = [], []
    kinds = (
        ["cooperative"] * sizes["cooperatives"]
        + ["group"] * sizes["groups"]
        + ["union"] * sizes["unions"]
    )
    rng.shuffle(kinds)
    for i, kind in enumerate(kinds):
        code = rng.choices(codes, cum_weights=cum_weights)[0]
        ward_code, ward_name = rng.choice(wards[code])
        place = ward_name.split(" ", 1)[-1]
        if kind == "cooperative":
            prefix, sector, products = rng.choice(
                data.COOPERATIVE_TEMPLATES.get(code, common) + common
            )
        elif kind == "group":
            prefix, sector, products = rng.choice(data.GROUP_TEMPLATES)
        else:
            prefix, sector, products = rng.choice(data.UNION_TEMPLATES)
        suffix = f" {rng.randint(2, 9)}" if rng.random() < 0.2 else ""
        name = f"{prefix} {place}{suffix}"
        tax = None
        if kind != "group" or rng.random() < 0.5:
            tax, counters[code] = data.valid_tax_code(counters[code] + 1)
        status = "active" if rng.random() < 0.94 else rng.choice(("suspended", "dissolving"))
        established = dt.date(rng.randint(1997, 2024), rng.randint(1, 12), rng.randint(1, 28))
        capital = rng.randint(50, 5_000) * 1_000_000 if kind != "group" else None
        oid = first_id + i
        # fold() works word by word: folding the parts once each gives fold(name).
        for part in (prefix, place):
            if part not in folded:
                folded[part] = fold(part)
        search = f"{folded[prefix]} {folded[place]}{suffix}" + (f" {tax}" if tax else "")
        rows.append(
            (
                oid, kind, name, tax, code, ward_code, f"{ward_name}, {provinces[code]}", "",
                status, adapt.date(established), sector, products, MARK, "", "", "", capital,
                rng.random() < 0.05, search, adapt.now, adapt.now,
            )
        )  # fmt: skip
        out.append((oid, kind, code, status, established))
    insert_rows(
        Organisation,
        [
            "id",
            "kind",
            "name",
            "tax_code",
            "province",
            "ward",
            "address",
            "legacy_address",
            "status",
            "established_on",
            "sector",
            "main_products",
            "description",
            "phone",
            "email",
            "website",
            "charter_capital",
            "high_tech",
            "search_text",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    return out


def _member_counts(rng: random.Random, orgs: list[tuple], total: int) -> list[int]:
    coops = sum(1 for o in orgs if o[1] == "cooperative")
    groups = sum(1 for o in orgs if o[1] == "group")
    avg = {"cooperative": 0.68 * total / max(coops, 1), "group": 0.32 * total / max(groups, 1)}
    minimum = {"cooperative": 5, "group": 2, "union": 0}
    counts = [
        0 if o[1] == "union" else max(minimum[o[1]], int(avg[o[1]] * rng.uniform(0.4, 1.6)))
        for o in orgs
    ]
    diff, i = total - sum(counts), 0
    while diff:
        o = orgs[i % len(orgs)]
        step = 1 if diff > 0 else -1
        if o[1] != "union" and counts[i % len(orgs)] + step >= minimum[o[1]]:
            counts[i % len(orgs)] += step
            diff -= step
        i += 1
    return counts


def _members(rng: random.Random, adapt: Adapt, orgs: list[tuple], total: int) -> int:
    from htxso.core.codes import CCCD_PROVINCE_CODES
    from htxso.core.text import fold
    from htxso.registry import demo_data as data
    from htxso.registry.models import Membership, Person

    birth_codes = sorted(CCCD_PROVINCE_CODES)
    counts = _member_counts(rng, orgs, total)
    person_id = next_id(Person)
    folded: dict[str, str] = {}
    person_cols = ["id", "organisation", "full_name", "sex", "birth_date", "ethnicity"]
    person_cols += ["citizen_id", "phone", "search_text", "created_at", "updated_at"]
    member_cols = ["organisation", "person", "kind", "joined_on", "capital"]
    member_cols += ["capital_certificate_no", "created_at", "updated_at"]
    people, members, n = [], [], 0
    days = [
        (adapt.date(d), d.year, f"{d.year % 100:02d}")
        for d in (dt.date(1958, 1, 1) + dt.timedelta(days=k) for k in range(0, 17_000, 7))
    ]
    mixes = {
        code: ([e for e, _ in mix], list(itertools.accumulate(w for _, w in mix)))
        for code, mix in data.ETHNIC_MIX.items()
    }
    for (oid, kind, code, _status, established), count in zip(orgs, counts, strict=True):
        values, cum = mixes.get(code, mixes["other"])
        for j in range(count):
            female = rng.random() < 0.48
            sex = "female" if female else "male"
            ethnicity = rng.choices(values, cum_weights=cum)[0]
            name = data.person_name(rng, ethnicity, sex)
            search = folded.get(name)
            if search is None:
                search = folded[name] = fold(name)
            born, year, yy = rng.choice(days)
            century = (year // 100 - 19) * 2 + female
            cid = f"{birth_codes[n % 63]}{century}{yy}{100_000 + n // 63:06d}"
            people.append(
                (
                    person_id,
                    oid,
                    name,
                    sex,
                    born,
                    ethnicity,
                    cid,
                    "",
                    search,
                    adapt.now,
                    adapt.now,
                )
            )
            member_kind = (
                "official"
                if kind == "group" or j < max(5, count * 0.8)
                else ("capital_associate" if j % 2 else "service_associate")
            )
            capital = 0 if kind == "group" or member_kind == "service_associate" else 10_000_000
            joined = max(established, dt.date(2015, 1, 1) + dt.timedelta(days=n % 3_600))
            members.append(
                (oid, person_id, member_kind, adapt.date(joined), capital, "", adapt.now, adapt.now)
            )
            person_id += 1
            n += 1
        if len(people) >= 50_000:
            insert_rows(Person, person_cols, people)
            insert_rows(Membership, member_cols, members)
            people, members = [], []
    insert_rows(Person, person_cols, people)
    insert_rows(Membership, member_cols, members)
    return n


def _reports(rng: random.Random, adapt: Adapt, orgs: list[tuple]) -> int:
    from htxso.registry.models import AnnualReport

    cols = ["organisation", "year", "status", "members_official", "members_associate"]
    cols += ["workers_total", "workers_youth", "workers_female", "revenue", "profit"]
    cols += ["average_income_month", "operating_effectively", "uses_high_tech"]
    cols += ["in_value_chain", "notes", "review_comment", "submitted_at", "reviewed_at"]
    cols += ["created_at", "updated_at"]
    rows = []
    for oid, kind, _code, status, established in orgs:
        if status != "active" or established.year > LATEST_YEAR or rng.random() < 0.04:
            continue
        draw = rng.random()
        state = "accepted" if draw < 0.8 else "submitted" if draw < 0.92 else "draft"
        workers = rng.randint(2, 40) if kind != "group" else rng.randint(1, 8)
        revenue = (
            int(2.4e9 * rng.lognormvariate(0, 0.6))
            if kind != "group"
            else rng.randint(1, 8) * 10**8
        )
        effective = rng.random() < 0.9
        submitted = None if state == "draft" else adapt.now
        rows.append(
            (
                oid, LATEST_YEAR, state, rng.randint(5, 60), rng.randint(0, 10), workers,
                rng.randint(0, workers), rng.randint(0, workers), revenue,
                int(revenue * (rng.uniform(0.01, 0.1) if effective else -0.02)),
                rng.randint(40, 80) * 100_000, effective, rng.random() < 0.05,
                rng.random() < 0.3, "", "", submitted, adapt.now if state == "accepted" else None,
                adapt.now, adapt.now,
            )
        )  # fmt: skip
    insert_rows(AnnualReport, cols, rows)
    return len(rows)


def _extras(rng: random.Random, adapt: Adapt, orgs: list[tuple]) -> int:
    from htxso.registry import demo_data as data
    from htxso.registry.models import OcopProduct, UnionMembership, ValueChainLink

    coops: dict[str, list[int]] = {}
    for oid, kind, code, _s, _e in orgs:
        if kind == "cooperative":
            coops.setdefault(code, []).append(oid)
    unions, ocop, links = [], [], []
    joined = adapt.date(dt.date(2022, 1, 1))
    for oid, kind, code, _s, _e in orgs:
        if kind == "union":
            pool = coops.get(code, [])
            for member in rng.sample(pool, min(len(pool), rng.randint(3, 10))):
                unions.append((oid, member, joined))
        elif kind == "cooperative":
            if rng.random() < 0.06:
                certified = dt.date(rng.randint(2022, 2025), rng.randint(1, 12), 1)
                expires = certified.replace(year=certified.year + 3)
                products = data.OCOP_PRODUCTS.get(code, data.OCOP_PRODUCTS["common"])
                ocop.append(
                    (
                        oid,
                        rng.choice(products),
                        rng.choice((3, 3, 3, 4, 4, 5)),
                        "province",
                        "",
                        adapt.date(certified),
                        adapt.date(expires),
                        adapt.now,
                    )
                )
            if rng.random() < 0.3:
                name, role = rng.choice(data.PARTNERS["common"])
                started = adapt.date(dt.date(rng.randint(2018, 2025), 1, 1))
                links.append((oid, "Nông sản", name, "", role, started, "", adapt.now))
    insert_rows(UnionMembership, ["union", "member", "joined_on"], unions)
    insert_rows(
        OcopProduct,
        [
            "organisation",
            "name",
            "stars",
            "level",
            "decision_number",
            "certified_on",
            "expires_on",
            "created_at",
        ],
        ocop,
    )
    insert_rows(
        ValueChainLink,
        [
            "organisation",
            "product",
            "partner_name",
            "partner_tax_code",
            "role",
            "started_on",
            "contract_reference",
            "created_at",
        ],
        links,
    )
    return len(unions) + len(ocop) + len(links)


def run(ctx: Context) -> Result:
    facts = ensure_generated(ctx)
    expected = facts["sizes"]
    counts = facts["counts"]
    ok = (
        counts["cooperatives"] == expected["cooperatives"]
        and counts["groups"] == expected["groups"]
        and counts["unions"] == expected["unions"]
        and counts["memberships"] == expected["members"]
    )
    ctx.print(
        f"registry data, scale {facts['scale']!r}: {counts} in {facts['seconds']} s"
        + (" (reused)" if facts["reused"] else "")
    )
    return Result(NAME, ok, facts)
