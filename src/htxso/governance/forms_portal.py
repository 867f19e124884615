"""Forms of the member portal, the questions to the board and the profit distribution:
they read the input; the services judge it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, bounded_integers

from .forms_disclosures import ServiceForm
from .services_portal import MAX_AMOUNT, fund_rules

_SEPARATORS = re.compile(r"[\s.,_]|đ|vnđ|vnd", re.IGNORECASE)


def parse_amount(value: Any) -> int:
    """ "15.000.000", "15 000 000 đ" → 15000000; a ValidationError otherwise."""
    raw = _SEPARATORS.sub("", str(value or "")).strip()
    if not raw:
        return 0
    if not raw.isdigit() or len(raw) > 16:
        raise forms.ValidationError(_("Enter a whole number of đồng, e.g. 15.000.000."))
    amount = int(raw)
    if amount > MAX_AMOUNT:
        raise forms.ValidationError(_("This amount is too large."))
    return amount


class AmountField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int:  # type: ignore[override]
        return parse_amount(super().clean(value))


class QuestionForm(ServiceForm):
    text = forms.CharField(
        label=_("Your question to the board"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@bounded_integers
class PickForm(forms.Form):
    """``?org=``: which cooperative (a member of several, the VCA)."""

    org = BoundedIntegerField(required=False, min_value=1)


@bounded_integers
class YearForm(forms.Form):
    year = BoundedIntegerField(required=False, min_value=2000, max_value=2100)


@bounded_integers
class DistributionForm(ServiceForm):
    year = BoundedIntegerField(label=_("Financial year"), min_value=2000, max_value=2100)
    profit_after_tax = AmountField(label=_("Income after tax (VND)"))
    indivisible_fund = AmountField(label=_("1. Indivisible common fund (VND)"), required=False)
    development_fund = AmountField(label=_("2. Development investment fund (VND)"), required=False)
    reserve_fund = AmountField(label=_("3. Financial reserve fund (VND)"), required=False)
    other_funds = AmountField(label=_("4. Other funds of the charter (VND)"), required=False)
    by_services_pct = forms.DecimalField(
        label=_("Of what is left for members, paid by use of services (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=100,
        help_text=_("The rest is paid by capital."),
    )
    #: the part of the income after tax from outside transactions (the base of the
    #: indivisible fund's minimum); empty: not given, the whole income counts
    outside_income = AmountField(
        label=_("Of the income after tax, from outside transactions (VND)"),
        required=False,
        help_text=_(
            "Transactions other than the internal ones with official members. Leave "
            "empty if you do not know: the whole income after tax then counts."
        ),
    )

    def __init__(self, *args: Any, org_kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the funds' minimum shares in force (every kind's when the kind is not given)
        self.fund_rules = fund_rules(org_kind=org_kind)
        #: the page passes the cooperative's kind once it also passes ``outside_income``
        #: to the service; until then the field is not shown
        self.kind_given = org_kind is not None

    def clean_outside_income(self) -> int | None:
        if not str(self.data.get(self.add_prefix("outside_income"), "")).strip():
            return None
        return self.cleaned_data["outside_income"]


@bounded_integers
class ApproveForm(ServiceForm):
    resolution = forms.TypedChoiceField(label=_("Resolution of the assembly"), coerce=int)


class ServiceUseForm(ServiceForm):
    """One amount per member (fields ``m<membership id>``), built for the members."""

    def __init__(self, *args: Any, members: list[Any], initial_amounts: dict[int, int], **kw: Any):
        super().__init__(*args, **kw)
        self.members = members
        for m in members:
            self.fields[f"m{m.pk}"] = AmountField(
                label=m.person.full_name,
                required=False,
                initial=f"{initial_amounts[m.pk]:,}".replace(",", ".")
                if m.pk in initial_amounts
                else "",
            )

    def amounts(self) -> dict[int, int]:
        return {
            m.pk: self.cleaned_data[f"m{m.pk}"]
            for m in self.members
            if self.data.get(f"m{m.pk}", "").strip()
        }
