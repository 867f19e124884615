"""Open data (public fields only, streamed, UTF-8 BOM) and the targets loader."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from htxso.registry.exports import OPEN_DATA_FIELDS

from .test_stats_world import PERSON_CITIZEN_ID, PERSON_NAME, PERSON_PHONE, build_stats_world

pytestmark = pytest.mark.django_db

EXPECTED_FIELDS = {
    "name",
    "kind",
    "kind_name",
    "tax_code",
    "province_code",
    "province",
    "ward_code",
    "ward",
    "status",
    "status_name",
    "established_on",
    "sector",
    "sector_name",
    "main_products",
    "ocop_3_stars",
    "ocop_4_stars",
    "ocop_5_stars",
}
SECRETS = (PERSON_NAME, PERSON_CITIZEN_ID, PERSON_PHONE, "Kinh", "1995-04-02", "02/04/1995")


def _body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _csv(client, **params):
    response = client.get(reverse("registry:open_data_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = _body(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_exactly_the_public_columns_and_no_personal_data(client, world):
    build_stats_world(world)
    world.orgs["a1"].phone = PERSON_PHONE  # even an organisation phone stays out
    world.orgs["a1"].save()
    raw, rows = _csv(client)
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert set(header) == EXPECTED_FIELDS and header == OPEN_DATA_FIELDS
    text = raw.decode("utf-8-sig")
    for secret in SECRETS:
        assert secret not in text, secret
    assert len(rows) == 6
    a1 = next(r for r in rows if r["tax_code"] == "0100233488")
    assert a1["name"] == "HTX Nông nghiệp Hợp Giang"
    assert a1["kind"] == "cooperative" and a1["province_code"] == "04"
    assert a1["kind_name"] == "Hợp tác xã"
    a2 = next(r for r in rows if r["kind"] == "group")
    assert a2["tax_code"] == "" and a2["ocop_5_stars"] == "1"


def test_ocop_columns_count_valid_products_by_stars(client, world):
    import datetime as dt

    from htxso.registry.models import OcopProduct

    today = dt.date.today()
    a1 = world.orgs["a1"]
    for stars, expires in (
        (4, today + dt.timedelta(days=30)),
        (4, today),
        (5, today.replace(year=today.year + 1)),
    ):
        OcopProduct.objects.create(
            organisation=a1,
            name=f"SP {stars}",
            stars=stars,
            certified_on=today.replace(year=today.year - 2),
            expires_on=expires,
        )
    _raw, rows = _csv(client, province="04")
    a1_row = next(r for r in rows if r["tax_code"] == "0100233488")
    assert (a1_row["ocop_3_stars"], a1_row["ocop_4_stars"], a1_row["ocop_5_stars"]) == (
        "0",
        "1",
        "1",
    )


def test_csv_filters_by_province_and_refuses_unknown_ones(client, world):
    _raw, rows = _csv(client, province="66")
    assert [r["name"] for r in rows] == ["HTX Cà phê Ea Tu"]
    for bad in ("99", "xx", "0466", "'"):
        assert client.get(reverse("registry:open_data_csv"), {"province": bad}).status_code == 404


def test_csv_neutralises_formulas(client, world):
    from htxso.registry.models import Organisation

    Organisation.objects.create(
        kind="group", name='=HYPERLINK("http://x","y")', province_id="04", main_products="+1"
    )
    _raw, rows = _csv(client)
    row = next(r for r in rows if "HYPERLINK" in r["name"])
    assert row["name"].startswith("'=") and row["main_products"] == "'+1"


def test_json_parses_back_with_the_same_fields(client, world):
    build_stats_world(world)
    response = client.get(reverse("registry:open_data_json"), {"province": "04"})
    assert response.status_code == 200
    raw = _body(response)
    for secret in SECRETS:
        assert secret not in raw.decode(), secret
    data = json.loads(raw)
    assert data["fields"] == OPEN_DATA_FIELDS and data["province"] == "04"
    assert len(data["organisations"]) == 5
    for row in data["organisations"]:
        assert set(row) == EXPECTED_FIELDS
    a3 = next(r for r in data["organisations"] if r["tax_code"] == "0101245486")
    assert a3["ocop_3_stars"] == 0  # expired


def test_json_of_an_empty_province_is_valid(client, world):
    data = json.loads(_body(client.get(reverse("registry:open_data_json"), {"province": "19"})))
    assert data["organisations"] == []


def test_open_data_needs_no_sign_in_and_streams_many_rows(client, world):
    from htxso.registry.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(kind="group", name=f"Tổ hợp tác số {i}", province_id="01", search_text="")
        for i in range(1200)
    )
    response = client.get(reverse("registry:open_data_csv"), {"province": "01"})
    chunks = list(response.streaming_content)
    assert len(chunks) > 2  # written in batches, not built in memory at once
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(rows) == 1200
    assert client.get(reverse("registry:open_data")).status_code == 200


# -------------------------------------------------------------- load_targets ---


def test_load_targets_is_idempotent_and_matches_the_sources():
    from htxso.registry.models import ProvinceTarget

    out = io.StringIO()
    call_command("load_targets", stdout=out)
    assert "12 created" in out.getvalue()
    call_command("load_targets", stdout=out)
    assert "0 created, 0 updated, 12 unchanged" in out.getvalue()
    tn = {t.indicator: t for t in ProvinceTarget.objects.filter(province_id="19", year=2030)}
    assert tn["groups"].value == 5000 and tn["group_members"].value == 77000
    assert tn["cooperatives"].value == 1000 and tn["cooperative_members"].value == 35000
    assert tn["unions"].value == 6
    assert (tn["share_good_or_fair"].comparison, tn["share_good_or_fair"].value) == (">", 60)
    assert (tn["share_value_chain"].comparison, tn["share_value_chain"].value) == (">=", 50)
    assert (tn["high_tech"].comparison, tn["high_tech"].value) == (">", 100)
    na = {t.indicator: t for t in ProvinceTarget.objects.filter(province_id="40")}
    assert float(na["share_effective"].value) == pytest.approx(888 / 935 * 100, abs=0.01)
    assert na["revenue_per_cooperative"].value == 2_600_000_000
    assert (na["income_per_worker"].comparison, na["income_per_worker"].value) == (">", 5_000_000)
    assert na["cooperatives"].value == 935
    # a changed value is put back
    ProvinceTarget.objects.filter(pk=tn["unions"].pk).update(value=7)
    call_command("load_targets", stdout=out)
    assert "0 created, 1 updated" in out.getvalue()


def test_nghe_an_reference_values_show_as_references(world):
    from htxso.registry import stats

    call_command("load_targets", stdout=io.StringIO())
    board = stats.dashboard(user=world.users["vca"], province="40", year=2024, use_cache=False)
    row = board.indicator("share_effective")
    assert row.target.reference and row.target.year == 2025
    tn = stats.dashboard(user=world.users["vca"], province="19", year=2024, use_cache=False)
    assert not tn.indicator("high_tech").target.reference
    assert tn.indicator("high_tech").target.year == 2030
