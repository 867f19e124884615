"""Forms of the policy pages (the criterion editor is ``registry.rules.forms``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, bounded_integers
from htxso.registry.models import Sector

from .models import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@bounded_integers
class PolicyForm(forms.Form):
    name = forms.CharField(label=_("Name (Vietnamese)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    province_id = forms.ChoiceField(
        label=_("Province"),
        required=False,
        help_text=_("For a provincial policy: the province that grants it."),
    )
    legal_number = forms.CharField(
        label=_("Legal basis: document number"),
        max_length=120,
        help_text=_("E.g. 45/2021/NĐ-CP."),
    )
    legal_date = forms.DateField(label=_("Date of the document"), required=False, widget=DATE)
    legal_title = forms.CharField(label=_("Title of the document"), max_length=400, required=False)
    benefit = forms.CharField(label=_("Benefit"), max_length=4000, widget=forms.Textarea)
    eligible_text = forms.CharField(
        label=_("Who is eligible"), max_length=4000, required=False, widget=forms.Textarea
    )
    how_to_apply = forms.CharField(
        label=_("How to apply"), max_length=4000, required=False, widget=forms.Textarea
    )
    contact = forms.CharField(
        label=_("Where to apply, contact"), max_length=2000, required=False, widget=forms.Textarea
    )
    apply_url = forms.URLField(
        label=_("Link to apply (web)"), max_length=500, required=False, assume_scheme="https"
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Deadline (valid until)"), required=False, widget=DATE)
    call_id = BoundedIntegerField(
        label=_("Programme call number"),
        required=False,
        min_value=1,
        help_text=_("When cooperatives apply through a programme call of HTX Số: its number."),
    )

    def __init__(self, *args, provinces: list[tuple[str, str]] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["province_id"].choices = [("", "—"), *provinces]

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Accents are optional, e.g. “tin dung” or 45/2021."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels"))])
    province = forms.ChoiceField(label=_("Province"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args, provinces: list[tuple[str, str]] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("All levels")), *Level.choices]
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]

    def values(self) -> dict:
        if not self.is_valid():
            return {"q": "", "level": "", "province": "", "sector": ""}
        return {k: self.cleaned_data.get(k) or "" for k in ("q", "level", "province", "sector")}


class MapForm(forms.Form):
    policy = BoundedIntegerField(required=False, min_value=1)
