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

from htxso.core.access import access
from htxso.core.codes import CodeError, to_gtin14

from . import selectors
from .models import DailyRoot, LedgerRow
from .qr import lot_url
from .services.ledger import ledger_verify, ledger_version
from .services.stamps import stamp_check

LD_JSON = "application/ld+json"
#: Seconds a rendered public trace page is kept (the ledger's growth renews it sooner).
PAGE_TTL = 300
CSRF_PLACEHOLDER = "__htxso_csrf_token_placeholder__"
#: Stamp checks per network per window before answering 429.
STAMP_RATE = 30
STAMP_WINDOW = 600


def _gtin14(gtin: str) -> str:
    try:
        return to_gtin14(gtin)
    except CodeError as exc:
        raise Http404 from exc


def _wants_ld(request) -> bool:
    accept = request.headers.get("Accept", "")
    return LD_JSON in accept or request.GET.get("format") == "jsonld"


def _trace_response(request, lot, *, stamp=None, status=200, csrf_placeholder=False):
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


def _rate_limited(network: str) -> bool:
    key = f"trace:stamp-rate:{network}"
    added = cache.add(key, 1, STAMP_WINDOW)
    if added:
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, STAMP_WINDOW)
        return False
    return count > STAMP_RATE


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
        )
        if gtin14
        else None
    )
    if result is None or result.status in ("not_genuine", "not_active") or result.lot is None:
        return render(
            request,
            "trace/stamp_result.html",
            {"status": result.status if result else "not_genuine", "serial": serial[:40]},
        )
    return _trace_response(request, result.lot, stamp=result)


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
