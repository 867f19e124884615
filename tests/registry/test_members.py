"""Registering members and workers through the pages and the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.registry.models import Membership, Person, Worker
from htxso.registry.services import members as services
from htxso.registry.services.members import PersonData

pytestmark = pytest.mark.django_db

CCCD = "004090001234"  # Cao Bằng, male, born 1990


def form(**kw):
    data = {
        "full_name": "Nông Văn Dũng",
        "citizen_id": CCCD,
        "sex": "male",
        "birth_date": "1990-05-01",
        "ethnicity": "02",
        "phone": "0912 345 678",
        "kind": "official",
        "joined_on": "2024-03-01",
        "capital": "20.000.000",
        "certificate_no": "GCN-01",
        "certificate_date": "2024-03-05",
    }
    data.update(kw)
    return data


def url(world, key="a1", suffix="thanh-vien/them/"):
    return f"/to-chuc/{world.orgs[key].pk}/{suffix}"


def codes_of(exc):
    return {e.code for errors in exc.value.error_dict.values() for e in errors}


def register(world, **kw):
    person = kw.pop(
        "person",
        PersonData(
            full_name="Lò Thị Mai", citizen_id="004195001234", birth_date=dt.date(1995, 2, 2)
        ),
    )
    args = {
        "actor": world.users["manager_a1"],
        "organisation": world.orgs["a1"],
        "person": person,
        "kind": "official",
        "joined_on": dt.date(2024, 1, 1),
        "capital": 1_000_000,
    }
    args.update(kw)
    return services.member_register(**args)


def test_manager_registers_a_member_and_double_submit_gives_one_row(client, world):
    client.force_login(world.users["manager_a1"])
    first = client.post(url(world), form())
    assert first.status_code == 302
    second = client.post(url(world), form())
    assert second.status_code == 200
    assert "member_already_registered" not in second.content.decode()  # message, not code
    assert Membership.objects.filter(organisation=world.orgs["a1"]).count() == 1
    m = Membership.objects.get()
    assert m.capital == 20_000_000 and m.person.phone == "0912345678"
    assert m.person.citizen_id == CCCD and m.person.ethnicity == "02"
    assert AuditEvent.objects.filter(action="membership.register").count() == 1


def test_double_submit_without_citizen_id_gives_one_row(client, world):
    client.force_login(world.users["manager_a1"])
    data = form(citizen_id="", full_name="Hoàng Thị Lan", sex="female")
    client.post(url(world), data)
    client.post(url(world), data)
    assert Membership.objects.filter(organisation=world.orgs["a1"]).count() == 1


def test_existing_person_is_reused_by_citizen_id(world):
    register(world)
    register(
        world,
        organisation=world.orgs["a2"],
        actor=world.users["officer_a"],
        person=PersonData(full_name="LO THI MAI", citizen_id="004195001234"),
    )
    assert Person.objects.count() == 1 and Membership.objects.count() == 2


def test_duplicate_citizen_id_with_another_name_is_refused(world):
    register(world)
    with pytest.raises(ValidationError) as exc:
        register(
            world,
            organisation=world.orgs["a2"],
            actor=world.users["officer_a"],
            person=PersonData(full_name="Someone Else", citizen_id="004195001234"),
        )
    assert "citizen_id_duplicate" in codes_of(exc)
    assert Membership.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "service_associate", "capital": 5}, "service_associate_capital"),
        ({"kind": "capital_associate", "capital": 0}, "capital_required"),
        (
            {"joined_on": dt.date.today() + dt.timedelta(days=2)},
            "date_in_future",
        ),  # UTC today + 2 is after Vietnam's today at any hour
        ({"capital": -1}, "amount_negative"),
        ({"capital": 10**18}, "amount_absurd"),
        ({"kind": "boss"}, "invalid_choice"),
        (
            {
                "person": PersonData(
                    full_name="A", citizen_id="004195001234", birth_date=dt.date(1996, 1, 1)
                )
            },
            "cccd_birth_date_mismatch",
        ),
        ({"person": PersonData(full_name="A", citizen_id="12345")}, "cccd_format"),
        ({"person": PersonData(full_name="A", ethnicity="99")}, "invalid_choice"),
        ({"person": PersonData(full_name="A", phone="12345")}, None),
        (
            {"person": PersonData(full_name="A", sex="female", citizen_id="004090001234")},
            "cccd_sex_mismatch",
        ),
        ({"person": PersonData(full_name="x" * 151)}, "text_too_long"),
        ({"person": PersonData(full_name="A\x00B")}, "text_control_character"),
        (
            {"person": PersonData(full_name="Bé", birth_date=dt.date(2015, 1, 1))},
            "member_too_young",
        ),
    ],
)
def test_register_refusals(world, change, code):
    with pytest.raises(ValidationError) as exc:
        register(world, **change)
    if code:
        assert code in codes_of(exc)
    assert not Membership.objects.exists() and not Person.objects.exists()


def test_register_is_refused_for_other_organisations(world):
    # another province's organisation: not the manager's to see (404 on a page)
    with pytest.raises(ServiceError) as exc:
        register(world, organisation=world.orgs["b1"])
    assert exc.value.kind is Kind.NOT_FOUND
    # a department viewer sees a1 but changes nothing (403 on a page)
    with pytest.raises(ServiceError) as exc:
        register(world, actor=world.users["viewer_a"])
    assert exc.value.kind is Kind.FORBIDDEN
    assert not Membership.objects.exists()


def test_union_has_no_person_members(world):
    from htxso.registry.models import Organisation

    union = Organisation.objects.create(
        kind="union", name="LH", tax_code="0101245486", province_id="04"
    )
    with pytest.raises(ValidationError) as exc:
        register(world, organisation=union, actor=world.users["officer_a"])
    assert "union_members_are_cooperatives" in codes_of(exc)


def test_form_errors_are_shown_next_to_fields(client, world):
    world.users["manager_a1"].preferred_language = "en"
    world.users["manager_a1"].save()
    client.force_login(world.users["manager_a1"])
    body = client.post(url(world), form(kind="service_associate", capital="5.000")).content.decode()
    assert "An associate member without capital contributes no capital" in body
    body = client.post(url(world), form(ethnicity="99", joined_on="2099-01-01")).content.decode()
    assert "field--error" in body
    body = client.post(url(world), form(capital="1,5")).content.decode()
    assert "field--error" in body
    assert not Membership.objects.exists()


def test_leave_and_other_organisations_ids_are_404(client, world):
    m = register(world)
    client.force_login(world.users["manager_b1"])
    assert (
        client.post(
            f"/to-chuc/{world.orgs['b1'].pk}/thanh-vien/{m.pk}/roi/", {"on": "2025-01-01"}
        ).status_code
        == 404
    )
    client.force_login(world.users["manager_a1"])
    r = client.post(f"/to-chuc/{world.orgs['a1'].pk}/thanh-vien/{m.pk}/roi/", {"on": "2023-01-01"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.left_on is None  # before joining: refused
    client.post(f"/to-chuc/{world.orgs['a1'].pk}/thanh-vien/{m.pk}/roi/", {"on": "2025-01-01"})
    m.refresh_from_db()
    assert m.left_on == dt.date(2025, 1, 1)


def test_personal_data_visibility(client, world):
    member_user = world.users["member_a1"]
    m = register(world)
    other = register(world, person=PersonData(full_name="Bế Văn Khánh", citizen_id="004188009999"))
    Person.objects.filter(pk=m.person_id).update(user=member_user)
    page = f"/to-chuc/{world.orgs['a1'].pk}/thanh-vien/"
    client.force_login(member_user)
    body = client.get(page).content.decode()
    assert "Lò Thị Mai" in body  # their own row
    assert "Bế Văn Khánh" not in body and "004188009999" not in body and "004195001234" not in body
    for key in ("manager_a1", "officer_a", "vca"):
        client.force_login(world.users[key])
        body = client.get(page).content.decode()
        assert "Bế Văn Khánh" in body and "004188009999" in body, key
    # issue 12: ID numbers and ethnicity are sensitive data, for the roles that need them;
    # the department viewer reads the register without them
    client.force_login(world.users["viewer_a"])
    body = client.get(page).content.decode()
    assert "Bế Văn Khánh" in body and "004188009999" not in body
    assert other.person.citizen_id == "004188009999"


def test_workers_add_end_and_youth(client, world):
    client.force_login(world.users["manager_a1"])
    young = (dt.date.today() - dt.timedelta(days=365 * 25)).isoformat()
    data = {
        "full_name": "Đàm Văn Trẻ",
        "birth_date": young,
        "started_on": "2024-01-01",
        "position": "Kế toán",
        "monthly_income": "6.500.000",
    }
    assert client.post(url(world, suffix="nguoi-lao-dong/them/"), data).status_code == 302
    client.post(url(world, suffix="nguoi-lao-dong/them/"), data)
    assert Worker.objects.count() == 1
    w = Worker.objects.get()
    assert w.monthly_income == 6_500_000
    body = client.get(f"/to-chuc/{world.orgs['a1'].pk}/").content.decode()
    assert "100 %" in body  # youth share from the register
    client.post(url(world, suffix=f"nguoi-lao-dong/{w.pk}/nghi/"), {"on": "2025-06-30"})
    w.refresh_from_db()
    assert w.ended_on == dt.date(2025, 6, 30)
