"""Forms of the programs pages (parsing only; rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.formatting import ParseError, parse_vnd
from htxso.core.forms import bounded_integers, fits_int64
from htxso.registry.models import OrganisationKind
from htxso.registry.rules.forms import CriterionForm  # noqa: F401  (re-exported)

from .models import Ranking

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


@bounded_integers
class CallForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the call"),
        max_length=255,
        help_text=_("Short and clear, e.g. Lựa chọn HTX tham gia dự án thanh niên chuyển đổi số."),
    )
    programme = forms.CharField(
        label=_("Programme or project"),
        max_length=255,
        help_text=_("As it will read in the letter, e.g. Dự án “Thanh niên trong HTX…”."),
    )
    donor = forms.CharField(label=_("Donor"), max_length=255, required=False)
    period = forms.CharField(label=_("Implementation period"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("Objectives and expected results"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    audience_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["cooperative"],
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for applications"),
        widget=DT_WIDGET,
        help_text=_("Vietnam time (UTC+7)."),
    )
    forward_deadline = forms.DateTimeField(
        label=_("Deadline for provincial lists"),
        widget=DT_WIDGET,
        required=False,
        help_text=_("When provincial alliances must forward their lists to VCA. Optional."),
    )
    min_eligible = forms.IntegerField(
        label=_("Eligible cooperatives for a province to qualify"),
        min_value=1,
        initial=5,
        help_text=_("A province qualifies with at least this many eligible cooperatives."),
    )
    provinces_min = forms.IntegerField(
        label=_("Fewest provinces"), min_value=1, max_value=34, initial=12
    )
    provinces_max = forms.IntegerField(
        label=_("Most provinces"),
        min_value=1,
        max_value=34,
        initial=24,
        help_text=_("How many provinces VCA may select, from the fewest to the most (1 to 34)."),
    )
    ranking = forms.ChoiceField(
        label=_("Ranking of provinces"),
        choices=Ranking.choices,
        help_text=_("The order of the qualifying provinces on the national selection page."),
    )
    reference = forms.CharField(
        label=_("VCA letter number"),
        max_length=60,
        required=False,
        help_text=_("Printed on the letter to the provinces, e.g. 205/CQLMHTXVN-HTQT."),
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=255,
        required=False,
        help_text=_("Person and phone number to call with questions, printed on the letter."),
    )


class PublishForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Provincial deadline"),
        required=False,
        widget=DT_WIDGET,
        help_text=_("Optional: earlier than VCA's deadline, to leave time to compile."),
    )
    letter_number = forms.CharField(
        label=_("Letter number"),
        max_length=60,
        required=False,
        help_text=_("E.g. 108/CV-LMHTX; empty to number it by hand."),
    )
    contact = forms.CharField(label=_("Contact person and phone"), max_length=255, required=False)
    address = forms.CharField(label=_("Address for submissions"), max_length=255, required=False)


class MoneyField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_vnd(value, allow_negative=True)
        except ParseError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from exc


@bounded_integers
class ReportForm(forms.Form):
    report_year = forms.IntegerField(label=_("Figures of the year"), required=False)
    workers_total = forms.IntegerField(label=_("Workers"), required=False, min_value=0)
    workers_youth = forms.IntegerField(label=_("Workers under 35"), required=False, min_value=0)
    revenue = MoneyField(label=_("Revenue (VND)"), required=False, max_length=40)
    profit = MoneyField(
        label=_("Profit before tax (VND)"),
        required=False,
        max_length=40,
        help_text=_("Negative for a loss."),
    )
    activities = forms.CharField(
        label=_("Business activities"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A short report: what you produce, for whom, results of the last years."),
    )
    products = forms.CharField(
        label=_("Main products"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    value_chain = forms.CharField(
        label=_("Value chain"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Partners who buy, process or sell your products."),
    )
    dx_readiness = forms.CharField(
        label=_("Leadership and digital transformation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the board is ready to learn and apply digital tools."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, JPEG, PNG, DOCX, XLSX; up to 10 MB)"))


# --- the small forms of the application pages (parsing only) ------------------------


class RawTextField(forms.Field):
    """Free text passed as typed to a service, which cleans it (``core.text``) and
    refuses what it must with its own message."""

    def to_python(self, value: Any) -> str:
        return "" if value in self.empty_values else str(value)


@bounded_integers
class StartForm(forms.Form):
    """Which organisation applies (optional for a manager of only one)."""

    organisation = forms.IntegerField(required=False, min_value=1)


@bounded_integers
class AttachForm(UploadForm):
    """An upload, optionally as evidence for one criterion of the call."""

    criterion = forms.IntegerField(required=False, min_value=1)


class StatementForm(forms.Form):
    statement = RawTextField(required=False)


class WithdrawForm(forms.Form):
    comment = RawTextField(required=False)


class ForwardForm(forms.Form):
    """The province's list forwarded to VCA."""

    note = RawTextField(
        label=_("Note to VCA"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "verify"), ("reject", "reject"), ("request_info", "request_info")]
    )
    comment = RawTextField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        help_text=_("Required to ask for information or to mark the application not eligible."),
    )


class CheckForm(forms.Form):
    """The officer's check of a declared criterion: ``accepted=yes`` accepts it."""

    accepted = RawTextField(required=False)
    note = RawTextField(required=False)

    def is_accepted(self) -> bool:
        return self.cleaned_data.get("accepted") == "yes"


class SelectionForm(forms.Form):
    """VCA's national selection: the provinces ticked (``province``), a reason per
    province (``reason_<code>``), the cooperatives left out (``exclude_<id>``) with
    theirs (``why_<id>``) and a note.  The per-row names come from the page's table."""

    province = forms.MultipleChoiceField(required=False)
    note = RawTextField(
        label=_("Note of the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the codes are checked by the service (qualifying provinces): accept any here
        self.fields["province"].valid_value = lambda value: True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        provinces = cleaned.get("province") or []
        cleaned["province_reasons"] = {
            code: str(self.data.get(f"reason_{code}", "")) for code in provinces
        }
        excluded: dict[int, str] = {}
        for key in self.data:
            number = key[len("exclude_") :] if key.startswith("exclude_") else ""
            if number.isdigit() and fits_int64(int(number)):
                excluded[int(number)] = str(self.data.get(f"why_{number}", ""))
        cleaned["excluded"] = excluded
        return cleaned
