"""The form that adds a criterion to a call: only the settings of the chosen kind.

The kind decides which settings exist (:data:`KIND_SETTINGS`); the others are not even
fields of the form, so values posted for them are ignored.  Required settings of the
chosen kind are checked with a message that says what to enter.  The services check the
parameters once more (``services.calls.clean_params``), for the API and the demo.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import bounded_integers
from htxso.registry.models import Grade, OrganisationKind, Sector

from .kinds import CriterionKind

#: settings of each kind, in the order shown; ``as_of`` is always optional
KIND_SETTINGS: dict[str, tuple[str, ...]] = {
    CriterionKind.YOUTH_SHARE: ("threshold", "as_of"),
    CriterionKind.FINANCE: ("field", "mode", "years"),
    CriterionKind.GRADE: ("at_least",),
    CriterionKind.VALUE_CHAIN: ("min_links", "as_of"),
    CriterionKind.OCOP: ("min_stars", "as_of"),
    CriterionKind.SECTOR: ("sectors",),
    CriterionKind.PROVINCE: ("provinces",),
    CriterionKind.ORG_KIND: ("kinds",),
    CriterionKind.OPERATING_MONTHS: ("min_months", "as_of"),
    CriterionKind.DECLARED: (),
}
OPTIONAL = {"as_of"}
SETTING_NAMES = ("threshold", "as_of", "field", "mode", "years", "at_least", "min_links")
SETTING_NAMES += ("min_stars", "sectors", "provinces", "kinds", "min_months")

#: what each kind checks, in plain words, shown above its settings
KIND_HELP = {
    CriterionKind.YOUTH_SHARE: _(
        "Checks the share of workers under 35 years old: from the workforce list in the "
        "registry when every worker has a birth date, otherwise from the latest annual report."
    ),
    CriterionKind.FINANCE: _(
        "Checks the revenue or the profit written in the last annual reports of the "
        "cooperative (the years before the deadline)."
    ),
    CriterionKind.GRADE: _(
        "Checks the latest classification of the cooperative reviewed by the province "
        "(not older than two years)."
    ),
    CriterionKind.VALUE_CHAIN: _(
        "Checks the value-chain links (buyers, processors, suppliers) recorded in the "
        "registry and still running."
    ),
    CriterionKind.OCOP: _("Checks that the cooperative has a valid OCOP certificate."),
    CriterionKind.SECTOR: _("Only cooperatives working in the chosen sectors pass."),
    CriterionKind.PROVINCE: _("Only organisations in the chosen provinces pass."),
    CriterionKind.ORG_KIND: _(
        "Only the chosen kinds of organisation pass (cooperative, cooperative group, union)."
    ),
    CriterionKind.OPERATING_MONTHS: _(
        "Checks that the cooperative is operating and was established long enough ago."
    ),
    CriterionKind.DECLARED: _(
        "No setting: the applicant answers the criterion in words and may attach evidence; "
        "the provincial officer accepts or refuses the answer."
    ),
}


def _required(message):
    return {"required": message}


@bounded_integers
class CriterionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of criterion"),
        choices=CriterionKind.choices,
        help_text=_("What the platform checks. The settings below change with the kind."),
        error_messages=_required(_("Choose a kind of criterion.")),
    )
    label = forms.CharField(
        label=_("Criterion as applicants read it"),
        max_length=255,
        help_text=_("E.g. Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX."),
        error_messages=_required(_("Write the criterion as applicants will read it.")),
    )
    threshold = forms.DecimalField(
        label=_("Youth share above (%)"),
        initial=40,
        max_digits=6,
        decimal_places=2,
        help_text=_("The cooperative passes when the share is above this percentage, e.g. 40."),
        error_messages={
            **_required(_("Enter the share of young workers to exceed, e.g. 40.")),
            "invalid": _("Enter a number of percent, e.g. 40."),
            "max_digits": _("Enter a number from 0 to below 100, e.g. 40."),
            "max_decimal_places": _("Use at most two decimals, e.g. 40.5."),
            "max_whole_digits": _("Enter a number from 0 to below 100, e.g. 40."),
        },
    )
    as_of = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day on which the data are read. Empty: the deadline of the call."),
        error_messages={"invalid": _("Enter a date, e.g. 31/12/2024.")},
    )
    field = forms.ChoiceField(
        label=_("Figure"),
        choices=[("", "—"), ("profit", _("Profit")), ("revenue", _("Revenue"))],
        initial="profit",
        help_text=_("Profit before tax or revenue, as written in the annual reports."),
        error_messages=_required(_("Choose profit or revenue.")),
    )
    mode = forms.ChoiceField(
        label=_("Condition"),
        choices=[
            ("", "—"),
            ("positive", _("Positive every year")),
            ("growing", _("Growing every year")),
        ],
        initial="positive",
        help_text=_(
            "“Positive”: above zero each year. “Growing”: higher each year than the year before."
        ),
        error_messages=_required(_("Choose “positive every year” or “growing every year”.")),
    )
    years = forms.IntegerField(
        label=_("Number of annual reports"),
        min_value=1,
        max_value=5,
        initial=2,
        help_text=_(
            "How many recent years are checked (1 to 5). A missing year gives “not enough data”."
        ),
        error_messages={
            **_required(_("Enter how many annual reports to check, from 1 to 5.")),
            "min_value": _("Check at least 1 annual report."),
            "max_value": _("Check at most 5 annual reports."),
            "invalid": _("Enter a whole number from 1 to 5."),
        },
    )
    at_least = forms.ChoiceField(
        label=_("Grade at least"),
        choices=[("", "—")]
        + [(g, label) for g, label in Grade.choices if g in ("good", "fair", "average")],
        initial="fair",
        help_text=_("The cooperative passes with this grade or a better one."),
        error_messages=_required(_("Choose the lowest grade accepted.")),
    )
    min_links = forms.IntegerField(
        label=_("Links at least"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("Number of value-chain links running on the reference date (1 to 50)."),
        error_messages={
            **_required(_("Enter how many value-chain links are needed, from 1 to 50.")),
            "min_value": _("Ask for at least 1 link."),
            "max_value": _("Ask for at most 50 links."),
            "invalid": _("Enter a whole number from 1 to 50."),
        },
    )
    min_stars = forms.IntegerField(
        label=_("OCOP stars at least"),
        min_value=3,
        max_value=5,
        initial=3,
        help_text=_("OCOP products are rated 3, 4 or 5 stars."),
        error_messages={
            **_required(_("Enter the fewest OCOP stars, 3, 4 or 5.")),
            "min_value": _("OCOP stars go from 3 to 5."),
            "max_value": _("OCOP stars go from 3 to 5."),
            "invalid": _("Enter 3, 4 or 5."),
        },
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every sector accepted."),
        error_messages=_required(_("Tick at least one sector.")),
    )
    provinces = forms.MultipleChoiceField(
        label=_("Provinces"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every province whose organisations may pass."),
        error_messages={
            **_required(_("Tick at least one province.")),
            "invalid_choice": _("Unknown province: %(value)s."),
        },
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every kind of organisation accepted."),
        error_messages=_required(_("Tick at least one kind of organisation.")),
    )
    min_months = forms.IntegerField(
        label=_("Months in operation at least"),
        min_value=0,
        max_value=600,
        initial=12,
        help_text=_("Counted from the date of establishment to the reference date; 12 = one year."),
        error_messages={
            **_required(_("Enter how many months in operation are needed, e.g. 12.")),
            "min_value": _("The number of months cannot be negative."),
            "max_value": _("Enter at most 600 months (50 years)."),
            "invalid": _("Enter a whole number of months, e.g. 12."),
        },
    )

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is None:
            raw = self.data.get("kind") if self.is_bound else self.initial.get("kind")
            kind = raw or CriterionKind.YOUTH_SHARE
        self.kind = kind if kind in KIND_SETTINGS else None
        keep = set(KIND_SETTINGS.get(self.kind, ()))
        for name in SETTING_NAMES:
            if name not in keep:
                del self.fields[name]
            else:
                self.fields[name].required = name not in OPTIONAL
        if "provinces" in self.fields:
            from htxso.geo.models import Province

            self.fields["provinces"].choices = [
                (p.code, f"{p.name} ({p.code})") for p in Province.objects.order_by("name")
            ]

    @property
    def kind_help(self):
        return KIND_HELP.get(self.kind, "")

    @property
    def settings(self):
        """The bound fields of the chosen kind's settings, in order."""
        return [self[name] for name in KIND_SETTINGS.get(self.kind, ()) if name in self.fields]

    def clean_threshold(self):
        value = self.cleaned_data.get("threshold")
        if value is None:
            return value
        if value < 0:
            raise forms.ValidationError(
                _("The share cannot be negative; enter a number from 0 to below 100, e.g. 40."),
                code="negative",
            )
        if value >= Decimal(100):
            raise forms.ValidationError(
                _("A share cannot reach 100 %; enter a number below 100, e.g. 40."),
                code="too_high",
            )
        return value

    def params(self) -> dict:
        d = self.cleaned_data
        out: dict = {}
        for name in KIND_SETTINGS.get(self.kind, ()):
            value = d.get(name)
            if value in (None, "", []):
                continue
            if name == "threshold":
                value = float(value)
            elif name == "as_of":
                value = value.isoformat()
            out[name] = value
        return out


class ShowSettingsForm(forms.Form):
    """The no-JavaScript "show the settings of this kind" button of a criteria page:
    which kind, and the label typed so far."""

    show_settings = forms.CharField(required=False, max_length=10)
    kind = forms.CharField(required=False, max_length=40)
    label = forms.CharField(required=False, max_length=255)


def criterion_form_for(request, *, default_kind: str) -> CriterionForm:
    """The form of a criteria page (a programme call's or a support policy's).

    GET ``?kind=``: the settings of that kind (htmx asks for them when the kind changes);
    POST with ``show_settings``: the no-JavaScript way to the same, keeping the label;
    any other POST: the criterion as submitted."""
    if request.method != "POST":
        return CriterionForm(initial={"kind": request.GET.get("kind") or default_kind})
    shown = ShowSettingsForm(request.POST)
    if shown.is_valid() and shown.cleaned_data["show_settings"]:
        return CriterionForm(
            initial={
                "kind": shown.cleaned_data["kind"] or None,
                "label": shown.cleaned_data["label"],
            }
        )
    return CriterionForm(request.POST)
