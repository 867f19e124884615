"""Members, workers and annual figures: by a province officer (rows name the
organisation by tax code) and by a cooperative manager (their own organisation)."""

from __future__ import annotations

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from htxso.core.models import AuditEvent
from htxso.geo.models import Province
from htxso.registry.importing import run_import_file
from htxso.registry.models import AnnualReport, ImportJob, ImportStatus, Membership, Person, Worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _csv(path, headers, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


MEMBER_HEADERS = [
    "MST HTX",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Loại thành viên",
    "Ngày gia nhập",
    "Vốn góp",
]


def _codes(summary):
    return {
        row: sorted(p["code"] for p in problems) for row, _o, _k, _l, problems in summary.outcomes
    }


def test_members_by_officer_with_problems_and_reimport(world, tmp_path):
    rows = [
        ["0100112437", "Nguyễn Văn An", "Nam", "12/05/1980", "Chính thức", "44197", "10.000.000"],
        [
            "0100112437",
            "Trần Thị Bình",
            "Nữ",
            "1985-02-01",
            "Liên kết góp vốn",
            "01/03/2021",
            "5.000.000",
        ],
        ["0100112437", "Lê Văn Cường", "Nam", "", "Liên kết không góp vốn", "01/03/2021", "1.000"],
        ["0100233488", "Phạm Văn Dũng", "Nam", "", "", "01/03/2021", ""],
        ["0100112437", "Nguyễn Văn An", "Nam", "12/05/1980", "Chính thức", "44197", ""],
        ["0100112437", "Hồ Văn Em", "Nam", "", "", "01/03/2099", "-1"],
    ]
    path = _csv(tmp_path / "tv.csv", MEMBER_HEADERS, rows)
    kw = {"actor": world.users["officer_b"], "province": Province.objects.get(pk="66")}
    s = run_import_file(path, kind="members", mode="valid", **kw)
    assert _codes(s) == {
        2: [],
        3: [],
        4: ["service_associate_capital"],
        5: ["org_other_province"],
        6: ["person_duplicate_in_file"],
        7: ["date_future", "vnd_negative"],
    }
    assert (s.created, s.skipped) == (2, 4)
    an = Membership.objects.get(person__full_name="Nguyễn Văn An")
    assert an.organisation == world.orgs["b1"] and an.capital == 10_000_000
    assert an.joined_on.isoformat() == "2021-01-01" and an.person.sex == "male"
    assert Membership.objects.get(person__full_name="Trần Thị Bình").kind == "capital_associate"
    assert AuditEvent.objects.filter(action="registry.membership.import").count() == 2
    again = run_import_file(path, kind="members", mode="valid", **kw)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 2


def test_workers_and_youth(world, tmp_path):
    headers = ["Mã số thuế", "Họ tên", "Ngày sinh", "Chức vụ", "Ngày bắt đầu", "Thu nhập tháng"]
    rows = [
        ["0100112437", "Y Nguyễn", "01/01/2000", "Kế toán", "01/01/2022", "6.500.000"],
        ["0100112437", "H'Hen Niê", "01/01/1970", "Giám đốc", "01/01/2015", "9.000.000"],
        ["0100112437", "Sai Ngày", "", "", "01/01/2022", "99.000.000.000"],
    ]
    path = _csv(tmp_path / "ld.csv", headers, rows)
    s = run_import_file(
        path,
        kind="workers",
        mode="valid",
        actor=world.users["officer_b"],
        province=Province.objects.get(pk="66"),
    )
    assert _codes(s)[4] == ["amount_absurd"]
    assert Worker.objects.filter(organisation=world.orgs["b1"]).count() == 2
    assert Worker.objects.get(person__full_name="Y Nguyễn").monthly_income == 6_500_000


def test_annual_figures_and_locked_reports(world, tmp_path):
    AnnualReport.objects.create(
        organisation=world.orgs["b1"], year=2023, status="accepted", revenue=1
    )
    headers = ["MST", "Năm", "Doanh thu", "Lợi nhuận", "Số lao động", "Lao động dưới 35 tuổi"]
    rows = [
        ["0100112437", "2024", "1.234.567.000", "-5.000.000", "10", "4"],
        ["0100112437", "2023", "2.000.000", "", "", ""],
        ["0100112437", "2022", "1.000", "", "3", "5"],
        ["0100112437", "2099", "1.000", "", "", ""],
    ]
    path = _csv(tmp_path / "bc.csv", headers, rows)
    s = run_import_file(
        path,
        kind="annual_figures",
        mode="valid",
        actor=world.users["officer_b"],
        province=Province.objects.get(pk="66"),
    )
    assert _codes(s) == {2: [], 3: ["report_locked"], 4: ["youth_above_total"], 5: ["year_range"]}
    r = AnnualReport.objects.get(organisation=world.orgs["b1"], year=2024)
    assert (r.revenue, r.profit, r.workers_total, r.status) == (
        1_234_567_000,
        -5_000_000,
        10,
        "draft",
    )
    assert AnnualReport.objects.get(organisation=world.orgs["b1"], year=2023).revenue == 1


def test_manager_imports_own_members_only(client, world, tmp_path):
    user = world.users["manager_a1"]
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    rows = [
        ["", "Nông Văn Giang", "Nam", "", "Chính thức", "01/01/2020", "2.000.000"],
        ["0100112437", "Người Khác", "Nam", "", "Chính thức", "01/01/2020", "1.000"],
    ]
    path = _csv(tmp_path / "tv.csv", MEMBER_HEADERS, rows)
    page = client.get(reverse("registry:import_list")).content.decode()
    assert 'value="organisations"' not in page  # managers import their own people only
    response = client.post(
        reverse("registry:import_list"),
        {
            "kind": "members",
            "organisation": world.orgs["a1"].pk,
            "file": SimpleUploadedFile("tv.csv", path.read_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.get()
    assert job.organisation == world.orgs["a1"] and job.province_id == "04"
    post = {f"map-{k}": v for k, v in job.mapping.items()}
    client.post(reverse("registry:import_mapping", args=[job.pk]), post)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.error_rows == 1
    client.post(reverse("registry:import_run", args=[job.pk]), {"mode": "valid"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 1
    assert Membership.objects.get().organisation == world.orgs["a1"]
    # another organisation cannot be chosen
    response = client.post(
        reverse("registry:import_list"),
        {
            "kind": "members",
            "organisation": world.orgs["b1"].pk,
            "file": SimpleUploadedFile("tv.csv", path.read_bytes()),
        },
    )
    assert response.status_code == 200 and ImportJob.objects.count() == 1
