"""Text arriving in query strings, forms and API bodies is NFC and NUL-free."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

pytestmark = pytest.mark.django_db

DECOMPOSED = unicodedata.normalize("NFD", "Cà phê Ea Tu")


def test_query_string_is_nfc_and_search_matches_decomposed_input(client, world):
    assert DECOMPOSED != "Cà phê Ea Tu"
    client.force_login(world.users["vca"])
    body = client.get("/to-chuc/", {"q": DECOMPOSED}).content.decode()
    assert "HTX Cà phê Ea Tu" in body
    api = client.get("/api/v1/registry/organisations", {"q": DECOMPOSED}).json()
    assert [o["name"] for o in api] == ["HTX Cà phê Ea Tu"]


def test_form_posts_are_nfc(client, world):
    from htxso.accounts.models import ApiToken

    client.force_login(world.users["vca"])
    client.post(
        "/tai-khoan/token/", {"name": unicodedata.normalize("NFD", "Báo cáo\x00 tỉnh"), "days": "5"}
    )
    assert ApiToken.objects.get(user=world.users["vca"]).name == "Báo cáo tỉnh"


def test_huge_form_is_refused_cleanly(client, world, settings):
    client.force_login(world.users["vca"])
    response = client.post(
        "/tai-khoan/token/",
        {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10), "days": "5"},
    )
    assert response.status_code in (400, 413)
    assert not world.users["vca"].api_tokens.exists()


def test_script_in_text_is_escaped(client, world):
    from htxso.registry.models import Organisation

    Organisation.objects.create(
        kind="group", name='<script>alert("x")</script> Tổ hợp tác', province_id="04"
    )
    client.force_login(world.users["officer_a"])
    body = client.get("/to-chuc/").content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_python_dash_m_htxso_is_manage_py():
    result = subprocess.run(
        [sys.executable, "-m", "htxso", "help", "seed_demo"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "idempotent" in result.stdout
