"""Form pieces every app shares: integers that fit the database.

A form ``IntegerField`` without ``max_value`` accepts 2**64 or forty nines; such a value
reaching a query or a save raised OverflowError on SQLite (a 500).  Decorate a form
class with :func:`bounded_integers` and every integer field it has — declared, made by
a ``ModelForm`` or added in ``__init__`` — refuses values outside a signed 64-bit
integer with an ordinary form error.  A multiple choice of rows uses
:class:`BoundedModelMultipleChoiceField`, whose ``__in`` query would overflow too.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from .schemas import MAX_INT64, MIN_INT64


def fits_int64(value) -> bool:
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


def bounded_integers(form_class):
    """Class decorator: bound every integer field of the form's instances."""
    original_init = form_class.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        for field in self.fields.values():
            bound_integer_field(field)

    __init__.__wrapped__ = original_init  # type: ignore[attr-defined]
    form_class.__init__ = __init__
    return form_class


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose ids are checked before the ``__in`` query."""

    def _check_values(self, value):
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
        return super()._check_values(value)


class BoundedIntegerField(forms.IntegerField):
    """An ``IntegerField`` whose default bounds are a signed 64-bit integer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_integer_field(self)
