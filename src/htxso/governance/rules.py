"""The thresholds in force: ``rule(RuleKey.QUORUM_1, on=day)`` → ``Decimal``.

Rows live in :class:`~htxso.governance.models.Rule` (seeded by the migration
``0002_rules`` from the 2023 law; ``0003_rules_2023_text`` records which were read in the
text, corrects articles and adds the funds' minimum shares); a row for the
organisation's kind wins over a row for all kinds; the newest row whose dates cover the
day wins.  Values are cached per version of the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core.cached import Versioned
from htxso.core.errors import ServiceError

from .models.rules import Rule, RuleKey

RULES = Versioned("governance:rules", ttl=600)


@dataclass(frozen=True)
class InForce:
    key: str
    value: Decimal
    unit: str
    article: str
    confirmed: bool
    band_min: int
    band_max: int | None


def _rows() -> list[tuple]:
    return [
        (
            r.key,
            r.org_kind,
            r.band_min,
            r.band_max,
            r.value,
            r.unit,
            r.valid_from,
            r.valid_to,
            r.article,
            r.confirmed,
        )
        for r in Rule.objects.order_by("key", "-valid_from")
    ]


def _table() -> list[tuple]:
    return RULES.get_or_set(("all",), _rows)


def rules_in_force(
    key: RuleKey | str, *, on: dt.date | None = None, org_kind: str = ""
) -> list[InForce]:
    """Every row of ``key`` in force on ``on`` for ``org_kind`` (a kind's own rows replace
    the rows for all kinds), ordered by band."""
    day = on or timezone.localdate()
    key = str(key)
    found: dict[int, tuple] = {}
    own: dict[int, tuple] = {}
    for row in _table():
        k, kind, band_min, start, end = row[0], row[1], row[2], row[6], row[7]
        if k != key or start > day or (end is not None and end <= day):
            continue
        target = own if kind and kind == org_kind else found if not kind else None
        if target is None or band_min in target:
            continue  # rows come newest first: the first one of a band wins
        target[band_min] = row
    chosen = own or found
    return [
        InForce(r[0], r[4], r[5], r[8], r[9], r[2], r[3])
        for _, r in sorted(chosen.items(), key=lambda kv: kv[0])
    ]


def rule(key: RuleKey | str, *, on: dt.date | None = None, org_kind: str = "") -> InForce:
    rows = rules_in_force(key, on=on, org_kind=org_kind)
    if not rows:
        raise ServiceError(
            "rule_missing",
            _("No legal threshold “%(key)s” is in force on that day.") % {"key": key},
        )
    return rows[0]


def rule_or_none(
    key: RuleKey | str, *, on: dt.date | None = None, org_kind: str = ""
) -> InForce | None:
    """The row in force, or None where the law sets nothing (an optional minimum)."""
    rows = rules_in_force(key, on=on, org_kind=org_kind)
    return rows[0] if rows else None


def value(key: RuleKey | str, *, on: dt.date | None = None, org_kind: str = "") -> Decimal:
    return rule(key, on=on, org_kind=org_kind).value


def band(
    key: RuleKey | str, members: int, *, on: dt.date | None = None, org_kind: str = ""
) -> InForce | None:
    """The banded row covering ``members`` (e.g. the delegates for 240 members)."""
    for row in rules_in_force(key, on=on, org_kind=org_kind):
        if members >= row.band_min and (row.band_max is None or members <= row.band_max):
            return row
    return None
