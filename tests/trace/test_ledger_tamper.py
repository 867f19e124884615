"""Tampering with stored events or ledger rows through SQL is caught, and the verifier
names the first bad event (command and public page)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from htxso.trace.models import DailyRoot, Event, LedgerRow
from htxso.trace.services.ledger import daily_roots_catch_up, ledger_verify

from .helpers import make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    cache.clear()
    return make_chain(world.orgs["a1"])


def _sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def test_intact_chain_verifies(chain, capsys):
    report = ledger_verify()
    assert report.verification.ok and report.verification.checked == 6
    call_command("trace_verify")
    assert "OK: 6 events verified" in capsys.readouterr().out


def test_edited_event_body_is_named(chain):
    victim = chain.events[2]
    body = dict(victim.body)
    body["outputQuantityList"][0]["quantity"] = 9999.0
    _sql(
        f"UPDATE {Event._meta.db_table} SET body = %s WHERE id = %s", [json.dumps(body), victim.pk]
    )
    report = ledger_verify()
    assert not report.verification.ok
    assert report.verification.code == "edited"
    assert report.verification.first_bad_seq == victim.ledger_row.seq
    assert report.event.event_id == victim.event_id
    with pytest.raises(CommandError, match=victim.event_id):
        call_command("trace_verify")


def test_deleted_ledger_row_is_named(chain):
    victim = chain.events[3].ledger_row
    _sql(f"DELETE FROM {LedgerRow._meta.db_table} WHERE id = %s", [victim.pk])
    report = ledger_verify()
    assert not report.verification.ok
    assert report.verification.code == "deleted_or_reordered"
    assert report.verification.first_bad_seq == victim.seq
    assert report.event.event_id == chain.events[3].event_id  # the event whose row is gone


def test_reordered_rows_are_named(chain):
    a, b = chain.events[1].ledger_row, chain.events[2].ledger_row
    table = LedgerRow._meta.db_table
    _sql(f"UPDATE {table} SET seq = %s WHERE id = %s", [1000, a.pk])
    _sql(f"UPDATE {table} SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _sql(f"UPDATE {table} SET seq = %s WHERE id = %s", [b.seq, a.pk])
    report = ledger_verify()
    assert not report.verification.ok
    assert report.verification.first_bad_seq == a.seq


def test_edited_stored_hash_is_caught(chain):
    victim = chain.events[0].ledger_row
    _sql(
        f"UPDATE {LedgerRow._meta.db_table} SET event_hash = %s WHERE id = %s",
        ["ni:///sha-256;" + "0" * 64 + "?ver=CBV2.0", victim.pk],
    )
    report = ledger_verify()
    assert not report.verification.ok and report.verification.first_bad_seq == 1


def test_public_page_names_the_first_bad_event(client, chain):
    victim = chain.events[1]
    body = dict(victim.body, eventTime="2020-01-01T00:00:00.000+07:00")
    _sql(
        f"UPDATE {Event._meta.db_table} SET body = %s WHERE id = %s", [json.dumps(body), victim.pk]
    )
    cache.clear()
    response = client.get("/truy-xuat/so-cai/?kiem-tra=1")
    assert response.status_code == 200
    text = response.content.decode()
    assert victim.event_id in text
    assert f">{victim.ledger_row.seq}<" in text or f" {victim.ledger_row.seq}" in text


def test_daily_roots_are_published_once(chain, client):
    import datetime as dt

    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    roots = daily_roots_catch_up(until=tomorrow)
    assert len(roots) == 1 and roots[0].count == 6 and len(roots[0].root) == 64
    assert daily_roots_catch_up(until=tomorrow) == []
    assert DailyRoot.objects.count() == 1
    data = client.get("/truy-xuat/so-cai/goc-hang-ngay.json").json()
    assert data["roots"][0]["root"] == roots[0].root
