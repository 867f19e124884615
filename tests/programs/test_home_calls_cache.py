"""The provincial staff's home-page calls are computed once per version of the
programme data and forgotten by every write that changes them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from htxso.core.scoping import get_scope
from htxso.programs.models import Application, CallProvince, CallStatus
from htxso.programs.selectors import home_card
from htxso.programs.services import applications, calls
from tests.programs.helpers import make_call

pytestmark = pytest.mark.django_db


def _card(user):
    return home_card(user)


def test_a_second_officer_of_the_province_reads_the_cache(world):
    make_call(world.users["vca"])
    first = _card(world.users["officer_a"])
    get_scope(world.users["viewer_a"])  # the viewer's roles, read once per request
    with CaptureQueriesContext(connection) as seen:
        again = _card(world.users["viewer_a"])
    assert [c.pk for c in again["calls"]] == [c.pk for c in first["calls"]]
    # only the viewer's notifications are read; the calls come from the cache
    assert len(seen) == 1, [q["sql"][:80] for q in seen.captured_queries]


def test_publishing_and_applying_show_at_once(world):
    officer = world.users["officer_a"]
    call = make_call(world.users["vca"])
    before = {c.pk: c for c in _card(officer)["calls"]}[call.pk]
    assert before.status == CallStatus.OPEN and not before.published_here
    assert _card(officer)["to_publish"] == 1

    calls.call_publish(actor=officer, call=call, province_id="04")
    assert CallProvince.objects.filter(call=call, province_id="04").exists()
    after = {c.pk: c for c in _card(officer)["calls"]}[call.pk]
    assert after.published_here
    assert _card(officer)["to_publish"] == 0

    application = applications.application_start(
        actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
    )
    waiting_before = _card(officer)["waiting"]
    Application.objects.get(pk=application.pk)  # exists
    from htxso.programs.selectors import WAITING_REVIEW

    application.status = next(iter(WAITING_REVIEW))
    application.save(update_fields=["status"])
    assert _card(officer)["waiting"] == waiting_before + 1


def test_other_provinces_have_their_own_entry(world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    a = {c.pk: c for c in _card(world.users["officer_a"])["calls"]}[call.pk]
    b = {c.pk: c for c in _card(world.users["officer_b"])["calls"]}[call.pk]
    assert a.published_here and not b.published_here
