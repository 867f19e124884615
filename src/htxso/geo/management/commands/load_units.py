"""``manage.py load_units``: load the administrative units from ``vietnam_provinces``.

Loads the 34 provinces and 3,321 wards of the 2025 reform, the 63 former provinces with
their districts and wards, and the official old → new ward conversion table.  The
command compares the package data with the database and writes only the difference
(``bulk_create`` / ``bulk_update`` in one transaction), so a second run writes nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.text import fold
from htxso.geo.models import (
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    UnitsDataset,
    Ward,
    WardMapping,
)

DATASET_KEY = "vietnam_provinces"


def _code(value: Any, width: int) -> str:
    return str(int(value)).zfill(width)


def _type(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


@dataclass
class Source:
    """The package data, shaped as {primary key: tuple of field values}."""

    package_version: str
    data_version: str
    provinces: dict[str, tuple] = field(default_factory=dict)
    wards: dict[str, tuple] = field(default_factory=dict)
    legacy_provinces: dict[str, tuple] = field(default_factory=dict)
    legacy_districts: dict[str, tuple] = field(default_factory=dict)
    legacy_wards: dict[str, tuple] = field(default_factory=dict)
    mappings: dict[tuple[str, str], bool] = field(default_factory=dict)
    skipped_mappings: int = 0

    def digest(self) -> str:
        h = hashlib.sha256()
        for part in (
            self.provinces,
            self.wards,
            self.legacy_provinces,
            self.legacy_districts,
            self.legacy_wards,
            self.mappings,
        ):
            for key in sorted(part):
                h.update(repr((key, part[key])).encode())
            h.update(b"|")
        return h.hexdigest()


def read_source() -> Source:
    """Read every table from the installed ``vietnam_provinces`` package."""
    import vietnam_provinces
    from vietnam_provinces import Province as PkgProvince
    from vietnam_provinces import Ward as PkgWard
    from vietnam_provinces import _province_conversion_2025 as province_conversion
    from vietnam_provinces import _ward_conversion_2025 as ward_conversion
    from vietnam_provinces import legacy

    src = Source(
        package_version=str(getattr(vietnam_provinces, "__version__", "")),
        data_version=str(getattr(vietnam_provinces, "__data_version__", "")),
    )
    for p in PkgProvince.iter_all():
        src.provinces[_code(p.code, 2)] = (p.name, _type(p.division_type), fold(p.name))
    for w in PkgWard.iter_all():
        src.wards[_code(w.code, 5)] = (
            _code(w.province_code, 2),
            w.name,
            _type(w.division_type),
            fold(w.name),
        )
    for d in legacy.District.iter_all():
        src.legacy_districts[_code(d.code, 3)] = (
            _code(d.province_code, 2),
            d.name,
            _type(d.division_type),
            fold(d.name),
        )
    for w in legacy.Ward.iter_all():
        src.legacy_wards[_code(w.code, 5)] = (
            _code(w.district_code, 3),
            w.name,
            _type(w.division_type),
            fold(w.name),
        )

    # Old → new ward table.  A few rows name old wards that the legacy tables no longer
    # list (merged shortly before the reform): they cannot be linked and are skipped.
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in ward_conversion.OLD_TO_NEW.values():
        old = _code(entry.old_ward.code, 5)
        if old not in src.legacy_wards:
            src.skipped_mappings += len(entry.new_wards)
            continue
        # The legacy tables are the authority on where the old ward was (the
        # conversion table has a few wrong province codes).
        old_province = src.legacy_districts[src.legacy_wards[old][0]][0]
        for new in entry.new_wards:
            new_code = _code(new.code, 5)
            if new_code not in src.wards:
                src.skipped_mappings += 1
                continue
            src.mappings[(old, new_code)] = bool(entry.old_ward.is_partly_merged)
            votes[old_province][src.wards[new_code][0]] += 1

    for p in legacy.Province.iter_all():
        code = _code(p.code, 2)
        if votes[code]:
            new_province = votes[code].most_common(1)[0][0]
        else:
            conv = province_conversion.OLD_TO_NEW[int(p.code)]
            new_province = _code(conv.new_provinces[0].code, 2)
        src.legacy_provinces[code] = (p.name, _type(p.division_type), new_province, fold(p.name))
    return src


@dataclass
class TableResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    stale_kept: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _sync(
    model: type[models.Model],
    fields: list[str],
    rows: dict[str, tuple],
    *,
    delete_stale: bool,
) -> TableResult:
    """Make ``model`` hold exactly ``rows`` ({pk: values in ``fields`` order})."""
    result = TableResult(total=len(rows))
    existing = {pk: values for pk, *values in model.objects.values_list("pk", *fields).iterator()}
    to_create, to_update = [], []
    for pk, values in rows.items():
        current = existing.get(pk)
        if current is None:
            to_create.append(model(pk=pk, **dict(zip(fields, values, strict=True))))
        elif tuple(current) != tuple(values):
            to_update.append(model(pk=pk, **dict(zip(fields, values, strict=True))))
    stale = [pk for pk in existing if pk not in rows]
    if to_create:
        model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=500)
    if stale:
        if delete_stale:
            model.objects.filter(pk__in=stale).delete()
            result.deleted = len(stale)
        else:
            result.stale_kept = len(stale)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _sync_mappings(rows: dict[tuple[str, str], bool]) -> TableResult:
    result = TableResult(total=len(rows))
    existing = {
        (old, new): (pk, partial)
        for pk, old, new, partial in WardMapping.objects.values_list(
            "pk", "legacy_ward_id", "ward_id", "is_partial"
        ).iterator()
    }
    to_create = [
        WardMapping(legacy_ward_id=old, ward_id=new, is_partial=partial)
        for (old, new), partial in rows.items()
        if (old, new) not in existing
    ]
    to_update = [
        WardMapping(pk=existing[key][0], is_partial=partial)
        for key, partial in rows.items()
        if key in existing and existing[key][1] != partial
    ]
    stale = [pk for key, (pk, _partial) in existing.items() if key not in rows]
    if stale:
        WardMapping.objects.filter(pk__in=stale).delete()
    if to_create:
        WardMapping.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        WardMapping.objects.bulk_update(to_update, ["is_partial"], batch_size=500)
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
    return result


def load_units(src: Source | None = None) -> dict[str, TableResult]:
    """Bring the database in line with the package; returns per-table counts."""
    src = src or read_source()
    digest = src.digest()
    results: dict[str, TableResult] = {}
    with transaction.atomic():
        results["provinces"] = _sync(
            Province, ["name", "division_type", "search_text"], src.provinces, delete_stale=False
        )
        results["wards"] = _sync(
            Ward,
            ["province_id", "name", "division_type", "search_text"],
            src.wards,
            delete_stale=False,
        )
        results["legacy_provinces"] = _sync(
            LegacyProvince,
            ["name", "division_type", "new_province_id", "search_text"],
            src.legacy_provinces,
            delete_stale=False,
        )
        results["legacy_districts"] = _sync(
            LegacyDistrict,
            ["province_id", "name", "division_type", "search_text"],
            src.legacy_districts,
            delete_stale=False,
        )
        # Former units are only referenced by the mapping: rows the source dropped go
        # (children first; deleting cascades to their mappings).
        results["legacy_wards"] = _sync(
            LegacyWard,
            ["district_id", "name", "division_type", "search_text"],
            src.legacy_wards,
            delete_stale=True,
        )
        for model, key in (
            (LegacyDistrict, "legacy_districts"),
            (LegacyProvince, "legacy_provinces"),
        ):
            if results[key].stale_kept:
                model.objects.exclude(pk__in=list(getattr(src, key))).delete()
                results[key].deleted, results[key].stale_kept = results[key].stale_kept, 0
        results["mappings"] = _sync_mappings(src.mappings)

        changed = any(r.changed for r in results.values())
        dataset = UnitsDataset.objects.filter(pk=DATASET_KEY).first()
        if (
            changed
            or dataset is None
            or dataset.digest != digest
            or dataset.package_version != src.package_version
        ):
            UnitsDataset.objects.update_or_create(
                pk=DATASET_KEY,
                defaults={
                    "package_version": src.package_version,
                    "data_version": src.data_version,
                    "digest": digest,
                    "loaded_at": timezone.now(),
                },
            )
            # Other processes notice the new ``loaded_at``; this one forgets at once.
            from htxso.geo.resolver import invalidate_index

            transaction.on_commit(invalidate_index)
    if changed:
        _refresh_planner_statistics()
    return results


GEO_MODELS = (Province, Ward, LegacyProvince, LegacyDistrict, LegacyWard, WardMapping)


def _refresh_planner_statistics() -> None:
    """PostgreSQL plans joins from statistics gathered by ANALYZE.  Right after a
    (re)load, the statistics can describe empty or half-filled tables — on a new
    database, or on a test database emptied by a flush and reloaded — and a join over
    the former units can then be planned as nested loops over every row (seen as a
    query running for 18 minutes).  Gathering them now costs about 50 ms."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in GEO_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


