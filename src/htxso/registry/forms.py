"""Forms of the organisation pages: they parse input; the services validate and save.

A form's ``apply(call)`` calls the service and copies its ServiceError (or
ValidationError) back onto the form's fields through ``core.forms.show_service_error``,
so the page shows each message next to its field — and a refusal of the actor answers
403/404 instead of becoming a form error.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from htxso.core.formatting import ParseError, parse_vnd
from htxso.core.forms import ServiceForm

from .data.ethnicities import ETHNICITIES
from .models import MemberKind, OcopProduct, OrganisationStatus, Sector, Sex, ValueChainLink

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=False, **kwargs):
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs
    )


class MoneyField(forms.Field):
    """An amount of đồng typed as "1.250.000" (dots, spaces or nothing)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 40})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 40:
            raise ValidationError(
                _("Enter an amount in dong (VND), for example 1.250.000."), code="vnd_invalid"
            )
        try:
            return parse_vnd(value)
        except ParseError as exc:
            raise ValidationError(exc.message, code=exc.code, params=exc.params) from None


def _choices(pairs, blank=None):
    return [("", blank or "—"), *pairs]


class OrganisationForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=30,
        required=False,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
    )
    province_code = forms.CharField(widget=forms.HiddenInput, required=False)
    ward_q = forms.CharField(
        label=_("Find the ward"),
        required=False,
        max_length=100,
        help_text=_("Type part of the name, accents optional, then choose below."),
    )
    ward = forms.ChoiceField(label=_("Ward / commune"), required=False, choices=())
    address = forms.CharField(label=_("Street address"), max_length=255, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=OrganisationStatus.choices)
    established_on = date_field(_("Established on"))
    sector = forms.ChoiceField(label=_("Sector"), choices=_choices(Sector.choices), required=False)
    main_products = forms.CharField(
        label=_("Main products or services"), max_length=255, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    charter_capital = MoneyField(label=_("Charter capital (VND)"), required=False)
    high_tech = forms.BooleanField(label=_("Applies high technology"), required=False)

    def __init__(self, *args, wards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = _choices(
            [(w.code, w.name) for w in wards], _("Choose a ward / commune")
        )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("ward_q", "province_code")}
        data["ward"] = data.get("ward") or None
        return data


class PersonFields(ServiceForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    citizen_id = forms.CharField(
        label=_("Citizen ID number (CCCD)"),
        max_length=40,
        required=False,
        help_text=_("12 digits. A person already recorded is found again by this number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_choices(Sex.choices), required=False)
    birth_date = date_field(_("Date of birth"))
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=_choices(ETHNICITIES), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def person_data(self):
        from .services.members import PersonData

        c = self.cleaned_data
        return PersonData(
            full_name=c["full_name"],
            citizen_id=c.get("citizen_id") or "",
            sex=c.get("sex") or "",
            birth_date=c.get("birth_date"),
            ethnicity=c.get("ethnicity") or "",
            phone=c.get("phone") or "",
        )


class MemberForm(PersonFields):
    kind = forms.ChoiceField(label=_("Kind of member"), choices=MemberKind.choices)
    joined_on = date_field(_("Joined on"), required=True)
    capital = MoneyField(
        label=_("Capital contributed (VND)"),
        required=False,
        help_text=_("0 for an associate member without capital."),
    )
    certificate_no = forms.CharField(
        label=_("Capital certificate number"), max_length=50, required=False
    )
    certificate_date = date_field(_("Capital certificate date"))

    def __init__(self, *args, capital_managed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.capital_managed = capital_managed
        if capital_managed:
            # the capital register keeps it: shown read-only, 0 when the member joins
            field = self.fields["capital"]
            field.widget.attrs["readonly"] = "readonly"
            field.initial = "0"
            field.help_text = ""

    def clean_capital(self):
        value = self.cleaned_data.get("capital")
        if self.capital_managed and value:
            from . import capital_owner

            raise ValidationError(capital_owner.MESSAGE, code=capital_owner.CODE)
        return value


class WorkerForm(PersonFields):
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    is_manager = forms.BooleanField(
        label=_("In management (board, director, supervisors)"), required=False
    )
    started_on = date_field(_("Started on"), required=True)
    monthly_income = MoneyField(label=_("Average monthly income (VND)"), required=False)


class DateForm(ServiceForm):
    """The one date of a "leave" / "end" action."""

    on = date_field(_("Date"), required=True)


class ValueChainForm(ServiceForm):
    product = forms.CharField(label=_("Product"), max_length=150)
    partner_name = forms.CharField(label=_("Partner"), max_length=255)
    partner_tax_code = forms.CharField(label=_("Partner tax code"), max_length=30, required=False)
    role = forms.ChoiceField(label=_("Role in the chain"), choices=ValueChainLink.Role.choices)
    started_on = date_field(_("Started on"), required=True)
    ended_on = date_field(_("Ended on"))
    contract_reference = forms.CharField(
        label=_("Contract reference"), max_length=100, required=False
    )


class OcopForm(ServiceForm):
    name = forms.CharField(label=_("Product name"), max_length=200)
    stars = forms.TypedChoiceField(
        label=_("Stars"), choices=[(3, "3 ★"), (4, "4 ★"), (5, "5 ★")], coerce=int
    )
    level = forms.ChoiceField(label=_("Assessed at"), choices=OcopProduct.Level.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    certified_on = date_field(_("Certified on"), required=True)
    expires_on = date_field(_("Expires on"), required=True)


class UnionForm(ServiceForm):
    tax_code = forms.CharField(
        label=_("Tax code of the other organisation"),
        max_length=30,
        help_text=_(
            "For a union: the member cooperative's tax code. For a cooperative: the union's."
        ),
    )
    joined_on = date_field(_("Joined on"))
