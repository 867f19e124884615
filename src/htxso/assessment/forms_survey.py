"""Forms of the survey pages: the answers of one dimension, autosave of one question,
evidence, DX leads.  The services check every rule again (ranges, versions, rights)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, bounded_integers

from .evidence_survey import MAX_BYTES
from .models import Question, QuestionKind


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


def _label(obj: Any, field: str) -> str:
    english = (get_language() or "vi").startswith("en")
    return (getattr(obj, f"{field}_en") or getattr(obj, field)) if english else getattr(obj, field)


@bounded_integers
class DimensionAnswersForm(forms.Form):
    """One field per question (``q_<id>``); every field optional — an unanswered
    question stays unanswered (submitting the round checks that all are answered)."""

    #: which page to show after saving (the buttons' values)
    go = forms.ChoiceField(
        choices=[("", ""), ("prev", "prev"), ("next", "next"), ("stay", "stay")], required=False
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            options = [(o.value, _label(o, "label")) for o in q.options.all()]
            field: forms.Field
            if q.kind == QuestionKind.MULTI:
                field = forms.MultipleChoiceField(
                    choices=options, required=False, widget=forms.CheckboxSelectMultiple
                )
            elif q.kind == QuestionKind.NUMBER:
                # a text field: the service gives the precise message for a bad number
                field = forms.CharField(
                    required=False,
                    max_length=30,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
            else:
                # choices are not checked here: the service answers "not one of this
                # question's answers" with its stable code
                field = forms.CharField(
                    required=False, max_length=40, widget=forms.RadioSelect(choices=options)
                )
            field.label = _label(q, "text")
            field.help_text = _label(q, "help")
            self.fields[field_name(q)] = field

    def answered(self) -> list[tuple[Question, list[str], str | None]]:
        """``(question, choices, number)`` of each question given a value."""
        result = []
        for q in self.questions:
            value = self.cleaned_data.get(field_name(q))
            if value in (None, "", []):
                continue
            if q.kind == QuestionKind.NUMBER:
                result.append((q, [], str(value)))
            elif isinstance(value, list):
                result.append((q, [str(v) for v in value], None))
            else:
                result.append((q, [str(value)], None))
        return result


@bounded_integers
class AutosaveForm(forms.Form):
    """Which question an autosave is for; its value is read by ``DimensionAnswersForm``."""

    question = BoundedIntegerField(min_value=1)
    #: the questionnaire version the page was made for (a newer page is refused)
    version = BoundedIntegerField(min_value=1, required=False)


@bounded_integers
class EvidenceForm(forms.Form):
    question = BoundedIntegerField(min_value=1, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("Up to %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )


@bounded_integers
class StartForm(forms.Form):
    """Start (or resume) a round; ``round`` is optional (the next one)."""

    round = BoundedIntegerField(min_value=0, max_value=50, required=False)


@bounded_integers
class LeadForm(forms.Form):
    user = BoundedIntegerField(label=_("Member"), widget=forms.Select)
    public_profile = forms.BooleanField(
        label=_("Show this lead in the youth network"), required=False
    )
    bio = forms.CharField(
        label=_("About them (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].widget.choices = [("", "—")] + [(pk, name) for pk, name in people]
        self.people = dict(people)

    def clean_user(self) -> int:
        value = self.cleaned_data["user"]
        if value not in self.people:
            raise forms.ValidationError(
                _("Choose a member of this cooperative."), code="lead_not_member"
            )
        return value


class ConfirmForm(forms.Form):
    """An empty POST (a button): CSRF is the only input."""
