"""``python -m htxso load_targets``: provincial targets and reference figures as data.

Idempotent: a second run changes nothing.  Rows come from ``registry/data/targets.py``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from htxso.registry.data.targets import TARGETS
from htxso.registry.models import Indicator, ProvinceTarget


def load_targets() -> dict[str, int]:
    """Create or update every target of the data file; returns counts by outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for row in TARGETS:
            if row["indicator"] not in Indicator.values:
                raise ValueError(f"unknown indicator {row['indicator']!r} in targets data")
            wanted = {
                "value": row["value"],
                "comparison": row["comparison"],
                "source": row["source"][:255],
            }
            target = ProvinceTarget.objects.filter(
                province_id=row["province"], indicator=row["indicator"], year=row["year"]
            ).first()
            if target is None:
                ProvinceTarget.objects.create(
                    province_id=row["province"],
                    indicator=row["indicator"],
                    year=row["year"],
                    **wanted,
                )
                counts["created"] += 1
            elif any(getattr(target, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(target, k, v)
                target.save(update_fields=list(wanted))
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    if counts["created"] or counts["updated"]:
        from htxso.registry import stats

        stats.invalidate()
    return counts


class Command(BaseCommand):
    help = "Load provincial targets and reference figures (idempotent)."

    def handle(self, *args, **options):
        counts = load_targets()
        self.stdout.write(
            "Targets: {created} created, {updated} updated, {unchanged} unchanged.".format(**counts)
        )
