"""Audit rows for imported objects, written in bulk (one per created/updated object).

``core.audit.record`` writes one row per call; an import of 200,000 rows writes its
per-object rows with ``bulk_create`` instead, filling the same columns the same way.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from htxso.core.actors import Actor, SystemActor
from htxso.core.models import AuditEvent


def bulk_audit(*, actor: Actor, action: str, model, rows, journal=None) -> None:
    """``rows``: (object id, repr, province code, organisation id, before, after).  The
    ids of the rows written go to the import's undo log (``journal``), so an import that
    is undone leaves no history of records that no longer exist."""
    content_type = ContentType.objects.get_for_model(model)
    # the same columns as core.audit.record: a system actor is shown by its name
    actor_obj = None if isinstance(actor, SystemActor) else actor
    label = (actor.username if isinstance(actor, SystemActor) else actor.get_username())[:150]
    events = AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor_obj,
                actor_label=label,
                action=action,
                content_type=content_type,
                object_id=str(pk),
                object_repr=str(text)[:255],
                province_id=province,
                organisation_id=org_id,
                before=before,
                after=after,
            )
            for pk, text, province, org_id, before, after in rows
        ],
        batch_size=500,
    )
    if journal is not None:
        journal.created(AuditEvent, [e.pk for e in events])
