"""Prometheus metrics at ``/metrics``: HTTP (django-prometheus) and the task queue.

Requests: ``django_prometheus`` middleware counts responses by status and times them by
route — the URL *name* (``trace:resolve_lot``), never the path, so no id reaches a
label.  The task queue is read from the ``django_tasks_db`` table at scrape time
(:class:`TaskQueueCollector`): tasks ready to run and the age of the oldest, per queue,
and the task rows in each state by task (failed ones are the task failures).

``/metrics`` is not public: it answers only a request from the loopback address when
``METRICS_ALLOW_LOOPBACK`` is on (and no proxy relayed it: behind nginx on the same
machine every visitor arrives from 127.0.0.1), or one with
``Authorization: Bearer <METRICS_TOKEN>``; anyone else gets the site's 404.

Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, emptied
at each start) so that a scrape of any worker adds up all of them.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Case, Count, F, Min, When
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_prometheus.middleware import (  # type: ignore[import-untyped]
    PrometheusAfterMiddleware as _PrometheusAfterMiddleware,
)
from django_prometheus.utils import Time  # type: ignore[import-untyped]
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from .access import access

# headers a reverse proxy adds: a request carrying one was relayed, not made locally
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def ready_by_queue() -> dict[str, tuple[int, float]]:
    """Tasks ready to run per queue: (count, seconds the oldest has waited); one query
    (the backend's own "ready" filter, served by its partial index on PostgreSQL)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    # a deferred task waits from its run_after, any other from when it was enqueued
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    rows = (
        DBTaskResult.objects.ready()
        .values("queue_name")
        .annotate(n=Count("pk"), oldest=Min(waiting_since))
        .order_by()
    )
    return {
        row["queue_name"]: (
            row["n"],
            max(0.0, (now - row["oldest"]).total_seconds()) if row["oldest"] else 0.0,
        )
        for row in rows
    }


def ready_tasks() -> tuple[int, float]:
    """All queues together: (ready tasks, seconds the oldest has waited); one query."""
    queues = ready_by_queue().values()
    return sum(n for n, _age in queues), max((age for _n, age in queues), default=0.0)


def task_states() -> list[tuple[str, str, int]]:
    """(state, task path, rows) of the task table; one query."""
    from django_tasks_db.models import DBTaskResult

    return [
        (row["status"], row["task_path"], row["n"])
        for row in DBTaskResult.objects.values("status", "task_path")
        .annotate(n=Count("pk"))
        .order_by()
    ]


class TaskQueueCollector(Collector):
    """The ``django_tasks_db`` queue, read when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "htxso_tasks_table_up", "1 if the task table could be read at this scrape."
        )
        try:
            ready_now, states = ready_by_queue(), task_states()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        ready = GaugeMetricFamily(
            "htxso_tasks_ready", "Tasks ready to run (queue depth).", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "htxso_tasks_oldest_ready_seconds",
            "How long the oldest ready task has waited.",
            labels=["queue"],
        )
        for queue, (n, age) in sorted(ready_now.items()):
            ready.add_metric([queue], n)
            oldest.add_metric([queue], age)
        yield ready
        yield oldest
        rows = GaugeMetricFamily(
            "htxso_tasks",
            "Task rows in the task table by state and task "
            "(state FAILED: task failures; pruned rows leave the count).",
            labels=["state", "task"],
        )
        for state, path, n in sorted(states):
            rows.add_metric([state, path], n)
        yield rows


class _Default(Collector):
    """This process's registry (django-prometheus's metrics), re-exported."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def registry() -> CollectorRegistry:
    """The registry of one scrape: every worker's HTTP metrics (multiprocess mode) or
    this process's, and the task queue."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)
    else:
        scrape.register(_Default())
    scrape.register(TaskQueueCollector())
    return scrape


def _loopback(request: HttpRequest) -> bool:
    if not settings.METRICS_ALLOW_LOOPBACK:
        return False
    if any(request.META.get(header) for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _token(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    scheme, _sep, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def may_scrape(request: HttpRequest) -> bool:
    """A local scraper (when allowed) or one holding the metrics token."""
    return _loopback(request) or _token(request)


# public as a page (no session, no role: Prometheus has neither); the rule is may_scrape
@access(public=True)
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


class PrometheusAfterMiddleware(_PrometheusAfterMiddleware):
    """django-prometheus's "after" middleware, which would fail with a 500 on a
    malformed ``Content-Length`` (it parses the header to measure the body): such a
    request is timed but not measured here, and refused further down (411, by
    ``core.middleware.AnonymousBodyLimitMiddleware``)."""

    def process_request(self, request: HttpRequest) -> None:
        try:
            int(request.headers.get("content-length") or 0)
        except ValueError:
            request.prometheus_after_middleware_event = Time()  # type: ignore[attr-defined]
            return None
        return super().process_request(request)
