"""/healthz: database, cache and task backlog; cheap (fixed queries), never cached."""

from datetime import timedelta

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

KEYS = {
    "status",
    "database",
    "cache",
    "tasks",
    "tasks_ready",
    "tasks_oldest_seconds",
    "database_vendor",
    "version",
}


class DownCache(BaseCache):
    """A cache whose server is gone (what django's Redis backend does then: raise)."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = clear = has_key = _down


DOWN_CACHE = {"default": {"BACKEND": f"{__name__}.DownCache"}}


def ready_task(*, enqueued_ago=timedelta(0), run_after=None, queue="default", status="READY"):
    from django_tasks_db.models import DBTaskResult, get_date_max

    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="htxso.core.tasks.send_email",
        queue_name=queue,
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
    )
    if enqueued_ago:
        DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return row


def test_healthz_reports_database_cache_and_tasks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS  # nothing else: no user, no address, no personal data
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["cache"] == "ok" and body["tasks"] == "ok"
    assert body["tasks_ready"] == 0 and body["tasks_oldest_seconds"] == 0
    assert body["database_vendor"] == connection.vendor


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def boom(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", boom)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error" and body["status"] == "error"
    assert body["tasks"] == "error"  # not checked without a database


def test_a_cache_that_is_down_degrades_but_keeps_the_process_in(client):
    """A load balancer must not drop every process because the shared Redis is down."""
    with override_settings(CACHES=DOWN_CACHE):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["cache"] == "error" and body["status"] == "degraded"
    assert body["database"] == "ok" and body["tasks"] == "ok"


@override_settings(HTXSO_HEALTH_TASKS_MAX_READY=2, HTXSO_HEALTH_TASKS_MAX_AGE_SECONDS=300)
def test_too_many_ready_tasks_is_a_backlog(client):
    for _ in range(2):
        ready_task()
    body = client.get("/healthz").json()
    assert body["tasks"] == "ok" and body["tasks_ready"] == 2  # at the threshold: fine
    ready_task(queue="imports")  # every queue counts
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["tasks"] == "backlog" and body["status"] == "degraded"
    assert body["tasks_ready"] == 3


@override_settings(HTXSO_HEALTH_TASKS_MAX_READY=1000, HTXSO_HEALTH_TASKS_MAX_AGE_SECONDS=300)
def test_an_old_ready_task_is_a_backlog(client):
    ready_task(enqueued_ago=timedelta(seconds=200))
    body = client.get("/healthz").json()
    assert body["tasks"] == "ok" and 199 <= body["tasks_oldest_seconds"] <= 260
    ready_task(enqueued_ago=timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["tasks"] == "backlog" and body["status"] == "degraded"
    assert 599 <= body["tasks_oldest_seconds"] <= 660


@override_settings(HTXSO_HEALTH_TASKS_MAX_READY=0, HTXSO_HEALTH_TASKS_MAX_AGE_SECONDS=300)
def test_tasks_that_are_not_ready_are_no_backlog(client):
    """Deferred (run_after in the future), running, finished and failed tasks wait for
    nobody; a deferred task that became ready waits from its run_after."""
    ready_task(run_after=timezone.now() + timedelta(hours=1), enqueued_ago=timedelta(days=1))
    for status in ("RUNNING", "SUCCESSFUL", "FAILED"):
        ready_task(status=status, enqueued_ago=timedelta(days=1))
    body = client.get("/healthz").json()
    assert body["tasks"] == "ok" and body["tasks_ready"] == 0
    with override_settings(HTXSO_HEALTH_TASKS_MAX_READY=5):
        ready_task(run_after=timezone.now() - timedelta(seconds=30), enqueued_ago=timedelta(days=1))
        body = client.get("/healthz").json()
    assert body["tasks"] == "ok" and body["tasks_ready"] == 1
    assert body["tasks_oldest_seconds"] < 120  # from run_after, not from a day ago


@pytest.mark.parametrize("tasks", [0, 30])
def test_healthz_costs_two_queries_whatever_the_queue(client, django_assert_num_queries, tasks):
    for n in range(tasks):
        ready_task(queue=f"q{n % 3}", enqueued_ago=timedelta(seconds=n))
    with django_assert_num_queries(2):  # SELECT 1, and one aggregate over ready tasks
        response = client.get("/healthz")
    assert response.json()["tasks_ready"] == tasks
