"""Form pieces every app shares: integers that fit the database, and the one place a
page shows a service error (:func:`show_service_error`).

A form ``IntegerField`` without ``max_value`` accepts 2**64 or forty nines; such a value
reaching a query or a save raised OverflowError on SQLite (a 500).  Decorate a form
class with :func:`bounded_integers` and every integer field it has — declared, made by
a ``ModelForm`` or added in ``__init__`` — refuses values outside a signed 64-bit
integer with an ordinary form error.  A multiple choice of rows uses
:class:`BoundedModelMultipleChoiceField`, whose ``__in`` query would overflow too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404

from .errors import Kind, ServiceError
from .schemas import MAX_INT64, MIN_INT64

_Form = TypeVar("_Form", bound=type[forms.BaseForm])
_T = TypeVar("_T")


def fits_int64(value: object) -> bool:
    return isinstance(value, int) and MIN_INT64 <= value <= MAX_INT64


def bound_integer_field(field: forms.Field) -> forms.Field:
    """Give an ``IntegerField`` without bounds the 64-bit ones (in place)."""
    # FloatField and DecimalField subclass IntegerField; a decimal has max_digits
    if isinstance(field, forms.IntegerField) and not isinstance(
        field, (forms.FloatField, forms.DecimalField)
    ):
        if field.max_value is None:
            field.max_value = MAX_INT64
            field.validators.append(MaxValueValidator(MAX_INT64))
        if field.min_value is None:
            field.min_value = MIN_INT64
            field.validators.append(MinValueValidator(MIN_INT64))
    return field


def bounded_integers(form_class: _Form) -> _Form:
    """Class decorator: bound every integer field of the form's instances."""
    original_init = form_class.__init__

    def __init__(self: forms.BaseForm, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        for field in self.fields.values():
            bound_integer_field(field)

    __init__.__wrapped__ = original_init  # type: ignore[attr-defined]
    form_class.__init__ = __init__  # type: ignore[method-assign]  # what the decorator is for
    return form_class


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose ids are checked before the ``__in`` query."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        key = self.to_field_name or "pk"
        if key == "pk":
            for item in value:
                try:
                    number = int(str(item).strip())
                except (TypeError, ValueError):
                    continue  # Django's own check answers "invalid_pk_value"
                if not fits_int64(number):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private: not in the stubs


class BoundedIntegerField(forms.IntegerField):
    """An ``IntegerField`` whose default bounds are a signed 64-bit integer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_integer_field(self)


def show_service_error(
    request: Any, exc: ServiceError | ValidationError, form: forms.BaseForm | None = None
) -> None:
    """The one place a page turns a service's refusal into what the person sees.

    A refusal of the actor is not a form error: ``forbidden`` becomes 403 and
    ``not_found`` 404 (so a refused write never looks like a success).  Anything else
    goes on the form — each message on its field when the form has it — or, without a
    form, into a flash message for the next page.
    """
    kind = getattr(exc, "kind", Kind.INVALID)
    if kind is Kind.FORBIDDEN:
        raise PermissionDenied(str(exc))
    if kind is Kind.NOT_FOUND:
        raise Http404(str(exc))
    if form is None:
        messages.error(request, _service_text(exc))
        return
    fields = getattr(exc, "fields", None) or (exc.error_dict if hasattr(exc, "error_dict") else {})
    if fields:
        for name, items in fields.items():
            for item in items:
                # keep each problem's code on the form (pages and tests read it)
                if not isinstance(item, ValidationError):
                    item = ValidationError(str(item), code=getattr(exc, "code", None))
                form.add_error(name if name in form.fields else None, item)
    else:
        form.add_error(None, ValidationError(_service_text(exc), code=getattr(exc, "code", None)))


def _service_text(exc: ServiceError | ValidationError) -> str:
    if isinstance(exc, ServiceError):
        return exc.text
    return " ".join(str(m) for m in exc.messages)


class ServiceForm(forms.Form):
    """A form whose saving is done by a service that raises :class:`ServiceError`."""

    def apply(self, call: Callable[[], _T]) -> _T | None:
        """Run ``call()``; a refusal of the input goes onto the form (None is returned),
        a refusal of the actor raises (403/404) — see :func:`show_service_error`."""
        try:
            return call()
        except ValidationError as exc:
            show_service_error(None, exc, self)
            return None
