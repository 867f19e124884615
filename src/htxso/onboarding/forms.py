"""Forms of the access-request pages: they parse input; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm
from htxso.registry.models import OrganisationKind, Sector

from .documents import MAX_BYTES
from .models import ProposedKind

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
MB = MAX_BYTES // (1024 * 1024)


class FindForm(forms.Form):
    """Step 1 (GET): find the cooperative, or say it is not in the list."""

    q = forms.CharField(
        label=_("Tax code or name of your cooperative"),
        max_length=200,
        required=False,
        help_text=_("Accents are optional, e.g. “hop giang” or 0100233488."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    org = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    propose = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _document_fields(form: forms.Form, *, required_label: bool) -> None:
    form.fields["document"] = forms.FileField(
        label=_("Choose the file (photo or PDF)"),
        required=False,
        help_text=_("Up to %(mb)s MB.") % {"mb": MB},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "js-file"}),
    )
    form.fields["photo"] = forms.FileField(
        label=_("Or take a photo of the paper now"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "class": "js-file"}
        ),
    )


def _upload(form: forms.Form) -> Any:
    data = form.cleaned_data
    return data.get("photo") or data.get("document") or None


class RequestForm(ServiceForm):
    """Step 2: who the person is, their document, consent (and the proposed
    cooperative when it is not in the registry)."""

    org = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    propose = forms.BooleanField(required=False, widget=forms.HiddenInput)
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=32,
        help_text=_("The province's answer is sent to this number by SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    position = forms.CharField(
        label=_("Your position in the cooperative"),
        max_length=100,
        help_text=_("e.g. Director, Chair of the board."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    # the proposed cooperative (only when ``propose``)
    proposed_name = forms.CharField(
        label=_("Name of the cooperative"), max_length=255, required=False
    )
    proposed_kind = forms.ChoiceField(
        label=_("Kind"), choices=ProposedKind.choices, required=False, initial="cooperative"
    )
    proposed_tax_code = forms.CharField(
        label=_("Tax code (if it has one)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    province = forms.ChoiceField(label=_("Province"), required=False, choices=())
    proposed_address = forms.CharField(
        label=_("Ward / commune and address"),
        max_length=255,
        required=False,
        help_text=_("e.g. Xóm Nà Pò, xã Hòa An."),
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, provinces=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Choose a province")), *provinces]
        _document_fields(self, required_label=True)
        self.order_fields(["full_name", "phone", "position", "document", "photo", "consent"])

    @property
    def upload(self) -> Any:
        return _upload(self)

    def proposal(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d.get("proposed_name", ""),
            "tax_code": d.get("proposed_tax_code", ""),
            "kind": d.get("proposed_kind", ""),
            "province": d.get("province", ""),
            "address": d.get("proposed_address", ""),
        }


class AskForm(ServiceForm):
    message = forms.CharField(
        label=_("What do you need from the person?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(ServiceForm):
    reason = forms.CharField(
        label=_("Reason for refusing (the person reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(ServiceForm):
    """A POST with nothing to fill in (approve, withdraw)."""


class AnswerForm(ServiceForm):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _document_fields(self, required_label=False)
        self.fields["document"].label = _("A new document, if asked (photo or PDF)")

    @property
    def upload(self) -> Any:
        return _upload(self)


class RegisterForm(ServiceForm):
    """The officer registers the proposed cooperative (``organisation_create``)."""

    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=30,
        required=False,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    ward = forms.ChoiceField(label=_("Ward / commune"), required=False, choices=())
    address = forms.CharField(label=_("Street address"), max_length=255, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )

    def __init__(self, *args: Any, wards=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", _("Choose a ward / commune")), *wards]

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "tax_code": d.get("tax_code", ""),
            "ward": d.get("ward") or None,
            "address": d.get("address", ""),
            "sector": d.get("sector", ""),
        }
