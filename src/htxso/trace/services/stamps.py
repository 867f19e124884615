"""Anti-counterfeit stamps: order a batch, activate it on a lot, check a stamp."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import ServiceError
from htxso.registry.models import Organisation
from htxso.trace.models import Lot, Stamp, StampBatch, StampScan, TradeItem
from htxso.trace.serials import new_serials, well_formed

MAX_BATCH = 10000
#: A stamp checked more often than this is shown with a warning.
WARN_AFTER_SCANS = 5
#: Two checks further apart than this (km) within WARN_WINDOW are suspicious.
WARN_DISTANCE_KM = 100
WARN_WINDOW = dt.timedelta(days=3)
#: A place shared this soon after a check belongs to that check.
RELOCATE = dt.timedelta(minutes=10)


def stamp_key() -> bytes:
    """The HMAC key of stamp serials, derived from the project's secret."""
    return hmac.new(settings.SECRET_KEY.encode(), b"htxso-trace-stamps", hashlib.sha256).digest()


def stamp_batch_order(
    *, actor: Actor, organisation: Organisation, trade_item: TradeItem, quantity: int
) -> StampBatch:
    Organisation.policy.require(actor, "change", organisation)
    if trade_item.organisation_id != organisation.pk:
        raise ServiceError("product_not_yours", _("This product belongs to another organisation."))
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_BATCH:
        raise ServiceError(
            "quantity_invalid",
            _("Order between 1 and %(max)s stamps at a time.") % {"max": MAX_BATCH},
        )
    serials = new_serials(quantity, key=stamp_key())
    with transaction.atomic():
        batch = StampBatch.objects.create(
            organisation=organisation,
            trade_item=trade_item,
            quantity=quantity,
            created_by=None if isinstance(actor, SystemActor) else actor,
        )
        Stamp.objects.bulk_create([Stamp(batch=batch, serial=s) for s in serials], batch_size=2000)
        audit.record(
            actor=actor, action="trace.stamps.order", instance=batch, after={"quantity": quantity}
        )
    return batch


def stamp_batch_activate(*, actor: Actor, batch: StampBatch, lot: Lot) -> StampBatch:
    StampBatch.policy.require(actor, "change", batch)
    if batch.activated_at is not None:
        raise ServiceError("already_active", _("These stamps are already activated."))
    if lot.organisation_id != batch.organisation_id or lot.trade_item_id != batch.trade_item_id:
        raise ServiceError(
            "lot_mismatch",
            _("Pick a lot of the product printed on these stamps (%(product)s).")
            % {"product": batch.trade_item.name},
        )
    with transaction.atomic():
        batch.lot = lot
        batch.activated_at = timezone.now()
        batch.save(update_fields=["lot", "activated_at"])
        audit.record(
            actor=actor, action="trace.stamps.activate", instance=batch, after={"lot": lot.code}
        )
    return batch


@dataclass
class StampCheck:
    status: str  # genuine | warning | not_active | not_genuine
    stamp: Stamp | None = None
    lot: Lot | None = None
    first_scanned_at: dt.datetime | None = None
    scan_count: int = 0
    reason: str = ""
    first_place: tuple | None = None  # (lat, lon) rounded to 0.1°, when shared
    located: bool = False


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _rough(value, limit: int) -> Decimal | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return Decimal(str(round(number, 1)))


def stamp_check(
    *, gtin: str, serial: str, lat=None, lon=None, network: str = "", record: bool = True
) -> StampCheck:
    """Check one stamp and record the scan.  A malformed serial is refused without
    touching the database (guessing is hopeless and cheap to reject).  With
    ``record=False`` (the cooperative or its officers looking at their own stamp) the
    answer is the same but nothing is counted."""
    if not well_formed(serial, key=stamp_key()):
        return StampCheck("not_genuine", reason="malformed")
    stamp = (
        Stamp.objects.select_related("batch__lot__trade_item", "batch__organisation")
        .filter(serial=serial, batch__trade_item__gtin=gtin)
        .first()
    )
    if stamp is None:
        return StampCheck("not_genuine", reason="unknown")
    batch = stamp.batch
    if batch.activated_at is None:
        return StampCheck("not_active", stamp=stamp, reason="not_active")
    if not record:
        return StampCheck(
            "warning" if stamp.suspicious else "genuine",
            stamp=stamp,
            lot=batch.lot,
            first_scanned_at=stamp.first_scanned_at,
            scan_count=stamp.scan_count,
            reason="earlier_warning" if stamp.suspicious else "",
            first_place=_first_place(stamp),
        )
    now = timezone.now()
    lat_r, lon_r = _rough(lat, 90), _rough(lon, 180)
    located = lat_r is not None and lon_r is not None
    # the visitor agreed to share a rough place just after checking: that same check
    # gets the place (no second count)
    same = (
        StampScan.objects.filter(
            stamp=stamp, network=network[:64], lat__isnull=True, scanned_at__gte=now - RELOCATE
        )
        .order_by("-scanned_at")
        .first()
        if located and network
        else None
    )
    reason = ""
    if same is None and stamp.scan_count + 1 > WARN_AFTER_SCANS:
        reason = "many_scans"
    elif located:
        others = StampScan.objects.filter(
            stamp=stamp, lat__isnull=False, scanned_at__gte=now - WARN_WINDOW
        ).values_list("lat", "lon")[:50]
        if any(
            _km(float(a), float(b), float(lat_r), float(lon_r)) > WARN_DISTANCE_KM
            for a, b in others
        ):
            reason = "far_apart"
    with transaction.atomic():
        if same is not None:
            StampScan.objects.filter(pk=same.pk).update(
                lat=lat_r,
                lon=lon_r,
                suspicious=same.suspicious or bool(reason),
                reason=same.reason or reason,
            )
            updates: dict = {}
        else:
            StampScan.objects.create(
                stamp=stamp,
                lat=lat_r,
                lon=lon_r,
                network=network[:64],
                suspicious=bool(reason),
                reason=reason,
            )
            updates = {"scan_count": F("scan_count") + 1, "last_scanned_at": now}
            if stamp.first_scanned_at is None:
                updates["first_scanned_at"] = now
        if reason:
            updates["suspicious"] = True
        if updates:
            Stamp.objects.filter(pk=stamp.pk).update(**updates)
    stamp.refresh_from_db(fields=["scan_count", "first_scanned_at", "suspicious"])
    first_place = _first_place(stamp)
    return StampCheck(
        "warning" if (reason or stamp.suspicious) else "genuine",
        stamp=stamp,
        lot=batch.lot,
        first_scanned_at=stamp.first_scanned_at,
        scan_count=stamp.scan_count,
        reason=reason or ("earlier_warning" if stamp.suspicious else ""),
        first_place=first_place,
        located=located,
    )


def _first_place(stamp: Stamp) -> tuple | None:
    return (
        StampScan.objects.filter(stamp=stamp, lat__isnull=False)
        .order_by("scanned_at")
        .values_list("lat", "lon")
        .first()
    )
