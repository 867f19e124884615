"""Issue 12: the report of a member or worker import lists people by ID number, so only
the roles that work with ID numbers download it, and each download is logged."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from htxso.core.files import private_storage
from htxso.core.models import SensitiveExport
from htxso.registry.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


def _job(world, kind):
    name = private_storage().save("imports/test-report.csv", ContentFile(b"a,b\n"))
    return ImportJob.objects.create(
        province_id="04",
        organisation=world.orgs["a1"],
        kind=kind,
        status=ImportStatus.DONE,
        file=name,
        original_name="thanh-vien.xlsx",
        file_sha256="0" * 64,
        created_by=world.users["officer_a"],
        total_rows=12,
        report={
            "problems": [
                {
                    "row": 2,
                    "outcome": "error",
                    "key": "004188009999",
                    "label": "Bế Văn Khánh",
                    "problems": [],
                }
            ]
        },
    )


@pytest.mark.parametrize(("key", "status"), [("officer_a", 200), ("vca", 200), ("viewer_a", 403)])
def test_member_import_report_only_for_who_works_with_id_numbers(client, world, key, status):
    job = _job(world, "members")
    client.force_login(world.users[key])
    response = client.get(reverse("registry:import_report", args=[job.pk]))
    assert response.status_code == status
    logged = SensitiveExport.objects.count()
    assert logged == (1 if status == 200 else 0)


def test_organisation_import_report_stays_open_to_the_viewer(client, world):
    job = _job(world, "organisations")
    client.force_login(world.users["viewer_a"])
    response = client.get(reverse("registry:import_report", args=[job.pk]))
    assert response.status_code == 200
    assert not SensitiveExport.objects.exists()
