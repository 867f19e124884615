"""The public lot page on a phone: the journey first, the plots folded into a count
with an expandable list, the hashes under "Technical information", units that never
wrap, and event summaries in the reader's language."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation

from htxso.core.actors import OPERATOR
from htxso.trace.services import events

from .helpers import at, make_chain

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _page(client, lot, language="en"):
    client.cookies["django_language"] = language
    return client.get(
        f"/01/{lot.gtin}/10/{lot.code}", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", NBSP)


def test_journey_comes_before_the_plots_which_fold_into_a_count(client, world):
    c = make_chain(world.orgs["a1"], plots=5)
    body = _page(client, c.parchment)
    journey = body.index("Journey of this lot")
    origin = body.index("Where it was grown")
    assert journey < origin
    details = body.index('<details class="plot-details">', origin)
    # the count and the area come before the list, the list is collapsed
    assert "5 plots" in body[origin:details]
    for plot in c.plots:
        assert body.index(plot.code, origin) > details


def test_event_hashes_are_under_technical_information(client, world):
    c = make_chain(world.orgs["a1"])
    body = _page(client, c.packaged)
    tech = body.index('<details class="card trace-tech">')
    assert "Technical information" in body[tech:]
    assert "ni:///sha-256" in body
    assert body.index("ni:///sha-256") > tech
    assert '<details class="card trace-tech" open' not in body


def test_units_never_wrap_before_the_unit(client, world):
    c = make_chain(world.orgs["a1"], plots=3)
    text = _strip_tags(_page(client, c.packaged, "vi"))
    assert f"500{NBSP}g" in text  # "Cà phê rang xay 500 g"
    assert not re.search(r"\d (kg|g|ha)\b", text), re.findall(r".{20}\d (?:kg|g|ha)\b", text)
    text = _strip_tags(_page(client, c.parchment, "en"))
    assert re.search(rf"\d{NBSP}ha in all", text)
    assert not re.search(r"\d (kg|g|ha)\b", text), re.findall(r".{20}\d (?:kg|g|ha)\b", text)


def _half_percent_loss(org, c):
    """A packing step of 200 kg → 199 kg (yield 99.5 %), recorded in Vietnamese."""
    with translation.override("vi"):
        ev = events.transformation_record(
            actor=OPERATOR,
            organisation=org,
            kind="packing",
            inputs=[(c.green, Decimal("200"))],
            outputs=[(c.items["packaged"], Decimal("199"), None)],
            at=at(12),
        )
    return ev.lot_links.get(role="output").lot


def test_yield_is_written_in_the_readers_language(client, world):
    org = world.orgs["a1"]
    c = make_chain(org)
    lot = _half_percent_loss(org, c)
    english = _strip_tags(_page(client, lot, "en"))
    assert f"200{NBSP}kg → 199{NBSP}kg (yield 99.5%)" in english
    assert "tỷ lệ" not in english
    vietnamese = _strip_tags(_page(client, lot, "vi"))
    assert "99,5%" in vietnamese and "99.5%" not in vietnamese


def test_manager_lot_page_shows_the_yield_in_the_readers_language(client, world):
    org = world.orgs["a1"]
    c = make_chain(org)
    lot = _half_percent_loss(org, c)
    manager = world.users["manager_a1"]
    manager.preferred_language = "en"
    manager.save(update_fields=["preferred_language"])
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    body = client.get(f"/truy-xuat/lo/{lot.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = _strip_tags(body)
    assert "(yield 99.5%)" in text
    assert "tỷ lệ thu hồi" not in text
