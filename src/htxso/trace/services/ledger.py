"""The append-only hash chain of events, its verification and the daily roots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from htxso.trace import ledger as chain
from htxso.trace.epcis.hashing import event_hash
from htxso.trace.models import DailyRoot, Event, LedgerRow

#: Any constant: the PostgreSQL advisory lock serialising appends to the chain.
_LOCK_KEY = 6_120_850
#: Cache key of the ledger's length, the version of every cached public trace page.
VERSION_KEY = "trace:ledger-version"
#: Seconds a process trusts the cached length when another process may have appended.
VERSION_TTL = 30


def ledger_version() -> int:
    """The ledger's last sequence number, cached briefly (renewed on every append)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = LedgerRow.objects.aggregate(m=Max("seq"))["m"] or 0
        cache.set(VERSION_KEY, version, VERSION_TTL)
    return version


def _forget_version() -> None:
    cache.delete(VERSION_KEY)


def ledger_append(event: Event) -> LedgerRow:
    """Append ``event`` to the chain (call inside the recording transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = LedgerRow.objects.order_by("-seq").values_list("seq", "chain").first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
    _forget_version()
    transaction.on_commit(_forget_version)
    return LedgerRow.objects.create(
        seq=seq,
        event=event,
        event_hash=event.event_hash,
        prev_chain=prev,
        chain=chain.chain_hash(prev, event.event_hash, seq),
    )


@dataclass
class VerifyReport:
    verification: chain.Verification
    event: Event | None  # the first bad event, when there is one
    seconds: float
    missing: Event | None = None  # an event whose ledger row was deleted


def _entries(batch: int = 5000):
    rows = LedgerRow.objects.order_by("seq").values_list(
        "seq", "event_hash", "prev_chain", "chain", "event__body"
    )
    for seq, stored, prev, link, body in rows.iterator(chunk_size=batch):
        recomputed = event_hash(body) if body is not None else ""
        yield chain.LedgerEntry(
            seq=seq, event_hash=recomputed, stored_event_hash=stored, prev_chain=prev, chain=link
        )


def ledger_verify() -> VerifyReport:
    """Recompute every event hash and chain link; name the first bad event."""
    import time

    started = time.perf_counter()
    result = chain.verify(_entries())
    bad = None
    if not result.ok and result.first_bad_seq is not None:
        row = (
            LedgerRow.objects.filter(seq__gte=result.first_bad_seq)
            .select_related("event")
            .order_by("seq")
            .first()
        )
        bad = row.event if row else None
    missing = None
    if not result.ok and result.code == "deleted_or_reordered":
        # a deleted row leaves its event without a link: name that event
        missing = Event.objects.filter(ledger_row__isnull=True).order_by("id").first()
    return VerifyReport(result, missing or bad, time.perf_counter() - started, missing)


def daily_root_publish(*, day: dt.date) -> DailyRoot | None:
    """Compute and store the Merkle root of ``day``'s chain hashes (idempotent)."""
    existing = DailyRoot.objects.filter(day=day).first()
    if existing is not None:
        return existing
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    rows = list(
        LedgerRow.objects.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
        .order_by("seq")
        .values_list("seq", "chain")
    )
    if not rows:
        return None
    with transaction.atomic():
        return DailyRoot.objects.create(
            day=day,
            root=chain.daily_root([c for _s, c in rows]),
            count=len(rows),
            first_seq=rows[0][0],
            last_seq=rows[-1][0],
        )


def daily_roots_catch_up(*, until: dt.date | None = None) -> list[DailyRoot]:
    """Publish the roots of every finished day that has events and no root yet."""
    from django.db.models.functions import TruncDate

    until = until or timezone.localdate() - dt.timedelta(days=1)
    end = dt.datetime.combine(
        until + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    last = DailyRoot.objects.order_by("-last_seq").values_list("last_seq", flat=True).first() or 0
    days = set(
        LedgerRow.objects.filter(seq__gt=last, created_at__lt=end)
        .annotate(day=TruncDate("created_at"))
        .values_list("day", flat=True)
        .distinct()
    ) - set(DailyRoot.objects.values_list("day", flat=True))
    return [r for d in sorted(days) if (r := daily_root_publish(day=d)) is not None]
