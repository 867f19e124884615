"""Observability (issue 20): request ids in responses, logs and tasks; JSON logs;
Prometheus metrics at /metrics (not public); the friendly 503 when the database is down.

The database-down tests run a real refused connection (PostgreSQL at 127.0.0.1:1) in a
subprocess, so they run the same on the SQLite and the PostgreSQL test runs.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from prometheus_client.parser import text_string_to_metric_families

from htxso.core.logging import JsonFormatter, RequestIdFilter
from htxso.core.middleware import DatabaseUnavailableMiddleware
from htxso.core.requestid import RequestIdMiddleware, current_request_id, request_id_var

TOKEN = "m" * 20 + "e7Qx9Lz2Wv4Ka8Rt"  # 36 characters
DB_TASKS = {"default": {"BACKEND": "htxso.core.tasks.DatabaseBackend"}}

# --- helpers ---------------------------------------------------------------------------

runs: list[tuple[str, str | None]] = []


@task()
def remember_request_id(label: str) -> str:
    """A task that notes the request id it runs under, and logs a line."""
    runs.append((label, current_request_id()))
    logging.getLogger("htxso.tests.observability").info("task %s ran", label)
    return label


def run_python(code: str, env_extra: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HTXSO_", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC", "DATABASE_"))
        and k not in ("LOG_FORMAT", "METRICS_TOKEN", "PROMETHEUS_MULTIPROC_DIR")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "htxso.settings", "HTXSO_TESTING": "1", "DEBUG": "0"})
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout
    )


def metric_samples(text: str) -> list:
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def scrape(client, **extra):
    with override_settings(METRICS_TOKEN=TOKEN):
        return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **extra)


def make_task_row(*, status="READY", queue="default", path="htxso.core.tasks.send_email", age=0):
    from django_tasks_db.models import DBTaskResult, get_date_max

    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        queue_name=queue,
        backend_name="default",
        run_after=get_date_max(),
        status=status,
    )
    if age:
        DBTaskResult.objects.filter(pk=row.pk).update(
            enqueued_at=timezone.now() - timedelta(seconds=age)
        )
    return row


# --- request id ----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0  # a uuid4 hex
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    ["0123456789abcdef0123456789abcdef", "3f2b1c9e-aaaa-4bbb-8ccc-0123456789ab", "lb:1.2-x_y"],
)
def test_a_sane_incoming_request_id_is_kept(client, incoming):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "x" * 65,
        "abc def ghij",
        "abcdefgh\r\nSet-Cookie: a=b",
        "<script>alert1</script>",
        "mã-yêu-cầu-123",
        "abcdefgh;rm",
    ],
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    rid = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert rid != incoming and len(rid) == 32 and int(rid, 16) >= 0


def test_the_id_is_current_while_the_request_runs_and_on_its_log_lines(caplog):
    seen = {}

    def view(request):
        seen["id"] = current_request_id()
        logging.getLogger("htxso.tests.observability").warning("inside the view")
        return HttpResponse("ok")

    caplog.handler.addFilter(RequestIdFilter())
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-from-nginx-01")
    with caplog.at_level(logging.INFO):
        response = RequestIdMiddleware(view)(request)
    assert seen["id"] == "req-from-nginx-01" == response["X-Request-ID"]
    assert request.request_id == "req-from-nginx-01"
    assert current_request_id() is None  # not left behind for whatever runs next
    [record] = [r for r in caplog.records if r.getMessage() == "inside the view"]
    assert record.request_id == "req-from-nginx-01"


@pytest.mark.django_db
def test_django_request_log_lines_of_4xx_carry_the_id(client, caplog):
    """Django logs a 404 after the middleware returned: the filter finds the id on the
    request the record carries."""
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/metrics")
    assert response.status_code == 404
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == response["X-Request-ID"]


def test_outside_a_request_the_id_is_a_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    assert RequestIdFilter().filter(record) is True
    assert record.request_id == "-"


def test_the_json_formatter_writes_one_readable_object_per_line():
    record = logging.LogRecord(
        "htxso.x", logging.WARNING, __file__, 1, "xin chào %s", ("Cao Bằng",), None
    )
    token = request_id_var.set("req-json-0001")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line and "Cao Bằng" in line  # Vietnamese kept readable
    data = json.loads(line)
    assert data["message"] == "xin chào Cao Bằng"
    assert data["level"] == "WARNING" and data["logger"] == "htxso.x"
    assert data["request_id"] == "req-json-0001" and data["time"]


def test_the_console_handler_adds_the_request_id():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert "request_id" in console["filters"]
    assert settings.LOGGING["filters"]["request_id"]["()"] == "htxso.core.logging.RequestIdFilter"
    assert settings.LOG_FORMAT in ("json", "plain")


LOG_CODE = """
import django, logging
django.setup()
from htxso.core.requestid import request_id_var
log = logging.getLogger("htxso.obs")
token = request_id_var.set("req-0123456789")
log.warning("xin chào Cao Bằng")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("it broke")
request_id_var.reset(token)
log.warning("outside")
"""


@pytest.mark.slow
def test_log_format_json_gives_json_lines_with_the_request_id(tmp_path):
    result = run_python(LOG_CODE, {"LOG_FORMAT": "json", "HTXSO_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    by_message = {r["message"]: r for r in records}
    assert by_message["xin chào Cao Bằng"]["request_id"] == "req-0123456789"
    assert "ZeroDivisionError" in by_message["it broke"]["exc_info"]
    assert by_message["it broke"]["request_id"] == "req-0123456789"
    assert by_message["outside"]["request_id"] == "-"


@pytest.mark.slow
def test_the_default_format_stays_plain_with_the_request_id(tmp_path):
    result = run_python(LOG_CODE, {"HTXSO_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any("WARNING htxso.obs [req-0123456789]: xin chào Cao Bằng" in ln for ln in lines)
    assert any("WARNING htxso.obs [-]: outside" in ln for ln in lines)
    assert not any(ln.startswith("{") for ln in lines)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be"),
        ({"METRICS_TOKEN": "too-short"}, "METRICS_TOKEN must be 32"),
    ],
)
def test_bad_observability_settings_are_refused(tmp_path, env, refusal):
    result = run_python("import django; django.setup()", {**env, "HTXSO_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0 and refusal in result.stderr


# --- tasks carry the request id -----------------------------------------------------------


def test_a_task_run_at_once_runs_under_the_request_id():
    """Tests (and a trial without a worker) use the immediate backend."""
    runs.clear()
    token = request_id_var.set("req-immediate-01")
    try:
        remember_request_id.enqueue(label="now")
    finally:
        request_id_var.reset(token)
    assert runs == [("now", "req-immediate-01")]


def _worker():
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_stored_task_carries_the_request_id_to_the_worker_and_its_logs(caplog):
    from django_tasks_db.models import DBTaskResult

    from htxso.core import tasks as core_tasks

    runs.clear()
    token = request_id_var.set("req-enqueued-in-a-view")
    try:
        result = remember_request_id.enqueue(label="later")
    finally:
        request_id_var.reset(token)
    assert runs == []  # stored, not run
    row = DBTaskResult.objects.get(pk=result.id)
    # beside the arguments, never in them: the task's signature is unchanged
    assert row.args_kwargs == {
        "args": [],
        "kwargs": {"label": "later"},
        "request_id": "req-enqueued-in-a-view",
    }
    assert row.task_result.kwargs == {"label": "later"}

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="htxso.tests.observability"):
        # the worker: another process, with no request of its own
        contextvars.Context().run(_worker().run_task, row)
    assert runs == [("later", "req-enqueued-in-a-view")]
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    [line] = [r for r in caplog.records if r.getMessage() == "task later ran"]
    assert line.request_id == "req-enqueued-in-a-view"
    assert core_tasks._running == {}  # reset when the task finished


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_task_from_no_request_runs_under_its_own_id():
    from django_tasks_db.models import DBTaskResult

    runs.clear()
    result = remember_request_id.enqueue(label="cron")  # e.g. market_tick from cron
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.args_kwargs["request_id"] is None
    contextvars.Context().run(_worker().run_task, row)
    assert runs == [("cron", f"task-{result.id}")]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_an_insane_stored_request_id_is_not_used():
    from django_tasks_db.models import DBTaskResult

    runs.clear()
    result = remember_request_id.enqueue(label="odd")
    DBTaskResult.objects.filter(pk=result.id).update(
        args_kwargs={"args": [], "kwargs": {"label": "odd"}, "request_id": "a b\nforged line"}
    )
    contextvars.Context().run(_worker().run_task, DBTaskResult.objects.get(pk=result.id))
    assert runs == [("odd", f"task-{result.id}")]


# --- /metrics: who may scrape ---------------------------------------------------------------


def test_metrics_are_closed_by_default():
    from django.conf import settings

    assert settings.METRICS_ALLOW_LOOPBACK is False
    assert settings.METRICS_TOKEN == ""


@pytest.mark.django_db
def test_metrics_answer_the_token_and_nobody_else(client):
    assert scrape(client).status_code == 200
    with override_settings(METRICS_TOKEN=TOKEN):
        assert client.get("/metrics").status_code == 404
        for header in (
            f"Bearer {TOKEN}x",
            f"Bearer {TOKEN[:-1]}",
            f"Basic {TOKEN}",
            TOKEN,
            "Bearer ",
        ):
            assert client.get("/metrics", HTTP_AUTHORIZATION=header).status_code == 404, header
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}").status_code == 200
    # no token configured: an empty or any bearer opens nothing
    with override_settings(METRICS_TOKEN=""):
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.django_db
def test_metrics_from_loopback_only_when_allowed_and_not_relayed(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404  # off
    with override_settings(METRICS_ALLOW_LOOPBACK=True):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 404
        assert client.get("/metrics", REMOTE_ADDR="203.113.1.9").status_code == 404
        assert client.get("/metrics", REMOTE_ADDR="").status_code == 404
        # nginx on the same machine relays every visitor from 127.0.0.1
        for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"):
            relayed = {"REMOTE_ADDR": "127.0.0.1", header: "203.113.1.9"}
            assert client.get("/metrics", **relayed).status_code == 404, header


@pytest.mark.django_db
def test_metrics_refuse_writes_even_with_the_token(client):
    with override_settings(METRICS_TOKEN=TOKEN):
        assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405
        assert client.post("/metrics").status_code == 404


# --- /metrics: what it says ---------------------------------------------------------------


@pytest.mark.django_db
def test_latency_and_statuses_are_by_route_name_never_by_path(client):
    client.get("/healthz")
    path = reverse("registry:import_detail", args=[987654321])
    assert client.get(path).status_code == 302  # anonymous: to the sign-in page
    client.get("/khong-co-trang-nay-424242/")
    text = scrape(client).content.decode()
    samples = metric_samples(text)
    latency = {
        (s.labels["view"], s.labels["method"])
        for s in samples
        if s.name == "django_http_requests_latency_seconds_by_view_method_count"
    }
    assert ("healthz", "GET") in latency
    assert ("registry:import_detail", "GET") in latency
    statuses = {
        (s.labels["status"], s.labels["view"])
        for s in samples
        if s.name == "django_http_responses_total_by_status_view_method_total"
    }
    assert ("200", "healthz") in statuses
    assert ("302", "registry:import_detail") in statuses
    assert ("404", "<unnamed view>") in statuses
    for sample in samples:
        for value in sample.labels.values():
            # no id and no URL path in any label (a template name such as
            # "accounts/login.html", counted when an earlier test rendered it, is not a path)
            assert "987654321" not in value and "424242" not in value, sample
            assert not value.startswith("/") and "/khong-co" not in value, sample


@pytest.mark.django_db
def test_the_task_queue_is_read_at_scrape_time(client):
    for _ in range(2):
        make_task_row()
    make_task_row(queue="imports", age=120)
    make_task_row(status="FAILED", path="htxso.registry.tasks_import.process_import")
    make_task_row(status="FAILED", path="htxso.registry.tasks_import.process_import")
    make_task_row(status="SUCCESSFUL")
    samples = metric_samples(scrape(client).content.decode())

    def value(name, **labels):
        found = [s.value for s in samples if s.name == name and s.labels == labels]
        assert len(found) == 1, (name, labels)
        return found[0]

    assert value("htxso_tasks_table_up") == 1
    assert value("htxso_tasks_ready", queue="default") == 2
    assert value("htxso_tasks_ready", queue="imports") == 1
    assert 119 <= value("htxso_tasks_oldest_ready_seconds", queue="imports") < 200
    assert value("htxso_tasks_oldest_ready_seconds", queue="default") < 60
    failed = value("htxso_tasks", state="FAILED", task="htxso.registry.tasks_import.process_import")
    assert failed == 2
    assert value("htxso_tasks", state="SUCCESSFUL", task="htxso.core.tasks.send_email") == 1
    assert value("htxso_tasks", state="READY", task="htxso.core.tasks.send_email") == 3


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [0, 25])
def test_a_scrape_costs_two_queries(client, django_assert_num_queries, rows):
    for n in range(rows):
        make_task_row(queue=f"q{n % 4}", status="FAILED" if n % 5 == 0 else "READY")
    with django_assert_num_queries(2):
        assert scrape(client).status_code == 200


# --- the friendly 503 ----------------------------------------------------------------------


def test_a_500_with_a_working_database_stays_a_500():
    request = RequestFactory().get("/")
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponse(status=500))(request)
    assert response.status_code == 500

    def broken(request):
        raise RuntimeError("a bug, not an outage")

    with pytest.raises(RuntimeError):
        DatabaseUnavailableMiddleware(broken)(request)


DOWN_CODE = """
import json, time
import django
django.setup()
from django.test import Client
from django.urls import get_resolver

