"""Public pages: the GS1 Digital Link resolver (lots and stamps), the trace page, the
ledger verification and the daily roots.  No personal data: plots show area and
commune only."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.codes import CodeError, to_gtin14
from htxso.core.policy import allowed
from htxso.core.ratelimit import hit

from . import selectors
from .forms_public import StampReportForm
from .models import DailyRoot, LedgerRow, Stamp
from .qr import lot_url
from .services.ledger import ledger_verify, ledger_version
from .services.reports import stamp_report_create, stamp_situation
from .services.stamps import stamp_check

LD_JSON = "application/ld+json"
#: Seconds a rendered public trace page is kept (the ledger's growth renews it sooner).
PAGE_TTL = 300
CSRF_PLACEHOLDER = "__htxso_csrf_token_placeholder__"
#: Stamp checks per network per window before answering 429.
STAMP_RATE = 30
STAMP_WINDOW = 600
#: Stamp reports per network per window.
REPORT_RATE = 5
REPORT_WINDOW = 3600
#: Room for 1,200 Vietnamese letters URL-encoded (up to 9 bytes each), no more.
REPORT_MAX_BYTES = 12_288


def _gtin14(gtin: str) -> str:
    try:
        return to_gtin14(gtin)
    except CodeError as exc:
        raise Http404 from exc


def _wants_ld(request) -> bool:
    accept = request.headers.get("Accept", "")
    return LD_JSON in accept or request.GET.get("format") == "jsonld"


def _trace_response(request, lot, *, stamp=None, status=200, csrf_placeholder=False, extra=None):
    if _wants_ld(request):
        response = JsonResponse(selectors.lot_document(lot=lot), content_type=LD_JSON)
        response["Vary"] = "Accept"
        return response
    page = selectors.trace_page(lot=lot)
    response = render(
        request,
        "trace/public_lot.html",
        {
            "page": page,
            "lot": lot,
            "item": lot.trade_item,
            "organisation": lot.organisation,
            "stamp": stamp,
            "canonical": request.build_absolute_uri(lot_url(lot)),
            **({"csrf_token": CSRF_PLACEHOLDER} if csrf_placeholder else {}),
            **(extra or {}),
        },
        status=status,
    )
    response["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def _cacheable(request) -> bool:
    """Anonymous visitors without a session or pending messages share a cached page."""
    if request.user.is_authenticated or _wants_ld(request):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _cached_page(request, gtin14: str, code: str):
    """The rendered page from the cache, or rendered and stored.

    The key holds the ledger's last sequence number: any new event anywhere gives a new
    key, so a page is never older than the ledger (and at most PAGE_TTL old for the
    registry's facts such as OCOP stars).  The page is stored with a placeholder CSRF
    token, replaced per visitor.
    """
    seq = ledger_version()
    digest = hashlib.sha256(f"{gtin14}/{code}".encode()).hexdigest()[:24]
    key = f"trace:lot-page:v1:{digest}:{get_language()}:{seq}"
    body = cache.get(key)
    if body is None:
        found = selectors.lot_public_get(gtin=gtin14, code=code)
        if found is None:
            return None
        response = _trace_response(request, found, csrf_placeholder=True)
        body = response.content
        cache.set(key, body, PAGE_TTL)
    token = get_token(request).encode()
    response = HttpResponse(body.replace(CSRF_PLACEHOLDER.encode(), token))
    response["Vary"] = "Accept, Accept-Language, Cookie"
    return response


@access(public=True)
def resolve_lot(request, gtin: str, lot: str):
    gtin14 = _gtin14(gtin)
    if _cacheable(request):
        response = _cached_page(request, gtin14, lot)
        if response is not None:
            return response
    else:
        found = selectors.lot_public_get(gtin=gtin14, code=lot)
        if found is not None:
            return _trace_response(request, found)
    return render(request, "trace/public_unknown.html", {"gtin": gtin, "code": lot}, status=404)


def _network(request) -> str:
    """The client's network, coarsened (/24 or /48) and hashed: for rate limits and
    telling scans apart, never a person's address."""
    ip = request.META.get("REMOTE_ADDR", "") or ""
    coarse = ".".join(ip.split(".")[:3]) if "." in ip else ":".join(ip.split(":")[:3])
    return hashlib.sha256(coarse.encode()).hexdigest()[:16]


def _rate_limited(
    network: str, *, what: str = "stamp", rate: int = STAMP_RATE, window: int = STAMP_WINDOW
) -> bool:
    return hit(f"trace:{what}-rate:{network}", window) > rate


def _report_context(gtin14: str, serial: str, *, form=None, item=None) -> dict:
    """The report form of a failed or warning check and the contact of the cooperative
    whose barcode the package carries (its public name, phone and province)."""
    if item is None and gtin14:
        item = stamp_situation(gtin=gtin14, serial="").item
    return {
        "report_form": form or StampReportForm(initial={"gtin": gtin14, "serial": serial}),
        "producer": item.organisation if item is not None else None,
        "serial": serial,
    }


def _insider(request, gtin14: str, serial: str) -> bool:
    """The cooperative or its officers opening their own stamp (from the batch page):
    shown the consumer's page, not counted as a check."""
    if not request.user.is_authenticated:
        return False
    return (
        allowed(Stamp, request.user, "view")
        .filter(serial=serial, batch__trade_item__gtin=gtin14)
        .exists()
    )


@never_cache
@access(public=True)
def resolve_serial(request, gtin: str, serial: str):
    network = _network(request)
    if _rate_limited(network):
        return render(request, "trace/stamp_result.html", {"status": "throttled"}, status=429)
    try:
        gtin14 = to_gtin14(gtin)
    except CodeError:
        gtin14 = ""
    result = (
        stamp_check(
            gtin=gtin14,
            serial=serial[:40],
            lat=request.GET.get("lat"),
            lon=request.GET.get("lon"),
            network=network,
            record=not _insider(request, gtin14, serial[:40]),
        )
        if gtin14
        else None
    )
    if result is None or result.status in ("not_genuine", "not_active") or result.lot is None:
        return render(
            request,
            "trace/stamp_result.html",
            {
                "status": result.status if result else "not_genuine",
                **_report_context(gtin14, serial[:40]),
            },
        )
    extra = (
        _report_context(gtin14, serial[:40], item=result.lot.trade_item)
        if result.status == "warning"
        else None
    )
    return _trace_response(request, result.lot, stamp=result, extra=extra)


@never_cache
@require_POST
@access(public=True)
def stamp_report(request):
    """A consumer's report from a failed or warning stamp check (anonymous: small body,
    a honeypot field and a per-network limit keep robots out)."""
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = REPORT_MAX_BYTES + 1
    if size > REPORT_MAX_BYTES:
        return render(request, "trace/stamp_result.html", {"status": "too_long"}, status=413)
    network = _network(request)
    if _rate_limited(network, what="report", rate=REPORT_RATE, window=REPORT_WINDOW):
        return render(
            request, "trace/stamp_result.html", {"status": "report_throttled"}, status=429
        )
    form = StampReportForm(request.POST)
    if form.is_spam():
        return render(request, "trace/stamp_result.html", {"status": "reported"})
    if not form.is_valid():
        gtin14 = _gtin_or_blank(form.data.get("gtin", ""))
        serial = str(form.data.get("serial", ""))[:40]
        return render(
            request,
            "trace/stamp_result.html",
            {"status": "report_invalid", **_report_context(gtin14, serial, form=form)},
            status=400,
        )
    data = form.cleaned_data
    stamp_report_create(
        gtin=_gtin_or_blank(data["gtin"]),
        serial=data["serial"],
        what_happened=data["what_happened"],
        where_bought=data["where_bought"],
        phone=data["phone"],
        network=network,
    )
    return render(request, "trace/stamp_result.html", {"status": "reported"})


def _gtin_or_blank(gtin: str) -> str:
    try:
        return to_gtin14(str(gtin))
    except CodeError:
        return ""


@access(public=True)
def ledger_page(request):
    report = None
    if request.GET.get("kiem-tra") == "1" or request.GET.get("verify") == "1":
        report = _cached_verify()
    last = LedgerRow.objects.order_by("-seq").select_related("event").first()
    roots = list(DailyRoot.objects.order_by("-day")[:30])
    return render(request, "trace/ledger.html", {"report": report, "last": last, "roots": roots})


def _cached_verify():
    """Verifying walks the whole chain: one verification per minute is shared."""
    last = LedgerRow.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    key = f"trace:ledger-verify:{last}"
    report = cache.get(key)
    if report is None:
        report = ledger_verify()
        cache.set(key, report, 60)
    return report


@access(public=True)
def daily_roots(request):
    rows = DailyRoot.objects.order_by("-day").values(
        "day", "root", "count", "first_seq", "last_seq"
    )[:400]
    data = [{**r, "day": r["day"].isoformat()} for r in rows]
    return JsonResponse(
        {"algorithm": _("SHA-256 Merkle root of the day's chain hashes"), "roots": data}
    )
