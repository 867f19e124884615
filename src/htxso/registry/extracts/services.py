"""Every write of the extracts: upload (read, reconcile, store the run), apply, reject.

Applying is ONE transaction: the organisations concerned are loaded in bulk and locked,
each accepted item is checked against the registry as it was reconciled (an
organisation edited since then refuses the whole apply, so nothing is half-applied),
written and audited with the sync run as its source.  Nothing is deleted: a dissolved
organisation keeps its record, gets its status and ``dissolved_on``.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.errors import ServiceError, conflict, refused
from htxso.core.formatting import format_date
from htxso.geo.models import Province

from .. import stats
from ..importing import reading as import_reading
from ..models.extracts import (
    APPLICABLE,
    Decision,
    ExtractSourceKind,
    ItemCategory,
    RunStatus,
    SyncItem,
    SyncRun,
)
from ..models.organisations import Organisation, OrganisationKind, OrganisationStatus
from . import adapters, reconcile
from .vsic import VsicTable

logger = logging.getLogger(__name__)

audit.ACTION_LABELS.update(
    {
        "registry.extract.upload": _("Registry extract reconciled"),
        "registry.extract.apply": _("Registry updated from an extract"),
        "registry.extract.create": _("Organisation registered from an extract"),
        "registry.extract.reject": _("Extract differences rejected"),
        "registry.extract.discard": _("Extract discarded"),
    }
)
#: Organisation fields an extract may change (business: all; tax: the tax status).
CHANGEABLE = (
    "name",
    "address",
    "status",
    "charter_capital",
    "representative",
    "vsic_codes",
    "tax_status",
)
BATCH = 1000


def can_sync(user: object, province: Province | None) -> bool:
    """The VCA for the nation or any province, a province's officer for the province."""
    return SyncRun.policy.allows_at(user, "change", province=province.pk if province else None)


def _user(*, actor: Actor) -> Any:
    return None if isinstance(actor, SystemActor) else actor


def last_applied(source: str, province: Province | None) -> SyncRun | None:
    return (
        SyncRun.objects.filter(source=source, province=province, applied_count__gt=0)
        .order_by("-extract_date", "-pk")
        .first()
    )


def _same(source, province, file_sha, content_sha) -> SyncRun | None:
    from django.db.models import Q

    return (
        SyncRun.objects.filter(source=source, province=province)
        .exclude(status=RunStatus.DISCARDED)
        .filter(Q(file_sha256=file_sha) | Q(content_sha256=content_sha))
        .order_by("-pk")
        .first()
    )


def upload_extract(
    *,
    actor: Actor,
    upload: Any,
    source: str,
    province: Province | None,
    extract_date,
) -> SyncRun:
    """Read the extract, reconcile it with the registry of ``province`` (``None``: the
    nation) and store the run for review.  Nothing in the registry changes here.

    Refuses (``extract_already_seen``) an extract already reconciled — the same file or
    the same content — that is not discarded: nothing would change the second time."""
    if source not in ExtractSourceKind.values:
        raise ServiceError("source", _("Choose the source of the extract."))
    if not can_sync(actor, province):
        raise refused(_("Your role may not do this."))
    if extract_date is None or extract_date > timezone.localdate():
        raise ServiceError("extract_date", _("Give the date of the extract (not in the future)."))
    try:
        import_reading.check_size(upload.size)
        head = upload.read(import_reading.CSV_SAMPLE_BYTES)
        upload.seek(0)
        import_reading.sniff_format(head, upload.name)
    except import_reading.FileRejected as exc:
        raise ServiceError(exc.code, exc.message, exc.params) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    file_sha = digest.hexdigest()
    suffix = ".xlsx" if head.startswith(b"PK\x03\x04") else ".csv"
    run = SyncRun(
        source=source,
        province=province,
        original_name=Path(upload.name).name[:255],
        file_sha256=file_sha,
        extract_date=extract_date,
        created_by=_user(actor=actor),
    )
    run.file.save(f"{file_sha[:16]}{suffix}", upload, save=False)
    try:
        outcome = reconcile.reconcile(
            source,
            province,
            adapters.file_source(source, run.file.path, run.original_name).records(),
        )
        seen = _same(source, province, file_sha, outcome.content_sha256)
        if seen is not None:
            raise conflict(
                _(
                    "This extract was already reconciled on %(date)s (%(name)s): nothing"
                    " would change a second time."
                ),
                "extract_already_seen",
                {
                    "date": format_date(timezone.localdate(seen.created_at)),
                    "name": seen.original_name,
                },
            )
        last = last_applied(source, province)
        with transaction.atomic():
            run.content_sha256 = outcome.content_sha256
            run.total_rows = outcome.total
            run.unchanged = outcome.unchanged
            run.counts = outcome.counts
            run.unknown_vsic = outcome.unknown_vsic
            run.older_than_last = bool(last and extract_date < last.extract_date)
            if not outcome.items:
                run.status = RunStatus.APPLIED
                run.reviewed_at = timezone.now()
            run.save()
            SyncItem.objects.bulk_create(
                (SyncItem(run=run, **item) for item in outcome.items), batch_size=BATCH
            )
            audit.record(
                actor=actor,
                action="registry.extract.upload",
                instance=run,
                province=province.pk if province else None,
                after={
                    "file": run.original_name,
                    "sha256": file_sha,
                    "rows": outcome.total,
                    "counts": outcome.counts,
                },
            )
    except BaseException as exc:  # refused or failed: nothing stays in storage
        try:
            run.file.delete(save=False)
        except Exception:
            logger.exception("Could not delete the refused extract %s", run.file.name)
        if isinstance(exc, import_reading.FileRejected):
            raise ServiceError(exc.code, exc.message, exc.params) from None
        raise
    return run