get_resolver().url_patterns  # import every app's views first: the timings are of requests
out = {}


def call(name, path, session=False, **extra):
    client = Client(raise_request_exception=False)
    if session:
        client.cookies["htxso_session"] = "a" * 32
    started = time.monotonic()
    response = client.get(path, **extra)
    out[name] = {
        "status": response.status_code,
        "body": response.content.decode(),
        "seconds": time.monotonic() - started,
        "headers": dict(response.items()),
    }


call("home", "/")
call("home_signed_in", "/", session=True)
call("page", "/cho/")
call("api", "/api/v1/geo/provinces")
call("api_signed_in", "/api/v1/geo/provinces", session=True)
call("healthz", "/healthz")
call("metrics", "/metrics", HTTP_AUTHORIZATION="Bearer " + %(token)r)
print("RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def database_down(tmp_path_factory):
    """Every answer of a process whose PostgreSQL refuses connections (nothing listens
    on 127.0.0.1:1), with JSON logs."""
    result = run_python(
        DOWN_CODE % {"token": TOKEN},
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/h_observability_down",
            "HTXSO_VAR_DIR": str(tmp_path_factory.mktemp("down")),
            "LOG_FORMAT": "json",
            "METRICS_TOKEN": TOKEN,
        },
    )
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, result.stdout + result.stderr
    logs = [json.loads(ln) for ln in result.stderr.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1][len("RESULT ") :]), logs


