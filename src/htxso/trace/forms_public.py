"""The one form of the public trace pages: a consumer's report of a suspicious stamp."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.reports import MAX_PLACE, MAX_TEXT

_PHONE = re.compile(r"^\+?[0-9 .\-]{8,20}$")


class StampReportForm(forms.Form):
    gtin = forms.CharField(max_length=14, widget=forms.HiddenInput)
    serial = forms.CharField(max_length=40, widget=forms.HiddenInput)
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
        help_text=_(
            "For example: the seal was broken, the package looks different, the price was very low."
        ),
    )
    where_bought = forms.CharField(
        label=_("Where did you buy it?"),
        max_length=MAX_PLACE,
        help_text=_("Shop or market, and the district or town."),
    )
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Only the cooperative and the province see it, to call you back."),
    )
    #: Left empty by people; robots fill every field (hidden by CSS, not by the browser).
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter a phone number of digits only, or leave it empty.")
            )
        return phone

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