def _require_open(run: SyncRun) -> None:
    if run.status != RunStatus.REVIEW:
        raise conflict(_("This extract has already been reviewed."), "extract_closed")


def _pending(run: SyncRun, *, category: str = "", item_ids=None):
    qs = SyncItem.objects.filter(run=run, decision=Decision.PENDING)
    if category:
        qs = qs.filter(category=category)
    if item_ids is not None:
        qs = qs.filter(pk__in=list(item_ids))
    return qs


def _close_if_done(run: SyncRun) -> None:
    if not SyncItem.objects.filter(run=run, decision=Decision.PENDING).exists():
        run.status = RunStatus.APPLIED
        run.reviewed_at = timezone.now()


def reject_items(*, actor: Actor, run: SyncRun, category: str = "", item_ids=None) -> int:
    """Leave the registry as it is for these differences (recorded, audited)."""
    if not SyncRun.policy.allows(actor, "change", run):
        raise refused(_("Your role may not do this."))
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run.pk)
        _require_open(run)
        qs = _pending(run, category=category, item_ids=item_ids)
        count = qs.update(decision=Decision.REJECTED, decided_at=timezone.now())
        run.rejected_count += count
        _close_if_done(run)
        run.save(update_fields=["rejected_count", "status", "reviewed_at"])
        audit.record(
            actor=actor,
            action="registry.extract.reject",
            instance=run,
            after={"category": category, "count": count},
        )
    return count


def _dissolved_on(record: dict, run: SyncRun):
    return reconcile.parse_iso(record.get("changed_on")) or run.extract_date


def _check_unchanged(org: Organisation, item: SyncItem) -> None:
    for name, (old, _new) in item.changes.items():
        current = getattr(org, name)
        if name == "vsic_codes":
            current = list(current or [])
        if current != old:
            raise conflict(
                _(
                    "%(name)s was changed in the registry after this extract was reconciled:"
                    " upload the extract again."
                ),
                "extract_stale",
                {"name": org.name},
            )


def _apply_change(org: Organisation, item: SyncItem, run: SyncRun) -> tuple[dict, dict]:
    before, after = {}, {}
    for name, (old, new) in item.changes.items():
        if name not in CHANGEABLE:
            continue
        before[name], after[name] = old, new
        setattr(org, name, new)
    changed_on = _dissolved_on(item.record, run)
    if "status" in after:
        before["status_changed_on"] = org.status_changed_on
        org.status_changed_on = changed_on
        after["status_changed_on"] = changed_on
        if after["status"] == OrganisationStatus.DISSOLVED:
            before["dissolved_on"] = org.dissolved_on
            org.dissolved_on = changed_on
            after["dissolved_on"] = changed_on
        elif org.dissolved_on is not None:
            before["dissolved_on"], org.dissolved_on = org.dissolved_on, None
            after["dissolved_on"] = None
    if "tax_status" in after:
        before["tax_status_on"] = org.tax_status_on
        org.tax_status_on = changed_on
        after["tax_status_on"] = changed_on
    return before, after


