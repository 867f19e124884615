"""Input hygiene at the boundary: every text value that arrives in a query string or
form body is NFC-normalised and stripped of NUL characters before any view sees it."""

from __future__ import annotations

import unicodedata

from django.http import QueryDict


def _clean(value: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.isascii():
        return value
    return unicodedata.normalize("NFC", value)


def _normalised(qd: QueryDict) -> QueryDict:
    if not qd:
        return qd
    out = QueryDict(mutable=True, encoding=qd.encoding)
    for key, values in qd.lists():
        out.setlist(_clean(key), [_clean(v) for v in values])
    out._mutable = False
    return out


class NormalizeInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _normalised(request.GET)
        # Reading a multipart body here fixes the upload handlers before a view runs;
        # HTX Số uses Django's default handlers (large files spill to temporary files).
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

            try:
                request.POST = _normalised(request.POST)
            except (RequestDataTooBig, TooManyFieldsSent):
                return _too_large(request)
        return self.get_response(request)


def _too_large(request):
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    message = _("What you sent is too large. Nothing was saved; send less at a time.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "too_large", "message": message, "details": None}, status=413)
    return render(
        request,
        "errors/error.html",
        {"status": 413, "title": _("Too large"), "message": message},
        status=413,
    )
