"""Issue 13: notifications were stored as sentences in the language of the day, so a
reader who switched to English kept reading "…đã nộp hồ sơ đăng ký…".  They now keep a
message key and its parameters and are translated when shown."""

import pytest
from django.utils import translation

from htxso.programs.messages import MESSAGES, render_message
from htxso.programs.models import Notification
from htxso.programs.services import calls

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db


def _read_in(client, user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get("/chuong-trinh/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_notification_is_shown_in_the_readers_language_of_the_moment(client, world):
    officer = world.users["officer_a"]
    officer.preferred_language = "vi"
    officer.save(update_fields=["preferred_language"])
    call = make_call(world.users["vca"])
    calls.call_publish(actor=officer, call=call, province_id="04")
    make_eligible(world.orgs["a1"])
    apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])

    note = Notification.objects.get(user=officer)
    assert note.message_key == "application.submitted"
    assert note.params == {"name": world.orgs["a1"].name, "title": call.title}
    with translation.override("vi"):
        assert note.message == render_message(note.message_key, note.params)

    body = _read_in(client, officer, "en")
    english = f"{world.orgs['a1'].name} submitted an application to {call.title}"
    assert english in body
    with translation.override("vi"):
        vietnamese = render_message(note.message_key, note.params)
    if vietnamese != english:  # the catalogue translates it: not shown in English
        assert vietnamese not in body
    # back in Vietnamese, the same row reads in Vietnamese again
    assert vietnamese in _read_in(client, officer, "vi")


def test_old_notifications_are_shown_as_stored(client, world):
    officer = world.users["officer_a"]
    Notification.objects.create(user=officer, message="Thông báo cũ: đã nộp hồ sơ", url="")
    Notification.objects.create(
        user=officer, message="Khoá lạ", message_key="no.such.key", params={"x": "1"}
    )
    body = _read_in(client, officer, "en")
    assert "Thông báo cũ: đã nộp hồ sơ" in body
    assert "Khoá lạ" in body


def test_every_message_key_renders_with_its_parameters():
    params = {"title": "T", "name": "N", "province": "P", "n": 3, "date": "08:00 01/01/2027"}
    for key in MESSAGES:
        with translation.override("en"):
            assert render_message(key, params), key
    assert render_message("application.submitted", {"title": "T"}) is None
