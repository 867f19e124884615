"""core.errors: one error type, turned into a page answer and an API answer in one place."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from htxso.core.api import STATUS_OF_KIND
from htxso.core.errors import Kind, ServiceError, conflict, not_found, refused
from htxso.core.forms import show_service_error


class _Form(forms.Form):
    name = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_is_a_validation_error_and_a_value_error_with_a_stable_code():
    exc = ServiceError("name_taken", "Tên %(name)s đã có", {"name": "HTX A"})
    assert isinstance(exc, ValidationError) and isinstance(exc, ValueError)
    assert exc.code == "name_taken" and exc.text == "Tên HTX A đã có" and str(exc) == exc.text
    assert exc.kind is Kind.INVALID


def test_field_messages_go_on_their_fields():
    form = _Form({"name": "x"})
    assert form.is_valid()
    show_service_error(
        _request(),
        ServiceError("bad", "Sai", fields={"name": ["Tên sai"], "other": ["Khác sai"]}),
        form,
    )
    assert form.errors["name"] == ["Tên sai"]
    assert form.non_field_errors() == ["Khác sai"]


def test_a_message_without_fields_goes_on_the_form_or_in_a_flash():
    form = _Form({})
    form.is_valid()
    show_service_error(_request(), ServiceError("late", "Quá hạn"), form)
    assert form.non_field_errors() == ["Quá hạn"]
    request = _request()
    show_service_error(request, conflict("Đã gửi", "already_sent"))
    assert [str(m) for m in get_messages(request)] == ["Đã gửi"]


def test_refusals_are_never_shown_as_a_form_error():
    with pytest.raises(PermissionDenied):
        show_service_error(_request(), refused("Không được"), _Form({}))
    with pytest.raises(Http404):
        show_service_error(_request(), not_found("Không có"), _Form({}))


def test_every_kind_has_one_api_status():
    assert set(STATUS_OF_KIND) == set(Kind)
    assert STATUS_OF_KIND[Kind.FORBIDDEN] == 403 and STATUS_OF_KIND[Kind.CONFLICT] == 409
