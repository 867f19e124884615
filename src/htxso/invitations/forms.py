"""Forms of the invitation pages (every input of those pages is read here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from htxso.core.forms import (
    BoundedModelMultipleChoiceField,
    ServiceForm,
    bounded_integers,
)

from .models import DEFAULT_DAYS, MAX_DAYS, Invitation, InvitationChannel
from .services import MAX_BATCH


class PeopleField(BoundedModelMultipleChoiceField):
    """Ticked register rows: at most :data:`MAX_BATCH`, counted before any query."""

    def clean(self, value: Any) -> Any:
        if value and len(value) > MAX_BATCH:
            raise ValidationError(
                _("You chose %(count)s people; invite at most %(max)s at a time."),
                code="batch_too_large",
                params={"count": len(value), "max": MAX_BATCH},
            )
        return super().clean(value)


MEMBER_CHANNELS = [
    (InvitationChannel.SMS, _("SMS to the phone in the register")),
    (InvitationChannel.ZALO, _("Zalo to the phone in the register")),
    (InvitationChannel.PRINT, _("Printed QR cards (for a village meeting)")),
]


@bounded_integers
class ChooseMembersForm(forms.Form):
    """The rows ticked on the member register (read from the query string)."""

    people = PeopleField(
        queryset=None,
        label=_("Members"),
        error_messages={"required": _("Tick at least one member to invite.")},
    )

    def __init__(self, *args: Any, people_qs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people_qs


@bounded_integers
class InviteMembersForm(ChooseMembersForm, ServiceForm):
    channel = forms.ChoiceField(
        label=_("How to send the invitations"),
        choices=MEMBER_CHANNELS,
        initial=InvitationChannel.SMS,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].widget = forms.MultipleHiddenInput()


@bounded_integers
class PrintForm(forms.Form):
    """Invitations whose QR cards are printed (hidden inputs, or ticks on the list)."""

    invitations = BoundedModelMultipleChoiceField(
        queryset=Invitation.objects.none(),
        widget=forms.MultipleHiddenInput(),
        error_messages={"required": _("Tick at least one waiting printed invitation.")},
    )

    def __init__(self, *args: Any, invitations_qs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitations"].queryset = invitations_qs

    def clean_invitations(self) -> Any:
        value = self.cleaned_data["invitations"]
        if len(value) > MAX_BATCH:
            raise ValidationError(
                _("You chose %(count)s people; invite at most %(max)s at a time."),
                code="batch_too_large",
                params={"count": len(value), "max": MAX_BATCH},
            )
        return value


class ActionForm(forms.Form):
    """A button (resend, revoke): nothing but the CSRF token."""


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("pending", pgettext_lazy("invitation state", "Waiting")),
            ("accepted", pgettext_lazy("invitation state", "Joined")),
            ("expired", pgettext_lazy("invitation state", "Expired")),
            ("revoked", pgettext_lazy("invitation state", "Revoked")),
        ],
    )


SIGN_IN_CHOICES = [
    ("password", _("With a password I choose")),
    ("code", _("With a code sent to my phone (no password)")),
]


class AcceptForm(ServiceForm):
    """Accepting as a new person: name, how to sign in, consent (and the phone when a
    printed card carries none)."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    phone = forms.CharField(
        label=_("Your mobile phone number"),
        max_length=32,
        required=False,
        help_text=_("You will sign in with it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sign_in = forms.ChoiceField(
        label=_("How will you sign in?"),
        choices=SIGN_IN_CHOICES,
        initial="password",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        max_length=128,
        help_text=_("At least 10 characters; a short sentence is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the notice on personal data and agree that HTX Số keeps my "
            "name, phone and membership for the cooperative's work."
        ),
        error_messages={"required": _("Tick the box to agree, or the account cannot be made.")},
    )

    def __init__(self, *args: Any, needs_phone: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_phone = needs_phone
        if needs_phone:
            self.fields["phone"].required = True
        else:
            del self.fields["phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("sign_in") == "password" and not data.get("password"):
            self.add_error("password", _("Choose a password, or sign in with a code instead."))
        return data


class AcceptSignedInForm(ServiceForm):
    """Accepting into the account already signed in: the consent alone."""

    consent = AcceptForm.base_fields["consent"]
