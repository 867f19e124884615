"""Permission-test samples of the registry sync feed and bulk export (issue 19).

The world's organisations are stamped five minutes back (the feed serves changes
older than its settle window) and one export is generated, so the download pages
answer for everybody.
"""

from __future__ import annotations


def WORLD(w):  # the name tests/permissions/samples.py looks for
    import datetime as dt

    from django.utils import timezone

    from htxso.registry import exports_bulk
    from htxso.registry.models import Organisation

    Organisation.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    exports_bulk.save_export()


API_SAMPLES = {
    "/api/v1/registry/changes/organisations/{org_id}": lambda w: {"org_id": w.orgs["a1"].pk},
}
