"""Background work: immediate in tests, stored and run by the worker with the DB backend."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from htxso.core.notify import email_after_commit
from htxso.core.tasks import send_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_tasks_run_immediately_in_tests():
    result = send_email.enqueue(subject="Chào", body="Nội dung", recipients=["a@example.vn"])
    assert result.return_value == 1
    assert mail.outbox[0].subject == "Chào"


def test_email_after_commit_waits_for_the_commit_and_skips_on_rollback():
    with transaction.atomic():
        email_after_commit(subject="Đã lưu", body="x", recipients=["a@example.vn"])
        assert len(mail.outbox) == 0
    assert len(mail.outbox) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        email_after_commit(subject="Không gửi", body="x", recipients=["a@example.vn"])
        raise RuntimeError
    assert [m.subject for m in mail.outbox] == ["Đã lưu"]


def test_database_backend_and_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    result = send_email.enqueue(subject="Hàng đợi", body="x", recipients=["b@example.vn"])
    assert DBTaskResult.objects.filter(id=result.id).exists()
    assert len(mail.outbox) == 0
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", row.status
    assert [m.subject for m in mail.outbox] == ["Hàng đợi"]