@pytest.mark.slow
@pytest.mark.parametrize("name", ["home", "home_signed_in", "page"])
def test_pages_answer_a_vietnamese_503_quickly(database_down, name):
    answers, _logs = database_down
    answer = answers[name]
    assert answer["status"] == 503, answer["body"][:2000]
    assert answer["seconds"] < 3
    body = answer["body"]
    assert "Tạm thời gián đoạn" in body and 'lang="vi"' in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert "127.0.0.1" not in body and "psycopg" not in body
    headers = answer["headers"]
    assert headers["Retry-After"] == "30" and "no-store" in headers["Cache-Control"]
    assert headers["X-Request-ID"] in body  # the reference to quote to support
    assert "Content-Security-Policy" in headers  # the security headers are kept


@pytest.mark.slow
@pytest.mark.parametrize("name", ["api", "api_signed_in"])
def test_the_api_answers_service_unavailable_json(database_down, name):
    answers, _logs = database_down
    answer = answers[name]
    assert answer["status"] == 503, answer["body"][:2000]
    assert answer["seconds"] < 3
    body = json.loads(answer["body"])
    assert body["code"] == "service_unavailable" and body["message"]
    assert answer["headers"]["Retry-After"] == "30"


@pytest.mark.slow
def test_healthz_and_metrics_say_the_database_is_down(database_down):
    answers, _logs = database_down
    health = answers["healthz"]
    assert health["status"] == 503
    assert json.loads(health["body"])["database"] == "error"
    metrics = answers["metrics"]
    assert metrics["status"] == 200  # the HTTP metrics still come out
    samples = metric_samples(metrics["body"])
    assert [s.value for s in samples if s.name == "htxso_tasks_table_up"] == [0]


@pytest.mark.slow
def test_the_outage_is_logged_with_the_request_id_and_no_personal_data(database_down):
    answers, logs = database_down
    outage = [r for r in logs if r["message"].startswith("Database unreachable: answered 503")]
    ids = {r["request_id"] for r in outage}
    assert answers["home"]["headers"]["X-Request-ID"] in ids
    assert answers["api"]["headers"]["X-Request-ID"] in ids
    for record in outage:
        assert record["level"] == "WARNING" and record["logger"] == "htxso.availability"
