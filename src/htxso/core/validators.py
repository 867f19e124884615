"""Django validators for model and form fields, wrapping :mod:`htxso.core.codes`.

Each raises ``ValidationError`` with the stable ``code`` and the translated message of
the underlying :class:`~htxso.core.codes.CodeError`.  They only check; a form that
wants the normalised value (``0314409058-002``, ``0912345678``) calls the
``validate_*`` function in its ``clean_<field>``.  Empty values are left to the field's
``blank``/``required`` handling.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from htxso.core.codes import (
    CodeError,
    validate_cccd,
    validate_gtin,
    validate_tax_code,
    validate_vn_phone,
)

__all__ = ["cccd_validator", "gtin_validator", "tax_code_validator", "vn_phone_validator"]


def _run(check: Callable[[str], object], value: object) -> None:
    if value is None or value == "":
        return
    try:
        check(str(value))
    except CodeError as error:
        raise ValidationError(error.message, code=error.code, params=error.params) from None


def tax_code_validator(value: object) -> None:
    """Tax code (MST) or branch tax code."""
    _run(validate_tax_code, value)


def cccd_validator(value: object) -> None:
    """12-digit citizen ID number."""
    _run(validate_cccd, value)


def gtin_validator(value: object) -> None:
    """GTIN-8/12/13/14 with a correct check digit."""
    _run(validate_gtin, value)


def vn_phone_validator(value: object) -> None:
    """Vietnamese mobile or landline phone number."""
    _run(validate_vn_phone, value)
