"""Forms of the knowledge pages: they parse input; the services validate and save."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm, bounded_integers
from htxso.registry.models import Sector

from .models import ArticleKind, Theme

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
RICH_HELP = _(
    "Plain text is fine (a blank line starts a paragraph). Allowed formatting: <p>, <strong>,"
    " <em>, lists, <h3>, <h4>, links. Scripts and other tags are removed."
)


def _area(label: Any, rows: int = 5, max_length: int = 20000, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=kw.pop("required", False),
        max_length=max_length,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


def _image(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )


# ------------------------------------------------------------------ public filters


@bounded_integers
class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Accents are optional, e.g. “ca phe dak lak”."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices]
    )
    page = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None


@bounded_integers
class ArticleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Accents are optional, e.g. “mo gian hang”."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("News and guides")), *ArticleKind.choices]
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    tag = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    page = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Whole country")), *provinces]

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None


# ------------------------------------------------------------------ model cases


@bounded_integers
class CaseForm(ServiceForm):
    organisation = BoundedIntegerField(
        label=_("Cooperative (registry number)"),
        required=False,
        min_value=1,
        help_text=_("Choose from the list; only your province's cooperatives are offered."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        required=False,
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _area(_("Summary (one or two sentences)"), rows=3, max_length=600, required=True)
    what_done = _area(_("What the cooperative did"), help_text=RICH_HELP)
    results = _area(_("Results"), help_text=RICH_HELP)
    costs = _area(_("Costs"), rows=3, max_length=5000)
    lessons = _area(_("Lessons for other cooperatives"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_role = forms.CharField(label=_("Position"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_consent = forms.BooleanField(
        label=_("The contact agreed to be shown on the public page"),
        required=False,
        help_text=_(
            "Without this the contact is kept for staff only. We record who ticked it and when."
        ),
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Cooperative"),
                coerce=int,
                choices=[("", _("Choose the cooperative")), *organisations],
                help_text=_("Only the cooperatives of your province are offered."),
            )

    def data_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "organisation"}


@bounded_integers
class FigureForm(ServiceForm):
    action = forms.ChoiceField(choices=[("add", "add"), ("import", "import"), ("delete", "delete")])
    label = forms.CharField(label=_("What"), max_length=120, required=False)
    value = forms.CharField(label=_("Value"), max_length=30, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    year = BoundedIntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    figure = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_value(self) -> int | None:
        raw = (self.cleaned_data.get("value") or "").strip()
        if not raw:
            return None
        digits = re.sub(r"[.,\s]|đ$|₫$|VND$", "", raw, flags=re.IGNORECASE)
        if not re.fullmatch(r"-?\d{1,16}", digits):
            raise ValidationError(_("Write a whole number, e.g. 1.200.000."), code="value_invalid")
        return int(digits)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action == "add" and (not data.get("label") or data.get("value") is None):
            raise ValidationError(_("Give what is counted and its value."), code="required")
        if action == "import" and not data.get("year"):
            self.add_error("year", ValidationError(_("Choose the year."), code="required"))
        if action == "delete" and not data.get("figure"):
            raise ValidationError(_("Nothing chosen."), code="required")
        return data


@bounded_integers
class PhotoForm(ServiceForm):
    action = forms.ChoiceField(choices=[("add", "add"), ("delete", "delete")])
    image = _image(_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    photo = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "add" and not data.get("image"):
            self.add_error("image", ValidationError(_("Choose a photo."), code="required"))
        if data.get("action") == "delete" and not data.get("photo"):
            raise ValidationError(_("Nothing chosen."), code="required")
        return data


class StatusForm(ServiceForm):
    status = forms.ChoiceField(
        choices=[
            ("draft", "draft"),
            ("published", "published"),
            ("withdrawn", "withdrawn"),
            ("scheduled", "scheduled"),
        ]
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def when(self) -> dt.datetime | None:
        value = self.cleaned_data.get("publish_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


# ------------------------------------------------------------------ articles


class ArticleForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    province = forms.ChoiceField(label=_("For"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = _area(_("Summary (one or two sentences)"), rows=3, max_length=600, required=True)
    body = _area(_("Text"), rows=10, max_length=50000, help_text=RICH_HELP)
    cover = _image(_("Cover picture (optional)"))
    title_en = forms.CharField(
        label=_("Title in English (optional)"), max_length=200, required=False
    )
    summary_en = _area(_("Summary in English"), rows=2, max_length=600)
    body_en = _area(_("Text in English"), rows=6, max_length=50000)
    tags = forms.CharField(
        label=_("Tags"),
        max_length=200,
        required=False,
        help_text=_("Words separated by commas, e.g. market, e-commerce."),
    )
    policy_links = _area(
        _("Related policies (links, one per line)"),
        rows=2,
        max_length=2000,
        help_text=_("Web addresses (https://…) or pages of this site (/…)."),
    )
    course_url = forms.CharField(
        label=_("Training course link (optional)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], national: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole country"))] if national else []
        self.fields["province"].choices = [*choices, *provinces]


@bounded_integers
class StepForm(ServiceForm):
    action = forms.ChoiceField(choices=[("add", "add"), ("delete", "delete")])
    title = forms.CharField(label=_("Step title"), max_length=200, required=False)
    text = _area(_("What to do"), rows=4, max_length=10000)
    image = _image(_("Picture of the screen (optional)"))
    step = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "add" and not data.get("title"):
            self.add_error("title", ValidationError(_("Give the step a title."), code="required"))
        if data.get("action") == "delete" and not data.get("step"):
            raise ValidationError(_("Nothing chosen."), code="required")
        return data
