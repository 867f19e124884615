"""Forms of the import of services used from a file (the upload, then the confirmation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm, bounded_integers

#: The checked rows travel from the preview to the confirmation signed, for this long.
PAYLOAD_MAX_AGE = 60 * 60
PAYLOAD_SALT = "governance.service_use_import"
PAYLOAD_MAX_CHARS = 1_000_000


def sign_rows(*, organisation_id: int, user_id: int, year: int, rows: list) -> str:
    return signing.dumps(
        {"o": organisation_id, "u": user_id, "y": year, "r": rows},
        salt=PAYLOAD_SALT,
        compress=True,
    )


@bounded_integers
class ServiceUseUploadForm(ServiceForm):
    year = BoundedIntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("File (xlsx or csv)"),
        help_text=_("One row per member: member id or citizen ID number, year, amount in đồng."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


@bounded_integers
class ServiceUseConfirmForm(ServiceForm):
    """The preview's rows, signed when the file was read: nothing of the file is read
    again, and rows made up by the client are refused (the signature)."""

    year = BoundedIntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    payload = forms.CharField(max_length=PAYLOAD_MAX_CHARS, widget=forms.HiddenInput)

    def rows_for(self, *, organisation_id: int, user_id: int) -> list[Any]:
        """The signed rows, if signed for this cooperative, person and year (else [])."""
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE
            )
        except signing.BadSignature:
            return []
        if (
            not isinstance(data, dict)
            or data.get("o") != organisation_id
            or data.get("u") != user_id
            or data.get("y") != self.cleaned_data["year"]
            or not isinstance(data.get("r"), list)
        ):
            return []
        return [tuple(r) if isinstance(r, list) else r for r in data["r"]]