class Command(BaseCommand):
    help = _(
        "Load provinces, wards, former units and the old-to-new ward mapping from the "
        "vietnam_provinces package (safe to run again)."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        src = read_source()
        results = load_units(src)
        elapsed = time.perf_counter() - started
        if options["verbosity"] < 1:
            return
        labels = {
            "provinces": _("provinces"),
            "wards": _("wards"),
            "legacy_provinces": _("former provinces"),
            "legacy_districts": _("former districts"),
            "legacy_wards": _("former wards"),
            "mappings": _("ward mappings"),
        }
        for key, label in labels.items():
            r = results[key]
            line = _(
                "%(label)s: %(total)d (created %(created)d, updated %(updated)d, "
                "deleted %(deleted)d)"
            ) % {
                "label": label,
                "total": r.total,
                "created": r.created,
                "updated": r.updated,
                "deleted": r.deleted,
            }
            if r.stale_kept:
                line += " " + _("%(count)d rows no longer in the source kept") % {
                    "count": r.stale_kept
                }
            self.stdout.write(line)
        if src.skipped_mappings:
            self.stdout.write(
                _("%(count)d mapping rows skipped: their former ward is not in the tables.")
                % {"count": src.skipped_mappings}
            )
        changed = sum(r.changed for r in results.values())
        if changed:
            message = _("Administrative units loaded (%(version)s) in %(seconds).1f s.")
        else:
            message = _("Administrative units already up to date (%(version)s), %(seconds).1f s.")
        self.stdout.write(
            self.style.SUCCESS(message % {"version": src.package_version, "seconds": elapsed})
        )
