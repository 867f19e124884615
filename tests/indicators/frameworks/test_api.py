"""The frameworks API: scoped lists, stable error codes."""

import pytest

from .helpers import cached, framework, indicator, target

pytestmark = pytest.mark.django_db

BASE = "/api/v1/indicators/frameworks"


@pytest.fixture
def data(world):
    nat = framework("eu", name="Khung EU")
    dl = framework("dl", province="66", name="Khung Đắk Lắk")
    ind = indicator(nat, "coops", disaggregations=["province"])
    target(ind, "2027", 10)
    cached(ind, "2025S2", 4)
    cached(ind, "2025S2", 3, cell="province=04")
    indicator(dl, "dl-coops")
    return nat


def call(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_list_is_scoped(client, world, data):
    codes = [f["code"] for f in call(client, world.users["officer_a"], BASE).json()]
    assert codes == ["eu"]
    codes = {f["code"] for f in call(client, world.users["vca"], BASE).json()}
    assert codes == {"eu", "dl"}
    assert call(client, world.users["manager_a1"], BASE).status_code == 403


def test_detail_and_values(client, world, data):
    body = call(client, world.users["viewer_a"], f"{BASE}/eu").json()
    assert [i["code"] for i in body["indicators"]] == ["coops"]
    body = call(client, world.users["viewer_a"], f"{BASE}/eu/values?period=2025S2").json()
    row = body["rows"][0]
    assert row["value"] == "4.0000" or row["value"].startswith("4")
    assert row["cells"] == {"province=04": "3.0000"} or list(row["cells"]) == ["province=04"]
    assert row["target"]["period"] == "2027" and row["status"] in {
        "no_data",
        "off_track",
        "at_risk",
        "on_track",
        "met",
    }


@pytest.mark.parametrize(
    "path,status,code",
    [
        (f"{BASE}/dl", 404, "not_found"),
        (f"{BASE}/dl/values", 404, "not_found"),
        (f"{BASE}/eu/values?period=2025S3", 400, "period_invalid"),
        (f"{BASE}/eu/values?period=2025&province=66", 404, "province_unknown"),
        (f"{BASE}/khong-co", 404, "not_found"),
    ],
)
def test_errors(client, world, data, path, status, code):
    response = call(client, world.users["officer_a"], path)
    assert response.status_code == status
    assert response.json()["code"] == code
