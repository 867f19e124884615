"""Forms of the register part: record a movement (with a check before saving), correct
one, issue a certificate, mark a foreign member."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import bounded_integers
from htxso.registry.models import Membership

from .models.register import AssetKind, MovementKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

KINDS = [
    (MovementKind.PLEDGE.value, MovementKind.PLEDGE.label),
    (MovementKind.PAYMENT.value, MovementKind.PAYMENT.label),
    (MovementKind.TRANSFER_OUT.value, MovementKind.TRANSFER_OUT.label),
    (MovementKind.WITHDRAWAL.value, MovementKind.WITHDRAWAL.label),
]


def _member_label(m: Membership) -> str:
    return f"{m.person.full_name} — {m.get_kind_display()}"


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):  # type: ignore[override]
        return _member_label(obj)


@bounded_integers
class MovementForm(forms.Form):
    membership = MemberChoice(label=_("Member"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(label=_("Movement"), choices=KINDS)
    asset_kind = forms.ChoiceField(
        label=_("Kind of asset"), choices=AssetKind.choices, initial=AssetKind.CASH
    )
    amount = forms.IntegerField(
        label=_("Amount contributed (VND)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    on = forms.DateField(label=_("Date"), widget=DATE, input_formats=DATE_FORMATS)
    target = MemberChoice(
        label=_("To member (a transfer)"), queryset=Membership.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, organisation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        members = (
            Membership.objects.filter(organisation=organisation)
            .exclude(kind="service_associate")
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
        self.fields["membership"].queryset = members  # type: ignore[attr-defined]
        self.fields["target"].queryset = members.filter(left_on__isnull=True)  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("kind") == MovementKind.TRANSFER_OUT and not data.get("target"):
            self.add_error("target", _("Choose the member who receives the capital."))
        return data


class ReverseForm(forms.Form):
    note = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=30)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, input_formats=DATE_FORMATS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("issued_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ForeignForm(forms.Form):
    country = forms.CharField(
        label=_("Country (two-letter code, e.g. LA, KH, CN)"), max_length=2, min_length=2
    )
