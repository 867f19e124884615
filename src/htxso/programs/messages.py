"""The sentences of the programs notifications, by key.

A notification stores a key of :data:`MESSAGES` and its parameters; the sentence is
translated when it is shown, in the reader's language of the moment (a manager who
switches to English reads his notifications in English).  The msgids are marked with
``gettext_noop`` so that ``makemessages`` keeps collecting them.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

MESSAGES: dict[str, str] = {
    "call.published": gettext_noop("New call open to your cooperative: %(title)s"),
    "application.submitted": gettext_noop("%(name)s submitted an application to %(title)s"),
    "application.info_requested": gettext_noop(
        "The province asks for more information on your application to %(title)s"
    ),
    "application.verified": gettext_noop("The province verified your application to %(title)s"),
    "application.rejected": gettext_noop(
        "The province found your application to %(title)s not eligible"
    ),
    "application.reminder": gettext_noop(
        "Reminder: the application of %(name)s to %(title)s is not submitted; "
        "the deadline is %(date)s"
    ),
    "compilation.forwarded": gettext_noop(
        "%(province)s forwarded %(n)s eligible cooperative(s) for “%(title)s”"
    ),
    "province.selected": gettext_noop("VCA selected your province for %(title)s"),
    "province.not_selected": gettext_noop("VCA did not select your province for %(title)s"),
    "application.selected": gettext_noop("Your cooperative was selected for %(title)s"),
    "application.not_selected": gettext_noop("Your cooperative was not selected for %(title)s"),
}


def render_message(key: str, params: dict | None) -> str | None:
    """The sentence of ``key`` in the active language, or ``None`` when the key is
    unknown or the parameters do not fit it (the caller then shows the stored text)."""
    template = MESSAGES.get(key or "")
    if template is None:
        return None
    try:
        return gettext(template) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return None
