import json

import pytest
from django.core import mail

from htxso.core import messaging


def test_memory_backend_keeps_sms_and_zalo():
    messaging.send_message(channel="sms", to="+84912345678", text="Mã: 123456", purpose="code")
    messaging.send_message(channel="zalo", to="+84912345678", text="Xin chào", purpose="hello")
    assert [m.channel for m in messaging.sent_to("+84912345678")] == ["sms", "zalo"]
    assert messaging.sent_to("+84912345678", "code")[0].text == "Mã: 123456"


def test_email_goes_through_django_mail():
    messaging.send_message(channel="email", to="a@example.vn", text="Nội dung", subject="Tiêu đề")
    assert mail.outbox[-1].subject == "Tiêu đề"
    assert mail.outbox[-1].to == ["a@example.vn"]
    assert messaging.sent_to("a@example.vn")[0].channel == "email"


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError):
        messaging.send_message(channel="fax", to="1", text="x")


def test_file_backend_writes_json_lines(settings, tmp_path):
    settings.HTXSO_MESSAGE_BACKEND = "file"
    settings.VAR_DIR = tmp_path
    messaging.send_message(channel="sms", to="+84912345678", text="Mã xác nhận 654321")
    line = (tmp_path / "messages" / "outbox.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(line)["text"] == "Mã xác nhận 654321"


def test_console_backend_prints(settings, capsys):
    settings.HTXSO_MESSAGE_BACKEND = "console"
    messaging.send_message(channel="sms", to="+84912345678", text="Mã 111222")
    assert "+84912345678" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_after_commit_sends_nothing_on_rollback():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        messaging.send_after_commit(channel="sms", to="+84900000000", text="x")
        raise RuntimeError
    assert messaging.sent_to("+84900000000") == []
    with transaction.atomic():
        messaging.send_after_commit(channel="sms", to="+84900000000", text="y")
    assert [m.text for m in messaging.sent_to("+84900000000")] == ["y"]
