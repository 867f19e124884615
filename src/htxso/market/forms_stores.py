"""Forms of the household store requests (phone first: short labels, numeric keyboards,
the camera offered for the photo).  The service checks every rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import bounded_integers
from htxso.registry.data.ethnicities import ETHNICITIES

from .banks import BANK_CHOICES
from .forms import MarketForm, _area, _text

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


@bounded_integers
class StoreRequestForm(MarketForm):
    producer_name = _text(
        _("Store name"),
        attrs={"maxlength": 120, "autocomplete": "organization"},
        help_text=_("The name buyers see, e.g. “Mật ong nhà A Páo”."),
    )
    head_name = _text(
        _("Name of the household head"),
        attrs={"maxlength": 120, "autocomplete": "name"},
        help_text=_("As written on the ID card."),
    )
    id_number = _text(
        _("ID number"),
        attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"},
        help_text=_("12 digits (citizen ID card) or 9 digits (old ID card)."),
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnic group (optional)"),
        required=False,
        choices=[("", _("Not given")), *ETHNICITIES],
        help_text=_("Helps the programmes for ethnic-minority producers. Only staff see it."),
    )
    phone = _text(
        _("Phone"),
        attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "maxlength": 20},
        help_text=_("We send the answer to this number by SMS."),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    ward = forms.ChoiceField(label=_("Ward / commune"), required=False)
    address = _text(
        _("Village, house number (optional)"),
        attrs={"maxlength": 255, "placeholder": _("e.g. Village 3")},
    )
    products = _area(
        _("What do you sell?"),
        attrs={
            "rows": 3,
            "maxlength": 1000,
            "placeholder": _("e.g. forest honey, dried bamboo shoots"),
        },
    )
    photo = forms.FileField(
        label=_("Photo of the ID card or of your production"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 8 MB. Only the officer who checks sees it."),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    bank_bin = forms.ChoiceField(
        label=_("Bank (optional)"),
        required=False,
        choices=[("", _("No bank account")), *BANK_CHOICES],
    )
    bank_account = _text(_("Account number"), attrs={"inputmode": "numeric", "maxlength": 24})
    bank_account_name = _text(_("Account holder (as in the bank)"), attrs={"maxlength": 100})
    consent = forms.BooleanField(
        required=False,
        label=_(
            "I agree that HTX Số keeps these details, my ID number included, to verify my "
            "store, as the privacy notice says."
        ),
    )

    def places(self, *, provinces: list[tuple[str, str]], province: str, wards) -> None:
        """The province select (htmx reloads the wards) and that province's wards."""
        self.fields["province"] = forms.ChoiceField(
            label=_("Province"),
            required=False,
            choices=[("", _("Choose a province")), *provinces],
            widget=forms.Select(
                attrs={
                    "hx-get": reverse("geo:ward_options"),
                    "hx-target": "#ward",
                    "hx-trigger": "change",
                    "hx-swap": "innerHTML",
                    "hx-include": "this",
                    "autocomplete": "off",
                }
            ),
        )
        if not self.is_bound:
            self.initial["province"] = province
        self.fields["ward"] = forms.ChoiceField(
            label=_("Ward / commune"),
            required=False,
            choices=[("", _("Choose a ward / commune")), *wards],
        )


class StoreRequestAnswerForm(MarketForm):
    answer = _area(_("Your answer"), attrs={"rows": 3, "maxlength": 1000})
    photo = forms.FileField(
        label=_("Another photo (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


class StoreRequestActionForm(MarketForm):
    """The requester's other action on the request page."""

    action = forms.ChoiceField(choices=[("withdraw", "withdraw")], required=False)


class StoreRequestDecisionForm(MarketForm):
    """The officer's decision: approve, refuse (with a reason), ask (with a question)."""

    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("refuse", "refuse"), ("ask", "ask")], required=False
    )
    text = _area(attrs={"rows": 2, "maxlength": 500})

    def __init__(self, *args: Any, text_label: Any = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        if text_label:
            self.fields["text"].label = text_label
