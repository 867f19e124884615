"""The export form: framework, period, province, format (read from the query string:
an export changes nothing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.policy import allowed
from htxso.geo.models import Province

from . import periods
from .models import Framework, IndicatorValue

FORMATS = [
    ("dhis2", _("DHIS2 (dataValueSets JSON)")),
    ("xlsx", _("Excel (xlsx)")),
    ("csv", _("CSV (UTF-8, opens in Excel)")),
]


def period_choices(frameworks: Any) -> list[tuple[str, str]]:
    """Periods with cached values in ``frameworks``, plus this and last year's half-years
    and years, latest first."""
    codes = set(
        IndicatorValue.objects.filter(indicator__framework__in=frameworks)
        .values_list("period", flat=True)
        .distinct()[:200]
    )
    year = timezone.localdate().year
    for y in (year - 1, year):
        codes |= {f"{y}S1", f"{y}S2", str(y)}
    found = []
    for code in codes:
        try:
            found.append(periods.parse(code))
        except ValueError:
            continue
    found.sort(key=lambda p: (p.end, -p.days), reverse=True)
    return [(p.code, f"{p.code} — {p.label}") for p in found]


class ExportForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Results framework"),
        queryset=Framework.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    period = forms.ChoiceField(
        label=_("Period"),
        help_text=_("A half-year (2025S1: January–June, 2025S2: July–December) or a year."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("The framework's whole scope"),
        help_text=_(
            "For a national framework, the values of one province; a province's framework "
            "has its province's values only."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="dhis2", widget=forms.RadioSelect
    )
    data_set = forms.RegexField(
        label=_("DHIS2 data set code (optional)"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,49}$",
        max_length=50,
        required=False,
        help_text=_("Only for DHIS2: the code of the data set the values complete."),
        error_messages={"invalid": _("Letters, digits, _ . - only (at most 50).")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        frameworks = allowed(Framework, user, "view").select_related("province")
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].label_from_instance = lambda f: (
            f"{f.name} ({f.province.name if f.province else _('national')})"
        )
        self.fields["period"].choices = period_choices(frameworks)
