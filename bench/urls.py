"""The project's URLconf plus the baseline every benchmark compares against.

The baseline is a bare Django view rendering an empty template.  It is served by the
same process, middleware stack and test client as the page measured, and it renders
with the request as ``django.shortcuts.render`` does, so it pays what every page of the
project pays (middleware, session and user, context processors) and a page's ratio to
it is what the page itself adds.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from htxso.urls import handler400, handler403, handler404, handler500
from htxso.urls import urlpatterns as project_urlpatterns

BASELINE_PATH = "/__bench__/empty/"

_EMPTY = engines["django"].from_string("")


def empty_view(request):
    return HttpResponse(_EMPTY.render({}, request))


urlpatterns = [
    path(BASELINE_PATH.lstrip("/"), empty_view, name="bench_empty"),
    *project_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
