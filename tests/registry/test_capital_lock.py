"""One source of truth for a member's capital: once a cooperative's capital register has
started (governance: one movement), the registry's member form, its service (what an API
would call) and its Excel import leave ``Membership.capital`` to the register; before,
they edit it freely."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.registry import capital_owner
from htxso.registry.importing import run_import_file
from htxso.registry.models import Membership, Person
from htxso.registry.services import members as services
from htxso.registry.services.members import PersonData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _member(org, name, capital):
    person = Person.objects.create(organisation=org, full_name=name)
    return Membership.objects.create(
        organisation=org,
        person=person,
        kind="official",
        joined_on=dt.date(2020, 1, 1),
        capital=capital,
    )


def start_register(world, key="a1"):
    """The register of ``key`` starts: an opening balance of one member."""
    from htxso.governance import services_register

    m = _member(world.orgs[key], f"Người mở sổ {key}", 10_000_000)
    manager = world.users["manager_a1" if key == "a1" else "manager_b1"]
    services_register.record_opening_balance(actor=manager, membership=m)
    return m


def form(**kw):
    data = {
        "full_name": "Nông Văn Dũng",
        "citizen_id": "004090001234",
        "sex": "male",
        "birth_date": "1990-05-01",
        "kind": "official",
        "joined_on": "2024-03-01",
        "capital": "20.000.000",
    }
    data.update(kw)
    return data


def url(world, key="a1"):
    return f"/to-chuc/{world.orgs[key].pk}/thanh-vien/them/"


def test_the_hook_follows_the_register(world):
    a1 = world.orgs["a1"].pk
    assert not capital_owner.capital_managed(a1)
    assert capital_owner.capital_managed(a1) is False  # cached, still right
    start_register(world)
    assert capital_owner.capital_managed(a1)
    assert not capital_owner.capital_managed(world.orgs["b1"].pk)
    assert capital_owner.managed_among([a1, world.orgs["b1"].pk]) == {a1}
    assert capital_owner.register_url(a1).endswith(f"/von/htx/{a1}/")


# ----------------------------------------------------------------- the member form


def test_form_edits_capital_freely_before_the_register(client, world):
    client.force_login(world.users["manager_a1"])
    page = client.get(url(world)).content.decode()
    assert "capital register" not in page and "readonly" not in page
    assert client.post(url(world), form()).status_code == 302
    assert Membership.objects.get(person__full_name="Nông Văn Dũng").capital == 20_000_000


def test_form_shows_capital_read_only_and_refuses_a_change_once_started(client, world):
    start_register(world)
    user = world.users["manager_a1"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    page = client.get(url(world)).content.decode()
    assert "The capital contributed is recorded in the capital register" in page
    assert f'href="/quan-tri-htx/von/htx/{world.orgs["a1"].pk}/"' in page
    assert 'name="capital"' in page and "readonly" in page
    before = (Membership.objects.count(), AuditEvent.objects.count())
    r = client.post(url(world), form())
    assert r.status_code == 200
    assert "recorded in the capital register" in r.content.decode()
    errors = r.context["form"].errors.as_data()["capital"]
    assert [e.code for e in errors] == [capital_owner.CODE]
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before
    # the same member with no capital (it is recorded in the register later): saved
    assert client.post(url(world), form(capital="0")).status_code == 302
    assert Membership.objects.get(person__full_name="Nông Văn Dũng").capital == 0
    # an associate with capital joins with 0 too (the register records the contribution)
    data = form(full_name="Lò Thị Mai", citizen_id="", kind="capital_associate", capital="")
    assert client.post(url(world), data).status_code == 302


def test_another_cooperatives_register_locks_nothing_here(client, world):
    start_register(world, "b1")
    client.force_login(world.users["manager_a1"])
    assert client.post(url(world), form()).status_code == 302


# ----------------------------------------------------------------- the service (API)


def test_service_refuses_with_a_stable_code(world):
    start_register(world)
    person = PersonData(full_name="Lò Thị Mai", birth_date=dt.date(1995, 2, 2))
    args = {
        "actor": world.users["manager_a1"],
        "organisation": world.orgs["a1"],
        "person": person,
        "kind": "official",
        "joined_on": dt.date(2024, 1, 1),
    }
    count = Membership.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.member_register(capital=1_000_000, **args)
    assert exc.value.code == "capital_managed_by_register"
    assert exc.value.kind is Kind.CONFLICT  # the API answers 409 with this code
    assert Membership.objects.count() == count
    assert services.member_register(capital=0, **args).capital == 0


def test_api_error_body_carries_the_code(world):
    """The one place errors become JSON (core.api) gives the code to the client."""
    import json

    from django.test import RequestFactory

    from htxso import api as api_module

    exc = capital_owner.refusal()
    handler = api_module.api._exception_handlers[ServiceError]
    response = handler(RequestFactory().post("/api/v1/x"), exc)
    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "capital_managed_by_register"


# ----------------------------------------------------------------- the Excel import


HEADERS = ["MST HTX", "Họ và tên", "Ngày sinh", "Loại thành viên", "Ngày gia nhập", "Vốn góp"]


def _csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerows(rows)
    return path


def _import(world, path):
    return run_import_file(
        path, kind="members", mode="valid", actor=world.users["vca"], province=None
    )


def _codes(summary):
    return {row: sorted(p["code"] for p in probs) for row, _o, _k, _l, probs in summary.outcomes}


def test_import_keeps_the_registers_capital_and_imports_the_rest(world, tmp_path):
    opened = start_register(world)
    a1, b1 = world.orgs["a1"].tax_code, world.orgs["b1"].tax_code
    rows = [
        [a1, opened.person.full_name, "", "Chính thức", "01/01/2021", "99.000.000"],  # update
        [a1, "Hà Văn Mới", "", "Chính thức", "01/03/2021", "5.000.000"],  # new, with capital
        [a1, "Hà Văn Không", "", "Chính thức", "01/03/2021", "0"],  # new, no capital
        [b1, "Y Bih", "", "Chính thức", "01/03/2021", "7.000.000"],  # b1: free
    ]
    s = _import(world, _csv(tmp_path / "tv.csv", rows))
    codes = _codes(s)
    assert codes[2] == [capital_owner.CODE] and codes[3] == [capital_owner.CODE]
    assert codes[4] == [] and codes[5] == []
    opened.refresh_from_db()
    assert opened.capital == 10_000_000  # the register's, not the file's
    assert opened.joined_on == dt.date(2021, 1, 1)  # the rest of the row imported
    assert Membership.objects.get(person__full_name="Hà Văn Mới").capital == 0
    assert Membership.objects.get(person__full_name="Y Bih").capital == 7_000_000
    # the warnings are in the import's report, in the row's problems
    warning = next(p for r, *_x, probs in s.outcomes if r == 3 for p in probs)
    assert warning["severity"] == "warning"


def test_import_edits_capital_freely_before_the_register(world, tmp_path):
    m = _member(world.orgs["a1"], "Chưa có sổ", 1_000_000)
    rows = [
        [world.orgs["a1"].tax_code, m.person.full_name, "", "Chính thức", "01/01/2020", "3.000.000"]
    ]
    s = _import(world, _csv(tmp_path / "tv.csv", rows))
    assert _codes(s) == {2: []}
    m.refresh_from_db()
    assert m.capital == 3_000_000
