"""The GS1 Digital Link resolver and the public trace page."""

from __future__ import annotations

import pytest

from htxso.core.actors import OPERATOR

from .helpers import make_chain

pytestmark = pytest.mark.django_db


def test_lot_page_shows_origin_without_personal_data(client, world, django_assert_max_num_queries):
    c = make_chain(world.orgs["a1"])
    url = f"/01/{c.parchment.gtin}/10/{c.parchment.code}"
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert c.parchment.code in body and "HTX Nông nghiệp Hợp Giang" in body
    for cherry in c.cherries:  # one step back
        assert cherry.code in body
    assert c.green.code in body  # one step forward
    assert c.plots[0].ward.name in body
    assert "Nông Văn Mẫu" not in body  # the producer's name is personal data


def test_query_count_does_not_grow_with_the_chain(client, world):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_chain(world.orgs["a1"], plots=1)
    big = make_chain(world.orgs["b1"], plots=5, company="893860098")
    from htxso.trace.services import events

    from .helpers import at

    for days in (9, 8, 7):  # more events on the big lot's page
        events.observation_record(
            actor=OPERATOR, organisation=big.org, kind="storage", lots=[big.packaged], at=at(days)
        )
    counts = []
    for c in (small, big):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/01/{c.packaged.gtin}/10/{c.packaged.code}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_gtin_variants_and_unknown_lots(client, world):
    c = make_chain(world.orgs["a1"])
    assert client.get(f"/01/{c.packaged.gtin[1:]}/10/{c.packaged.code}").status_code == 200
    assert client.get(f"/01/{c.packaged.gtin}/10/NOPE").status_code == 404
    assert client.get(f"/01/12345/10/{c.packaged.code}").status_code == 404
    assert client.get(f"/01/08938600990019/10/{c.packaged.code}").status_code == 404


def test_json_ld_by_content_negotiation(client, world):
    c = make_chain(world.orgs["a1"])
    url = f"/01/{c.packaged.gtin}/10/{c.packaged.code}"
    response = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["type"] == "EPCISDocument"
    assert {e["htx:kind"] for e in doc["epcisBody"]["eventList"]} >= {"packing", "shipping"}


def test_english_page(client, world):
    c = make_chain(world.orgs["a1"])
    client.cookies["django_language"] = "en"
    body = client.get(
        f"/01/{c.packaged.gtin}/10/{c.packaged.code}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Journey of this lot" in body


def test_anonymous_page_is_cached_until_the_ledger_grows(
    client, world, django_assert_max_num_queries
):
    from django.core.cache import cache

    from htxso.trace.services import events
    from htxso.trace.views_public import CSRF_PLACEHOLDER

    from .helpers import at

    cache.clear()
    c = make_chain(world.orgs["a1"])
    url = f"/01/{c.green.gtin}/10/{c.green.code}"
    first = client.get(url).content.decode()
    with django_assert_max_num_queries(2):
        again = client.get(url)
    body = again.content.decode()
    assert CSRF_PLACEHOLDER not in body and 'name="csrfmiddlewaretoken"' in body
    assert body.count(c.green.code) == first.count(c.green.code)
    assert "Lưu kho" not in body
    events.observation_record(
        actor=OPERATOR, organisation=c.org, kind="storage", lots=[c.green], at=at(1)
    )
    assert "Lưu kho" in client.get(url).content.decode()
    # the language switch works from a cached page (the token is the visitor's own)
    client2 = type(client)(enforce_csrf_checks=True)
    page = client2.get(url).content.decode()
    import re

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client2.post(
        "/ngon-ngu/", {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code in (302, 200), response.status_code


def test_trace_url_for_gtin_for_other_apps(world):
    from htxso.trace.selectors import trace_url_for_gtin

    c = make_chain(world.orgs["a1"], plots=1)
    assert trace_url_for_gtin(c.packaged.gtin[1:]) == f"/01/{c.packaged.gtin}/10/{c.packaged.code}"
    assert trace_url_for_gtin("8934567890128") is None
    assert trace_url_for_gtin("not a gtin") is None


def test_cached_page_survives_a_busy_cache(client, world, django_assert_num_queries):
    """Thousands of other cached entries (every visited lot's page, fragments, rate
    counters) must not evict a popular page: the local cache used to hold 300 entries,
    so under load most "cached" visits rendered the page again."""
    from django.core.cache import cache

    cache.clear()
    c = make_chain(world.orgs["a1"])
    url = f"/01/{c.green.gtin}/10/{c.green.code}"
    assert client.get(url).status_code == 200
    cache.set_many({f"other-page-{i}": b"x" * 100 for i in range(2_000)})
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_quantities_are_grouped_by_thousands_in_each_language(client, world):
    """A cherry lot of 1000 kg reads "1.000 kg" in Vietnamese and "1,000 kg" in English
    (unit kept on the same line), never "1000 kg"."""
    c = make_chain(world.orgs["a1"])
    url = f"/01/{c.parchment.gtin}/10/{c.parchment.code}"
    body = client.get(url).content.decode()
    assert "1.000&nbsp;kg" in body and "1000&nbsp;kg" not in body
    client.cookies["django_language"] = "en"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Journey of this lot" in body
    assert "1,000&nbsp;kg" in body and "1.000&nbsp;kg" not in body
