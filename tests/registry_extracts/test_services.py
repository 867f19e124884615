"""Reconciling extracts with the registry: categories, applying, history, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.geo.models import Province, Ward
from htxso.registry import stats
from htxso.registry.extracts import services
from htxso.registry.models import Organisation
from htxso.registry.models.extracts import Decision, RunStatus, SyncItem, SyncRun

from .helpers import (
    EXTRACT_DATE,
    bad_code,
    business_csv,
    business_xlsx_merged,
    cao_bang_registry,
    code,
    row,
    standard_rows,
    tax_csv,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cb():
    return Province.objects.get(pk="04")


@pytest.fixture
def ward():
    return Ward.objects.filter(province_id="04").order_by("code").first()


def _upload(user, content, province, *, name="trich-xuat.csv", source="business", date=None):
    return services.upload_extract(
        actor=user,
        upload=upload(content, name),
        source=source,
        province=province,
        extract_date=date or EXTRACT_DATE,
    )


def _snapshot():
    return list(
        Organisation.objects.order_by("pk").values_list(
            "pk", "name", "status", "address", "charter_capital", "representative", "dissolved_on"
        )
    )


def test_categories_before_anything_changes(world, cb, ward):
    orgs = cao_bang_registry(world)
    before = _snapshot()
    run = _upload(world.users["officer_a"], business_csv(standard_rows(world, ward.name)), cb)
    assert _snapshot() == before  # nothing changed by the upload
    assert run.counts == {
        "changed": 1,
        "new": 1,
        "dissolved": 1,
        "conflict": 4,
        "other_province": 1,
        "missing": 1,
    }
    assert run.total_rows == 8 and run.status == RunStatus.REVIEW
    changed = SyncItem.objects.get(run=run, category="changed")
    assert changed.organisation == world.orgs["a1"]
    assert changed.changes["charter_capital"] == [None, 500_000_000]
    assert changed.changes["representative"] == ["", "Nông Văn Dũng"]
    conflicts = {i.code: i.problems[0]["message"] for i in run.items.filter(category="conflict")}
    assert "different name" in conflicts[code(2)]
    assert "check digit" in conflicts[bad_code(5)]
    assert "times in the extract" in conflicts[code(6)]
    missing = SyncItem.objects.get(run=run, category="missing")
    assert missing.organisation == orgs["missing"]
    assert run.unknown_vsic == ["9999"]
    assert len(run.file_sha256) == 64 and run.file.name


def test_apply_by_category_changes_registry_and_audits(world, cb, ward):
    orgs = cao_bang_registry(world)
    officer = world.users["officer_a"]
    run = _upload(officer, business_csv(standard_rows(world, ward.name)), cb)
    for category in ("changed", "new", "dissolved"):
        services.apply_items(actor=officer, run=run, category=category)
    a1 = Organisation.objects.get(pk=world.orgs["a1"].pk)
    assert (a1.charter_capital, a1.representative, a1.address) == (
        500_000_000,
        "Nông Văn Dũng",
        "Số 5 đường Hợp Giang",
    )
    assert a1.vsic_codes == ["0118", "4620"]
    new = Organisation.objects.get(tax_code=code(4))
    assert (new.province_id, new.ward_id, new.kind, new.sector) == (
        "04",
        ward.code,
        "cooperative",
        "agriculture",
    )
    gone = Organisation.objects.get(pk=orgs["dissolving"].pk)
    assert gone.status == "dissolved" and gone.dissolved_on == dt.date(2026, 3, 1)
    events = AuditEvent.objects.filter(action__startswith="registry.extract.")
    applied = events.filter(action="registry.extract.apply")
    assert applied.count() == 2
    assert all(e.after["sync_run"] == run.pk for e in applied)
    assert events.filter(action="registry.extract.create", object_id=str(new.pk)).exists()
    with pytest.raises(ServiceError) as exc:
        services.apply_items(actor=officer, run=run, category="conflict")
    assert exc.value.code == "extract_not_applicable"
    services.reject_items(actor=officer, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED
    assert (run.applied_count, run.rejected_count) == (3, 6)
    # nothing deleted: the dissolved organisation is still in the registry
    assert Organisation.objects.filter(pk=orgs["missing"].pk).exists()


def test_one_by_one_and_unmatched_ward_listed(world, cb):
    cao_bang_registry(world)
    officer = world.users["officer_a"]
    rows = standard_rows(world, "Phường Không Có Thật")
    run = _upload(officer, business_csv(rows), cb)
    item = run.items.get(category="new")
    assert services.apply_items(actor=officer, run=run, item_ids=[item.pk]) == 1
    new = Organisation.objects.get(tax_code=code(4))
    assert new.ward_id is None  # not guessed
    item.refresh_from_db()
    assert item.decision == Decision.APPLIED and item.organisation == new
    assert "was not found" in item.problems[-1]["message"]


def test_same_extract_twice_changes_nothing(world, cb):
    cao_bang_registry(world)
    officer = world.users["officer_a"]
    content = business_csv(standard_rows(world))
    run = _upload(officer, content, cb)
    services.apply_items(actor=officer, run=run, category="changed")
    before, runs = _snapshot(), SyncRun.objects.count()
    with pytest.raises(ServiceError) as exc:
        _upload(officer, content, cb, name="lan-hai.csv")
    assert exc.value.code == "extract_already_seen"
    # the same content in another file (another encoding, no title rows)
    with pytest.raises(ServiceError) as exc:
        _upload(officer, business_csv(standard_rows(world), encoding="utf-16", title=False), cb)
    assert exc.value.code == "extract_already_seen"
    assert _snapshot() == before and SyncRun.objects.count() == runs


def test_older_extract_needs_confirmation(world, cb):
    cao_bang_registry(world)
    officer = world.users["officer_a"]
    first = _upload(officer, business_csv(standard_rows(world)), cb)
    services.apply_items(actor=officer, run=first, category="changed")
    older_rows = [row(world.orgs["a1"].tax_code, world.orgs["a1"].name, capital="100.000.000")]
    older = _upload(officer, business_csv(older_rows), cb, date=dt.date(2026, 6, 1))
    assert older.older_than_last
    with pytest.raises(ServiceError) as exc:
        services.apply_items(actor=officer, run=older, category="changed")
    assert exc.value.code == "extract_older"
    assert Organisation.objects.get(pk=world.orgs["a1"].pk).charter_capital == 500_000_000
    services.apply_items(actor=officer, run=older, category="changed", confirm_older=True)
    assert Organisation.objects.get(pk=world.orgs["a1"].pk).charter_capital == 100_000_000


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_wrong_encodings_are_read(world, cb, encoding):
    rows = [row(code(4), "HTX Chè Shan tuyết Phìa Đén", representative="Hoàng Thị Mai")]
    run = _upload(world.users["officer_a"], business_csv(rows, encoding=encoding), cb)
    item = run.items.get(category="new")
    assert item.name == "HTX Chè Shan tuyết Phìa Đén"
    assert item.record["representative"] == "Hoàng Thị Mai"


def test_merged_title_rows_xlsx(world, cb, ward):
    cao_bang_registry(world)
    content = business_xlsx_merged(standard_rows(world, ward.name))
    run = _upload(world.users["officer_a"], content, cb, name="trich-xuat.xlsx")
    assert run.counts["new"] == 1 and run.counts["dissolved"] == 1
    assert run.items.get(category="new").record["ward_name"] == ward.name


def test_another_province_is_flagged_not_applied(world, cb):
    officer = world.users["officer_a"]
    b1 = world.orgs["b1"]
    run = _upload(officer, business_csv([row(b1.tax_code, b1.name, capital="900.000.000")]), cb)
    assert run.counts == {"other_province": 1, "missing": 1}
    with pytest.raises(ServiceError):
        services.apply_items(actor=officer, run=run, category="other_province")
    assert Organisation.objects.get(pk=b1.pk).charter_capital is None


def test_officer_of_another_province_is_refused(world, cb):
    with pytest.raises(ServiceError) as exc:
        _upload(world.users["officer_b"], business_csv(standard_rows(world)), cb)
    assert exc.value.code == "forbidden"
    with pytest.raises(ServiceError):
        _upload(world.users["viewer_a"], business_csv(standard_rows(world)), cb)
    with pytest.raises(ServiceError):  # only the VCA reconciles the nation
        _upload(world.users["officer_a"], business_csv(standard_rows(world)), None)
    assert not SyncRun.objects.exists()


def test_apply_is_atomic(world, cb, ward, monkeypatch):
    orgs = cao_bang_registry(world)
    officer = world.users["officer_a"]
    run = _upload(officer, business_csv(standard_rows(world, ward.name)), cb)
    before, audits = _snapshot(), AuditEvent.objects.count()
    from htxso.registry.extracts import services as module

    calls = {"n": 0}
    original = module.audit.record

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(module.audit, "record", failing)
    with pytest.raises(RuntimeError):
        services.apply_items(actor=officer, run=run)  # every applicable row
    assert _snapshot() == before
    assert AuditEvent.objects.count() == audits
    assert not Organisation.objects.filter(tax_code=code(4)).exists()
    assert not run.items.exclude(decision=Decision.PENDING).exists()
    assert Organisation.objects.get(pk=orgs["dissolving"].pk).status == "active"


def test_registry_edited_since_refuses_the_whole_apply(world, cb):
    cao_bang_registry(world)
    officer = world.users["officer_a"]
    run = _upload(officer, business_csv(standard_rows(world)), cb)
    Organisation.objects.filter(pk=world.orgs["a1"].pk).update(charter_capital=1)
    with pytest.raises(ServiceError) as exc:
        services.apply_items(actor=officer, run=run)
    assert exc.value.code == "extract_stale"
    assert not Organisation.objects.filter(tax_code=code(4)).exists()


def test_bad_check_digit_and_scripts_in_text(world, cb):
    rows = [row(bad_code(7), "<script>alert(1)</script> HTX")]
    run = _upload(world.users["officer_a"], business_csv(rows), cb)
    item = run.items.get(category="conflict")
    assert item.problems[0]["message"] == "The check digit of the code is wrong."
    assert item.name == "<script>alert(1)</script> HTX"  # stored as text, escaped when shown


def test_xlsx_bomb_is_refused_and_nothing_stored(world, cb, tmp_path):
    from tests.core.bombs import Member, repeated
    from tests.registry.test_import_bombs import SST_HEAD, _with

    bomb = _with(
        tmp_path,
        "bomb.xlsx",
        Member(
            "xl/sharedStrings.xml",
            repeated(b"<si><t>a</t></si>", 40_000_000, prefix=SST_HEAD, suffix=b"</sst>"),
        ),
    )
    with pytest.raises(ServiceError) as exc:
        _upload(world.users["officer_a"], bomb.read_bytes(), cb, name="bomb.xlsx")
    assert exc.value.code.startswith(("xlsx_", "zip_", "archive_", "file_"))
    assert not SyncRun.objects.exists()
    from htxso.core.files import private_storage

    storage = private_storage()
    assert not storage.exists("extracts") or not any(
        files for _d, files in [storage.listdir("extracts")]
    )


def test_tax_extract_flags_warns_and_counts(world, cb):
    officer = world.users["officer_a"]
    a1 = world.orgs["a1"]
    content = tax_csv([(a1.tax_code, a1.name, "NNT không hoạt động tại địa chỉ đã đăng ký", "")])
    run = _upload(officer, content, cb, source="tax")
    assert run.counts == {"tax": 1}
    services.apply_items(actor=officer, run=run, category="tax")
    a1.refresh_from_db()
    assert a1.tax_status == "left_address" and a1.tax_status_on == EXTRACT_DATE
    from htxso.registry import selectors

    org = selectors.organisations_with_warnings(user=officer, province="04").get(pk=a1.pk)
    codes = [w.code for w in selectors.warnings_for(org)]
    assert "tax_status" in codes
    board = stats.dashboard(user=officer, province="04", use_cache=False)
    assert board.figures.tax_problem == 1


def test_dissolved_stops_counting_as_operating_from_its_date(world, cb):
    orgs = cao_bang_registry(world)
    officer = world.users["officer_a"]
    run = _upload(officer, business_csv(standard_rows(world)), cb)
    board = stats.dashboard(user=officer, province="04", year=2025, use_cache=False)
    operating_before = board.figures.operating
    services.apply_items(actor=officer, run=run, category="dissolved")
    # dissolved on 01/03/2026: still operating at the end of 2025, not in 2026
    board = stats.dashboard(user=officer, province="04", year=2025, use_cache=False)
    assert board.figures.operating == operating_before
    board = stats.dashboard(user=officer, province="04", year=2026, use_cache=False)
    assert board.figures.operating == operating_before - 1
    assert Organisation.objects.get(pk=orgs["dissolving"].pk).status == "dissolved"


def test_national_run_by_vca(world, ward):
    vca = world.users["vca"]
    rows = [row(code(8), "HTX Quốc Gia Mẫu", province="Cao Bằng", ward=ward.name)]
    run = _upload(vca, business_csv(rows), None)
    assert run.province is None and run.counts.get("new") == 1
    services.apply_items(actor=vca, run=run, category="new")
    assert Organisation.objects.get(tax_code=code(8)).province_id == "04"


def test_unchanged_rows_skip_the_comparison_but_not_the_checks(world, cb):
    """The database tells which rows may differ; the rest are unchanged without a
    comparison in Python — but a row naming another province is still flagged, and the
    unknown business lines of unchanged rows are still listed."""
    from htxso.registry.extracts.adapters import Record
    from htxso.registry.extracts.reconcile import reconcile
    from htxso.registry.models.extracts import ItemCategory

    a1 = world.orgs["a1"]
    base = {
        "code": a1.tax_code,
        "name": a1.name,
        "kind": a1.kind,
        "status": a1.status,
        "address": a1.address,
        "representative": a1.representative,
        "charter_capital": a1.charter_capital,
    }
    same = Record(row=1, **base)
    out = reconcile("business", cb, [same])
    assert (out.unchanged, out.items) == (1, [])
    elsewhere = Record(row=1, province_name="Tỉnh Đắk Lắk", **base)
    out = reconcile("business", cb, [elsewhere])
    assert [i["category"] for i in out.items] == [ItemCategory.OTHER_PROVINCE]
    own = Record(row=1, province_name="Cao Bằng", **base)
    assert reconcile("business", cb, [own]).unchanged == 1
    # national scope, VSIC codes the table does not know (and the registry has none)
    a1.vsic_codes = ["99999"]
    a1.save(update_fields=["vsic_codes"])
    out = reconcile("business", None, [Record(row=1, vsic=["99999"], **base)])
    assert out.unchanged == 1 and out.unknown_vsic == ["99999"]
