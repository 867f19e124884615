"""One reconcile step behind every source: records × the registry → differences.

The registry rows of the scope are loaded in ONE query keyed by code (plus one query,
in chunks, for codes that live in another province), so an extract of 100,000 rows costs
a fixed handful of queries.  Nothing is written here: :mod:`.services` stores the
outcome as a sync run and its items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_noop

from htxso.core.text import fold
from htxso.geo.models import Province, Ward

from ..models.extracts import ExtractSourceKind, ItemCategory
from ..models.organisations import Organisation, OrganisationStatus
from .adapters import REVOKED, Record
from .vsic import VsicTable

#: Below this similarity of the folded names (without "hợp tác xã", "HTX"…) the same
#: code is a conflict, not a change of name.
NAME_SIMILARITY = 0.6
_PREFIXES = tuple(
    f"{p} "
    for p in (
        "lien hiep hop tac xa",
        "lien hiep htx",
        "hop tac xa",
        "to hop tac",
        "htx",
        "tht",
        "lhhtx",
    )
)
_PLACE_PREFIXES = ("tinh ", "thanh pho ", "tp ", "xa ", "phuong ", "thi tran ", "dac khu ")
#: The registry columns each source compares (fewer columns: a faster full read).
REGISTRY_FIELDS = {
    ExtractSourceKind.BUSINESS: (
        "pk",
        "tax_code",
        "name",
        "status",
        "address",
        "representative",
        "charter_capital",
        "vsic_codes",
    ),
    ExtractSourceKind.TAX: ("pk", "tax_code", "name", "status", "tax_status"),
}
ROW_TYPES = {
    kind: namedtuple(f"{kind.title()}Row", fields)  # type: ignore[misc]
    for kind, fields in REGISTRY_FIELDS.items()
}
RegistryRow = Any
CHUNK = 900  # SQLite's variables per statement, with room


#: What is wrong with a code (``core.codes`` error codes), as shown on the review page.
CODE_PROBLEMS = {
    "tax_code_check_digit": gettext_noop("The check digit of the code is wrong."),
    "tax_code_empty": gettext_noop("The row has no code."),
    "tax_code_format": gettext_noop(
        "A tax code has 10 digits, or 10 digits, a dash and a 3-digit branch number."
    ),
    "": gettext_noop("The code is not a valid tax or cooperative code."),
}


def core_name(name: str) -> str:
    text = fold(name)
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def name_similarity(a: str, b: str) -> float:
    """0…1 on folded names without the organisation-type words."""
    if a == b:
        return 1.0
    x, y = core_name(a), core_name(b)
    if not x or not y:
        return 1.0 if x == y else 0.0
    if x == y or x in y or y in x:
        return 1.0
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


@lru_cache(maxsize=8192)
def place_key(name: str) -> str:
    text = fold(name)
    for prefix in _PLACE_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def problem(message: str, **params: object) -> dict:
    return {"message": message, "params": {k: str(v) for k, v in params.items()}}


@dataclass
class Outcome:
    total: int = 0
    unchanged: int = 0
    items: list[dict] = field(default_factory=list)
    unknown_vsic: list[str] = field(default_factory=list)
    content_sha256: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(i["category"] for i in self.items))


def registry_status(record_status: str) -> str:
    return OrganisationStatus.DISSOLVED if record_status == REVOKED else record_status


def content_hash(records: list[Record]) -> str:
    """The same organisations saying the same things give the same hash, whatever the
    file (order of rows, encoding, title rows, xlsx or csv)."""
    digest = hashlib.sha256()
    keys = sorted(
        f"{r.code}\x1f{r.code_error}\x1f{r.name}\x1f{r.kind}\x1f{r.status}\x1f{r.registered_on}"
        f"\x1f{r.changed_on}\x1f{r.address}\x1f{r.ward_name}\x1f{r.province_name}"
        f"\x1f{r.representative}\x1f{r.charter_capital}\x1f{','.join(r.vsic)}\x1f{r.tax_status}"
        for r in records
    )
    digest.update("\x1e".join(keys).encode())
    return digest.hexdigest()


class Reconciler:
    def __init__(self, kind: str, province: Province | None) -> None:
        self.kind, self.province = kind, province
        self.vsic = VsicTable() if kind == ExtractSourceKind.BUSINESS else None
        self.provinces = {place_key(p.name): p.code for p in Province.objects.all()}

    # --- registry side (bulk, diffed in the database) ------------------------------
    def _registry(
        self, records: list[Record], counts: Counter[str]
    ) -> tuple[dict[str, RegistryRow], set[str]]:
        """The registry rows of the scope that differ from their record or that the
        extract does not list, and the extract's codes the scope does not have.

        The extract is put in a temporary table and ONE join returns only the rows that
        may differ (a superset: Python then compares them exactly), so unchanged rows
        never leave the database; a second query lists the unknown codes."""
        fields = REGISTRY_FIELDS[self.kind]
        table = "htxso_reconcile_extract"
        seen: dict[str, tuple] = {}
        for r in records:
            if not r.code or r.code in seen:
                continue
            if counts[r.code] > 1 or r.code_error:  # conflicts: never compared
                seen[r.code] = (r.code[:32], "", "", None, "", "", "", "")
                continue
            seen[r.code] = (
                r.code,
                r.name,
                registry_status(r.status),
                r.charter_capital,
                r.address,
                r.representative,
                json.dumps(r.vsic) if r.vsic else "",
                r.tax_status,
            )
        postgres = connection.vendor == "postgresql"
        vsic_differs = (
            "COALESCE(o.vsic_codes, '[]'::jsonb) <> NULLIF(e.vsic, '')::jsonb"
            if postgres
            else "json(COALESCE(o.vsic_codes, '[]')) <> json(NULLIF(e.vsic, ''))"
        )
        if self.kind == ExtractSourceKind.TAX:
            differs = "(e.tax_status <> '' AND e.tax_status <> o.tax_status)"
            missing = "1 = 0"
        else:
            differs = (
                "(e.status <> '' AND e.status <> o.status)"
                " OR (e.capital IS NOT NULL AND (o.charter_capital IS NULL"
                " OR o.charter_capital <> e.capital))"
                " OR (e.address <> '' AND e.address <> o.address)"
                " OR (e.representative <> '' AND e.representative <> o.representative)"
                f" OR (e.vsic <> '' AND {vsic_differs})"
            )
            missing = f"o.status <> '{OrganisationStatus.DISSOLVED}'"
        scope, params = "", []
        if self.province is not None:
            scope, params = " AND o.province_id = %s", [self.province.pk]
        columns = ", ".join("o.id" if f == "pk" else f"o.{f}" for f in fields)
        select = (
            f"SELECT {columns}, e.code FROM registry_organisation o"  # noqa: S608 -- no input
            f" LEFT JOIN {table} e ON e.code = o.tax_code"
            f" WHERE o.tax_code IS NOT NULL{scope} AND ("
            f"(e.code IS NULL AND {missing}) OR (e.code IS NOT NULL AND ("
            f"(e.name <> '' AND e.name <> o.name) OR {differs})))"
        )
        unknown = (
            f"SELECT e.code FROM {table} e WHERE NOT EXISTS ("  # noqa: S608 -- no input
            f"SELECT 1 FROM registry_organisation o WHERE o.tax_code = e.code{scope})"
        )
        # one transaction: the rows of the temporary table are not committed one by one
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {table} (code varchar(32) PRIMARY KEY,"
                " name varchar(255), status varchar(20), capital bigint, address varchar(255),"
                " representative varchar(150), vsic text, tax_status varchar(20))"
            )
            try:
                if postgres:  # COPY: ten times executemany's speed
                    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in seen.values():
                            copy.write_row(row)
                else:
                    cursor.executemany(  # one statement whatever the size
                        f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                        list(seen.values()),
                    )
                cursor.execute(select, params)
                found = cursor.fetchall()
                cursor.execute(unknown, params)
                unmatched = {row[0] for row in cursor.fetchall()}
            finally:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        make = ROW_TYPES[self.kind]._make
        registry = {row[1]: make(row[:-1]) for row in found}
        self.absent = {row[1] for row in found if row[-1] is None}
        return registry, unmatched

    def _elsewhere(self, codes: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.province is None:
            return found
        for start in range(0, len(codes), CHUNK):
            rows = (
                Organisation.objects.filter(tax_code__in=codes[start : start + CHUNK])
                .exclude(province=self.province)
                .values_list("tax_code", "province_id")
            )
            found.update(dict(rows))
        return found

    # --- the step ---------------------------------------------------------------------
    def run(self, records: Iterable[Record]) -> Outcome:
        records = list(records)
        out = Outcome(total=len(records), content_sha256=content_hash(records))
        counts = Counter(r.code for r in records if r.code)
        registry, unmatched_codes = self._registry(records, counts)
        self.unmatched = unmatched_codes
        elsewhere = self._elsewhere(sorted(unmatched_codes))
        unknown: set[str] = set()
        # The database returned only the rows that may differ: a record whose code is
        # valid, listed once, in the registry and not among them is unchanged, and needs
        # no comparison here (most of a national extract).  Only its VSIC codes are
        # looked at, together, below.
        needs_look = registry.keys() | unmatched_codes | {c for c, n in counts.items() if n > 1}
        own = self.province.code if self.province is not None else None
        quiet_vsic: set[str] = set()
        for r in records:
            code = r.code
            if (
                code
                and not r.code_error
                and code not in needs_look
                and (own is None or not r.province_name or self._province_of(r) == own)
            ):
                out.unchanged += 1
                if r.vsic:
                    quiet_vsic.update(r.vsic)
                continue
            item = self._one(r, registry, counts, elsewhere, unknown)
            if item is None:
                out.unchanged += 1
            else:
                out.items.append(item)
        if self.vsic is not None and quiet_vsic:
            unknown.update(self.vsic.unknown(sorted(quiet_vsic)))
        if self.kind == ExtractSourceKind.BUSINESS:
            for code, org in registry.items():
                if code in self.absent and org.status != OrganisationStatus.DISSOLVED:
                    out.items.append(
                        self._item(
                            ItemCategory.MISSING,
                            None,
                            org,
                            problems=[
                                problem(gettext_noop("The extract no longer lists this code."))
                            ],
                        )
                    )
        out.unknown_vsic = sorted(unknown)
        return out

    def _item(self, category, record: Record | None, org: RegistryRow | None, **extra) -> dict:
        return {
            "category": category,
            "row": record.row if record else 0,
            "code": (record.code if record else org.tax_code) if (record or org) else "",
            "name": (record.name if record and record.name else (org.name if org else ""))[:255],
            "organisation_id": org.pk if org else None,
            "record": record.as_dict() if record else {},
            "changes": extra.get("changes", {}),
            "problems": extra.get("problems", []),
        }

    def _province_of(self, r: Record) -> str | None:
        if not r.province_name:
            return None
        return self.provinces.get(place_key(r.province_name), "?")

    def _one(self, r: Record, registry, counts, elsewhere, unknown) -> dict | None:
        notes = [problem(m) for m in r.problems]
        if r.code_error or not r.code:
            return self._item(
                ItemCategory.CONFLICT,
                r,
                None,
                problems=[
                    problem(CODE_PROBLEMS.get(r.code_error, CODE_PROBLEMS[""])),
                    *notes,
                ],
            )
        if counts[r.code] > 1:
            return self._item(
                ItemCategory.CONFLICT,
                r,
                registry.get(r.code),
                problems=[
                    problem(
                        gettext_noop("The code appears %(count)s times in the extract."),
                        count=counts[r.code],
                    )
                ],
            )
        row_province = self._province_of(r)
        if self.province is not None and (
            (row_province is not None and row_province != self.province.code) or r.code in elsewhere
        ):
            where = elsewhere.get(r.code) or row_province or "?"
            return self._item(
                ItemCategory.OTHER_PROVINCE,
                r,
                None,
                problems=[
                    problem(
                        gettext_noop("This row belongs to another province (%(province)s)."),
                        province=where,
                    )
                ],
            )
        if self.vsic is not None:
            unknown.update(self.vsic.unknown(r.vsic))
        org = registry.get(r.code)
        if org is None:
            if r.code not in self.unmatched:
                return None  # in the registry and equal: the database said so
            return self._new(r, row_province, notes)
        if r.name and name_similarity(r.name, org.name) < NAME_SIMILARITY:
            return self._item(
                ItemCategory.CONFLICT,
                r,
                org,
                problems=[
                    problem(
                        gettext_noop(
                            "The same code has a different name in the registry: %(name)s."
                        ),
                        name=org.name,
                    )
                ],
            )
        if self.kind == ExtractSourceKind.TAX:
            if r.tax_status and r.tax_status != org.tax_status:
                return self._item(
                    ItemCategory.TAX,
                    r,
                    org,
                    changes={"tax_status": [org.tax_status, r.tax_status]},
                    problems=notes,
                )
            return None
        changes = self._changes(r, org)
        if not changes:
            return None
        new_status = changes.get("status", [None, None])[1]
        category = (
            ItemCategory.DISSOLVED
            if new_status == OrganisationStatus.DISSOLVED
            else ItemCategory.CHANGED
        )
        return self._item(category, r, org, changes=changes, problems=notes)

    def _new(self, r: Record, row_province: str | None, notes: list[dict]) -> dict:
        if self.kind == ExtractSourceKind.TAX:
            return self._item(
                ItemCategory.CONFLICT,
                r,
                None,
                problems=[problem(gettext_noop("The code is not in the registry.")), *notes],
            )
        problems = list(notes)
        if not r.kind:
            problems.append(problem(gettext_noop("The kind of organisation is not given.")))
        if self.province is None and row_province in (None, "?"):
            problems.append(problem(gettext_noop("The province is not given or not recognised.")))
        if registry_status(r.status) == OrganisationStatus.DISSOLVED:
            return None  # dissolved before the registry knew it: nothing to add
        return self._item(ItemCategory.NEW, r, None, problems=problems)

    @staticmethod
    def _changes(r: Record, org: RegistryRow) -> dict[str, list]:
        changes: dict[str, list] = {}
        if r.name and r.name != org.name:
            changes["name"] = [org.name, r.name]
        if r.address and r.address != org.address and fold(r.address) != fold(org.address):
            changes["address"] = [org.address, r.address]
        status = registry_status(r.status)
        if status and status != org.status:
            changes["status"] = [org.status, status]
        if r.charter_capital is not None and r.charter_capital != org.charter_capital:
            changes["charter_capital"] = [org.charter_capital, r.charter_capital]
        if (
            r.representative
            and r.representative != org.representative
            and fold(r.representative) != fold(org.representative)
        ):
            changes["representative"] = [org.representative, r.representative]
        if r.vsic:
            current = _json_list(org.vsic_codes)
            if r.vsic != current:
                changes["vsic_codes"] = [current, r.vsic]
        return changes


def _json_list(value: object) -> list:
    """A JSON list column as read by a raw cursor (text on SQLite, decoded elsewhere)."""
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def reconcile(kind: str, province: Province | None, records: Iterable[Record]) -> Outcome:
    return Reconciler(kind, province).run(records)


def province_code_of(name: str | None) -> str | None:
    """The code of the province a row names (folded, without "tỉnh/thành phố")."""
    key = place_key(name or "")
    if not key:
        return None
    for code, pname in Province.objects.values_list("code", "name"):
        if place_key(pname) == key:
            return code
    return None


def match_wards(province_code: str) -> dict[str, str | None]:
    """{folded ward name without "xã/phường": code} of a province; a name two wards share
    maps to None (listed, never guessed)."""
    out: dict[str, str | None] = {}
    for code, name in Ward.objects.filter(province_id=province_code).values_list("code", "name"):
        key = place_key(name)
        out[key] = None if key in out else code
    return out


def parse_iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