def _json(values: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def _create(item: SyncItem, run: SyncRun, vsic: VsicTable, wards: dict) -> Organisation:
    r = item.record
    province_code = run.province_id or reconcile.province_code_of(r.get("province_name"))
    if not province_code or not r.get("kind"):
        raise conflict(
            _("Row %(row)s cannot be registered: its kind or province is missing."),
            "extract_new_incomplete",
            {"row": item.row},
        )
    if Organisation.objects.filter(tax_code=item.code).exists():
        raise conflict(
            _("The code %(code)s is already in the registry: upload the extract again."),
            "extract_stale",
            {"code": item.code},
        )
    if province_code not in wards:
        wards[province_code] = reconcile.match_wards(province_code)
    ward = wards[province_code].get(reconcile.place_key(r.get("ward_name") or "")) or None
    status = reconcile.registry_status(r.get("status") or "") or OrganisationStatus.ACTIVE
    org = Organisation(
        kind=r["kind"],
        name=r["name"] or item.code,
        tax_code=item.code,
        province_id=province_code,
        ward_id=ward,
        address=r.get("address") or "",
        status=status,
        established_on=reconcile.parse_iso(r.get("registered_on")),
        charter_capital=r.get("charter_capital"),
        representative=r.get("representative") or "",
        vsic_codes=r.get("vsic") or [],
        sector=(vsic.main_sector(r.get("vsic") or []) if vsic else "") or "",
        status_changed_on=reconcile.parse_iso(r.get("changed_on")),
    )
    if org.kind == OrganisationKind.GROUP and not org.tax_code:
        org.tax_code = None
    org.save()
    if r.get("ward_name") and not ward:  # listed on the review page, never guessed
        item.problems = [
            *item.problems,
            reconcile.problem(
                gettext_noop(
                    "The ward “%(ward)s” was not found in the province: choose it on the"
                    " organisation's page."
                ),
                ward=r["ward_name"],
            ),
        ]
    return org


def apply_items(
    *,
    actor: Actor,
    run: SyncRun,
    category: str = "",
    item_ids=None,
    confirm_older: bool = False,
) -> int:
    """Apply the pending differences chosen (a category, some items, or all applicable
    ones): all of them or none."""
    if not SyncRun.policy.allows(actor, "change", run):
        raise refused(_("Your role may not do this."))
    if category and category not in APPLICABLE:
        raise ServiceError(
            "extract_not_applicable",
            _("These rows cannot change the registry; reject them once checked."),
        )
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run.pk)
        _require_open(run)
        if run.older_than_last and not (confirm_older or run.older_confirmed):
            raise conflict(
                _(
                    "This extract is older than the last one applied from the same source:"
                    " confirm that its changes should be applied anyway."
                ),
                "extract_older",
            )
        items = list(
            _pending(run, category=category, item_ids=item_ids).filter(category__in=APPLICABLE)
        )
        if not items:
            raise ServiceError("extract_nothing", _("There is nothing to apply."))
        orgs = Organisation.objects.select_for_update(of=("self",)).in_bulk(
            [i.organisation_id for i in items if i.organisation_id]
        )
        vsic = VsicTable() if run.source == ExtractSourceKind.BUSINESS else None
        wards: dict = {}
        now = timezone.now()
        source = {"sync_run": run.pk, "source": run.source, "file": run.original_name}
        for item in items:
            if item.category == ItemCategory.NEW:
                org = _create(item, run, vsic, wards)
                item.organisation = org
                audit.record(
                    actor=actor,
                    action="registry.extract.create",
                    instance=org,
                    after={**(audit.snapshot(org) or {}), **source},
                )
            else:
                org = orgs.get(item.organisation_id)
                if org is None:
                    raise conflict(
                        _("An organisation of this extract no longer exists: upload it again."),
                        "extract_stale",
                    )
                _check_unchanged(org, item)
                before, after = _apply_change(org, item, run)
                org.save(update_fields=[*after, "updated_at"])
                audit.record(
                    actor=actor,
                    action="registry.extract.apply",
                    instance=org,
                    before=_json(before),
                    after={**_json(after), **source},
                )
            item.decision, item.decided_at = Decision.APPLIED, now
        SyncItem.objects.bulk_update(
            items, ["decision", "decided_at", "organisation", "problems"], BATCH
        )
        run.applied_count += len(items)
        run.older_confirmed = run.older_confirmed or confirm_older
        _close_if_done(run)
        run.save(update_fields=["applied_count", "older_confirmed", "status", "reviewed_at"])
        transaction.on_commit(stats.invalidate)
    return len(items)


def discard_run(*, actor: Actor, run: SyncRun) -> SyncRun:
    """Close an extract without applying what is left (it may be uploaded again)."""
    if not SyncRun.policy.allows(actor, "change", run):
        raise refused(_("Your role may not do this."))
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run.pk)
        _require_open(run)
        left = _pending(run).update(decision=Decision.REJECTED, decided_at=timezone.now())
        run.rejected_count += left
        run.status = RunStatus.DISCARDED
        run.reviewed_at = timezone.now()
        run.save(update_fields=["rejected_count", "status", "reviewed_at"])
        audit.record(actor=actor, action="registry.extract.discard", instance=run)
    return run
