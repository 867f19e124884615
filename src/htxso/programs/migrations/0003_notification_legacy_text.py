"""Notifications written before ``message_key``: no key, no parameters — they keep their
text and are shown as stored (``Notification.text`` falls back to ``message``).

The sentences cannot be turned back into keys reliably (they hold titles and names in
the language of the day), so their ``message`` is left as it is; this migration only
makes the legacy state explicit (no key, empty parameters).  Reversible: the reverse
does nothing."""

from django.db import migrations


def mark_legacy(apps, schema_editor):
    Notification = apps.get_model("programs", "Notification")
    Notification.objects.filter(message_key="").update(params={})


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_notification_message_key")]

    operations = [migrations.RunPython(mark_legacy, migrations.RunPython.noop)]
