"""The trace card on the signed-in home page and the navigation link."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_card_for_managers_and_staff_only(client, world):
    client.force_login(world.users["manager_a1"])
    body = client.get("/").content.decode()
    assert "Mở truy xuất nguồn gốc" in body and 'href="/truy-xuat/"' in body
    client.force_login(world.users["buyer"])
    assert "Mở truy xuất nguồn gốc" not in client.get("/").content.decode()
