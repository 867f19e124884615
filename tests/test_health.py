import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["database_vendor"] == connection.vendor


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def boom(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", boom)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
