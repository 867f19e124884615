"""Consumers' reports of suspicious or fake stamps: stored for the cooperative whose
barcode the package carries and its province, who are told by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from htxso.accounts.models import RoleAssignment
from htxso.core import audit
from htxso.core.actors import PUBLIC
from htxso.core.notify import email_after_commit
from htxso.core.roles import Role
from htxso.trace.models import Stamp, StampReport, TradeItem

MAX_TEXT = 1000
MAX_PLACE = 200


@dataclass
class StampSituation:
    """What a report is about, read again on the server (never taken from the form)."""

    status: str
    stamp: Stamp | None
    item: TradeItem | None

    @property
    def organisation(self):
        return self.item.organisation if self.item is not None else None


def stamp_situation(*, gtin: str, serial: str) -> StampSituation:
    """The stamp and product behind a GTIN and serial, without counting a scan."""
    item = (
        TradeItem.objects.select_related("organisation__province").filter(gtin=gtin).first()
        if gtin
        else None
    )
    stamp = (
        Stamp.objects.select_related("batch")
        .filter(serial=serial, batch__trade_item__gtin=gtin)
        .first()
        if gtin and serial
        else None
    )
    if stamp is None:
        status = "not_genuine"
    elif stamp.batch.activated_at is None:
        status = "not_active"
    elif stamp.suspicious:
        status = "warning"
    else:
        status = "genuine"
    return StampSituation(status=status, stamp=stamp, item=item)


def _plain(text: str, limit: int) -> str:
    """Plain text, control characters dropped (new lines kept), cut to ``limit``."""
    cleaned = "".join(ch for ch in str(text) if ch in "\n\t" or ch.isprintable())
    return cleaned.strip()[:limit]


def stamp_report_create(
    *,
    gtin: str,
    serial: str,
    what_happened: str,
    where_bought: str,
    phone: str = "",
    network: str = "",
) -> StampReport:
    """Store a consumer's report and tell the cooperative's managers and the province's
    officers (after commit).  No user: consumers are anonymous."""
    situation = stamp_situation(gtin=gtin, serial=serial)
    organisation = situation.organisation
    with transaction.atomic():
        report = StampReport.objects.create(
            organisation=organisation,
            province_id=organisation.province_id if organisation is not None else None,
            stamp=situation.stamp,
            gtin=gtin[:14],
            serial=serial[:40],
            status=situation.status,
            what_happened=_plain(what_happened, MAX_TEXT),
            where_bought=_plain(where_bought, MAX_PLACE),
            phone=_plain(phone, 20),
            network=network[:64],
        )
        audit.record(
            actor=PUBLIC,
            action="trace.stamps.report",
            instance=report,
            after={"gtin": report.gtin, "serial": report.serial, "status": report.status},
            province=report.province_id,
            organisation_id=report.organisation_id,
        )
        _notify(report, product=situation.item.name if situation.item else report.gtin)
    return report


def _recipients(report: StampReport) -> dict[str, list[str]]:
    """E-mail addresses by language: the cooperative's managers and the officers of
    its province."""
    rows = RoleAssignment.objects.none()
    if report.organisation_id:
        rows = RoleAssignment.objects.filter(
            role=Role.COOP_MANAGER, organisation_id=report.organisation_id
        )
    if report.province_id:
        rows = rows | RoleAssignment.objects.filter(
            role=Role.PROVINCE_OFFICER, province_id=report.province_id
        )
    by_language: dict[str, list[str]] = {}
    for email, language in rows.filter(user__is_active=True).values_list(
        "user__email", "user__preferred_language"
    ):
        if email and email not in by_language.get(language or "vi", []):
            by_language.setdefault(language or "vi", []).append(email)
    return by_language


def _notify(report: StampReport, *, product: str) -> None:
    link = settings.SITE_URL + reverse("trace:stamp_scans")
    for language, emails in _recipients(report).items():
        with translation.override(language):
            params = {
                "product": product,
                "serial": report.serial,
                "status": report.get_status_display(),
                "where": report.where_bought,
                "what": report.what_happened,
                "link": link,
            }
            subject = _("HTX Số: a consumer reported a suspicious stamp (%(product)s)") % params
            body = (
                _(
                    "A consumer checked stamp %(serial)s of product %(product)s "
                    "(%(status)s) and sent a report.\n\nWhere it was bought: %(where)s\n\n"
                    "What happened: %(what)s\n\nSee the reports: %(link)s"
                )
                % params
            )
        email_after_commit(subject=subject, body=body, recipients=emails)
