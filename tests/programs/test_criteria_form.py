"""The criteria form shows and checks only the settings of the chosen kind."""

import pytest
from django.urls import reverse

from htxso.programs.models import CriterionKind
from htxso.registry.rules.forms import KIND_SETTINGS, CriterionForm

from .helpers import make_call

pytestmark = pytest.mark.django_db

ALL_SETTINGS = {name for names in KIND_SETTINGS.values() for name in names}


@pytest.fixture
def draft(world):
    return make_call(world.users["vca"], open_=False, criteria=[])


def url(call):
    return reverse("programs:call_criteria", kwargs={"call_id": call.pk})


def names_in(body):
    return {n for n in ALL_SETTINGS if f'name="{n}"' in body}


@pytest.mark.parametrize("kind", list(KIND_SETTINGS))
def test_each_kind_shows_only_its_settings_by_htmx(client, world, draft, kind):
    client.force_login(world.users["vca"])
    response = client.get(url(draft), {"kind": kind}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="criterion-settings"' in body
    assert names_in(body) == set(KIND_SETTINGS[kind])
    assert 'class="note kind-help"' in body  # every kind explains itself


def test_full_page_starts_with_the_youth_share_settings(client, world, draft):
    client.force_login(world.users["vca"])
    body = client.get(url(draft)).content.decode()
    assert names_in(body) == {"threshold", "as_of"}
    # the kind select asks the server for the settings when it changes
    assert f'hx-get="{url(draft)}"' in body and 'hx-target="#criterion-settings"' in body
    # the no-JavaScript fallback button
    assert "<noscript>" in body and 'name="show_settings"' in body
    assert "Tỷ lệ thanh niên trên (%)" in body


def test_no_javascript_fallback_shows_the_chosen_kind_and_keeps_the_label(client, world, draft):
    client.force_login(world.users["vca"])
    response = client.post(
        url(draft),
        {"kind": "finance", "label": "Lãi 2 năm liền", "show_settings": "1", "threshold": "40"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert names_in(body) == {"field", "mode", "years"}
    assert "Lãi 2 năm liền" in body
    assert not response.context["form"].errors  # choosing a kind is not an error
    assert draft.criteria.count() == 0


def test_irrelevant_settings_are_ignored(client, world, draft):
    client.force_login(world.users["vca"])
    response = client.post(
        url(draft),
        {
            "kind": "ocop",
            "label": "Có sản phẩm OCOP",
            "min_stars": "4",
            # settings of other kinds, even invalid ones, are ignored
            "threshold": "-5",
            "years": "abc",
            "sectors": ["nope"],
            "provinces": ["99"],
        },
    )
    assert response.status_code == 302
    assert draft.criteria.get().params == {"min_stars": 4}


@pytest.mark.parametrize(
    "kind,missing",
    [
        ("youth_share", "threshold"),
        ("finance", "field"),
        ("finance", "mode"),
        ("finance", "years"),
        ("grade", "at_least"),
        ("value_chain", "min_links"),
        ("ocop", "min_stars"),
        ("sector", "sectors"),
        ("province", "provinces"),
        ("org_kind", "kinds"),
        ("operating_months", "min_months"),
    ],
)
def test_required_settings_of_the_kind_are_asked_precisely(client, world, draft, kind, missing):
    client.force_login(world.users["vca"])
    data = {
        "kind": kind,
        "label": "Tiêu chí",
        "threshold": "40",
        "field": "profit",
        "mode": "positive",
        "years": "2",
        "at_least": "fair",
        "min_links": "1",
        "min_stars": "3",
        "sectors": ["agriculture"],
        "provinces": ["04"],
        "kinds": ["cooperative"],
        "min_months": "12",
    }
    data.pop(missing)
    response = client.post(url(draft), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [missing], errors
    message = errors[missing][0]
    assert message != "Trường này là bắt buộc." and message != "This field is required."
    assert draft.criteria.count() == 0
    # with the setting given it is accepted
    data[missing] = {
        "threshold": "40",
        "field": "profit",
        "mode": "positive",
        "years": "2",
        "at_least": "fair",
        "min_links": "1",
        "min_stars": "3",
        "sectors": ["agriculture"],
        "provinces": ["04"],
        "kinds": ["cooperative"],
        "min_months": "12",
    }[missing]
    assert client.post(url(draft), data).status_code == 302
    assert draft.criteria.count() == 1


@pytest.mark.parametrize(
    "value,code",
    [
        ("-1", "negative"),
        ("100", "too_high"),
        ("150", "too_high"),
        ("1e400", None),
        ("99999999999999999999", None),
        ("NaN", None),
        ("4O", None),
    ],
)
def test_bad_thresholds_are_refused(world, value, code):
    form = CriterionForm({"kind": "youth_share", "label": "x", "threshold": value})
    assert not form.is_valid()
    assert list(form.errors) == ["threshold"]
    if code:
        assert form.errors.as_data()["threshold"][0].code == code


@pytest.mark.parametrize(
    "name,value",
    [
        ("min_links", "0"),
        ("min_links", "51"),
        ("min_links", "-3"),
        ("min_links", "99999999999999999999999"),
        ("min_stars", "2"),
        ("min_stars", "6"),
        ("years", "0"),
        ("years", "6"),
        ("min_months", "-1"),
        ("min_months", "601"),
    ],
)
def test_out_of_range_settings_are_refused(world, name, value):
    kind = next(k for k, names in KIND_SETTINGS.items() if name in names)
    data = {"kind": kind, "label": "x", "field": "profit", "mode": "positive", name: value}
    form = CriterionForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [name]


def test_unknown_province_and_bad_date_are_refused(world):
    form = CriterionForm({"kind": "province", "label": "x", "provinces": ["04", "99"]})
    assert not form.is_valid() and list(form.errors) == ["provinces"]
    assert "99" in form.errors["provinces"][0]
    form = CriterionForm({"kind": "youth_share", "label": "x", "threshold": "40", "as_of": "x"})
    assert not form.is_valid() and list(form.errors) == ["as_of"]


def test_unknown_kind_shows_no_setting_and_an_error(client, world, draft):
    client.force_login(world.users["vca"])
    response = client.post(url(draft), {"kind": "<script>x</script>", "label": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>x</script>" not in body
    assert list(response.context["form"].errors) == ["kind"]
    body = client.get(url(draft), {"kind": "<script>"}, HTTP_HX_REQUEST="true").content.decode()
    assert names_in(body) == set() and "<script>" not in body


def test_script_in_label_is_stored_as_text_and_rendered_escaped(client, world, draft):
    client.force_login(world.users["vca"])
    label = '<script>alert("x")</script> Có OCOP'
    response = client.post(url(draft), {"kind": "declared", "label": label})
    assert response.status_code == 302
    body = client.get(url(draft)).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_declared_kind_has_no_setting(world):
    form = CriterionForm({"kind": CriterionKind.DECLARED, "label": "Ban lãnh đạo năng động"})
    assert form.is_valid(), form.errors
    assert form.params() == {} and form.settings == []


def test_criteria_page_fixed_queries(client, world, draft, django_assert_max_num_queries):
    client.force_login(world.users["vca"])
    with django_assert_max_num_queries(12):
        assert (
            client.get(url(draft), {"kind": "province"}, HTTP_HX_REQUEST="true").status_code == 200
        )
