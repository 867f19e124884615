"""Background work through the Django Tasks API.

The database backend (``django_tasks_db``) stores tasks; ``python -m htxso db_worker``
runs them.  Tests use the immediate backend, so a task runs as soon as it is enqueued.

A task carries the request id of the request that enqueued it (``core.requestid``):
:class:`DatabaseBackend` stores it beside the task's arguments (never in them, so no
task changes its signature), and while the worker runs the task the id is current
again, so the task's log lines show it.  A task enqueued outside a request (cron, a
command) runs under ``task-<its id>``.
"""

from __future__ import annotations

from contextvars import Token
from typing import TYPE_CHECKING, Any

from django.core.mail import send_mail
from django_tasks import task
from django_tasks.base import Task, TaskResult
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend

from .requestid import current_request_id, request_id_var, sane_request_id

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

#: the key beside "args" and "kwargs" in a stored task's ``args_kwargs``
REQUEST_ID_KEY = "request_id"


class DatabaseBackend(_DatabaseBackend):
    """``django_tasks_db.DatabaseBackend`` that stores the current request id with each
    task (the worker's ``task_started`` handler below makes it current again)."""

    def _stored(self, task: Task, args: Any, kwargs: Any) -> dict[str, Any]:
        return {
            "id": self._get_id(),
            "args_kwargs": {
                **normalize_json({"args": args, "kwargs": kwargs}),
                REQUEST_ID_KEY: current_request_id(),
            },
            "priority": task.priority,
            "task_path": task.module_path,
            "queue_name": task.queue_name,
            "run_after": task.run_after,
            "backend_name": self.alias,
        }

    def _task_to_db_task(self, task: Task, args: Any, kwargs: Any) -> DBTaskResult:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.create(**self._stored(task, args, kwargs))

    async def _atask_to_db_task(self, task: Task, args: Any, kwargs: Any) -> DBTaskResult:
        from django_tasks_db.models import DBTaskResult

        return await DBTaskResult.objects.acreate(**self._stored(task, args, kwargs))


# the request id set for a running task (by task result id), reset when it finishes
_running: dict[str, Token[str | None]] = {}


def _request_id_of(task_result: TaskResult) -> str | None:
    stored = getattr(task_result, "db_result", None)
    args_kwargs = getattr(stored, "args_kwargs", None)
    if isinstance(args_kwargs, dict):
        return sane_request_id(args_kwargs.get(REQUEST_ID_KEY))
    return None


def task_started_request_id(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """The task runs under the request id it was enqueued with (the immediate backend
    runs it inside that request already); a task from no request under its own id."""
    rid = _request_id_of(task_result)
    if rid is None:
        if current_request_id() is not None:
            return
        rid = sane_request_id(f"task-{task_result.id}")
        if rid is None:
            return
    _running[str(task_result.id)] = request_id_var.set(rid)


def task_finished_request_id(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    token = _running.pop(str(task_result.id), None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (cannot happen in one worker thread)
            request_id_var.set(None)


task_started.connect(task_started_request_id, dispatch_uid="htxso_task_request_id_started")
task_finished.connect(task_finished_request_id, dispatch_uid="htxso_task_request_id_finished")


# (after the backend class: ``@task()`` instantiates the configured backend, which may be
# the class above, while this module is being imported)
@task()
def send_email(*, subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; returns the number sent."""
    return send_mail(subject, body, None, recipients, fail_silently=False)
