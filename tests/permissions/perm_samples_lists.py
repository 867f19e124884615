"""World rows that make every list page and list API show something, on BOTH sides.

The leak test (tests/permissions/test_leaks.py) looks for the MARKERS of each
organisation in what a user sees: the organisation's name, and a token put in the names
of the rows made here (products, files, people, lots…).  a1 and a2 are in Cao Bằng (04),
b1 in Đắk Lắk (66).
"""

from __future__ import annotations

import datetime as dt

#: Strings that show a row, and whose rows they are: an organisation ("a1", "a2", "b1")
#: or a user ("u:norole").  A user may see a marker when one of its owners is in the
#: user's SCOPES.  Public rows (verified stores, their products) carry no marker.
MARKERS = {
    "HTX Nông nghiệp Hợp Giang": {"a1"},
    "HopGiangMau": {"a1"},
    "Tổ hợp tác Dệt thổ cẩm Bảo Lạc": {"a2"},
    "BaoLacMau": {"a2"},
    "HTX Cà phê Ea Tu": {"b1"},
    "EaTuMau": {"b1"},
    # norole's order from b1's store: norole and b1's sellers (and VCA) only
    "NoroleMua": {"b1", "u:norole"},
}
TAG = {"a1": "HopGiangMau", "a2": "BaoLacMau", "b1": "EaTuMau"}

#: Whose rows each user may see (VCA: everybody's; not checked).
SCOPES = {
    "anon": set(),
    "officer_a": {"a1", "a2"},
    "viewer_a": {"a1", "a2"},
    "officer_b": {"b1"},
    "viewer_b": {"b1"},
    "manager_a1": {"a1"},
    "member_a1": {"a1"},
    "manager_b1": {"b1"},
    "trainer": set(),
    "buyer": {"u:buyer"},
    "norole": {"u:norole"},
}


def _registry(w):
    from htxso.registry.models import (
        AnnualReport,
        ClassificationScheme,
        ClassificationScore,
        Membership,
        Person,
    )

    scheme = ClassificationScheme.objects.get(code="tt01-2020")
    for key in ("a1", "a2", "b1"):
        org = w.orgs[key]
        person = Person.objects.create(organisation=org, full_name=f"Thành viên {TAG[key]}")
        Membership.objects.create(
            organisation=org, person=person, kind="official", joined_on=dt.date(2020, 1, 1)
        )
    # submitted reports and scores wait in the province's queues (a1's 2025 ones are the
    # samples of tests/registry/perm_samples_reports.py, drafts)
    for key, year in (("a1", 2024), ("b1", 2024), ("b1", 2025)):
        AnnualReport.objects.create(
            organisation=w.orgs[key],
            year=year,
            status="submitted",
            members_official=3,
            workers_total=2,
        )
        ClassificationScore.objects.create(
            organisation=w.orgs[key], scheme=scheme, year=year, status="submitted"
        )


def _imports(w):
    from django.core.files.base import ContentFile

    from htxso.core.files import private_storage
    from htxso.registry.models import ImportJob, ImportStatus

    for key, province, user in (("a1", "04", "officer_a"), ("b1", "66", "officer_b")):
        name = private_storage().save(f"imports/{TAG[key]}.csv", ContentFile(b"Ten HTX;MST\n"))
        ImportJob.objects.create(
            province_id=province,
            kind="organisations",
            status=ImportStatus.MAPPING,
            file=name,
            original_name=f"nhap-{TAG[key]}.xlsx",
            file_sha256=("1" if key == "a1" else "2") * 64,
            created_by=w.users[user],
            report={"headers": [], "preview": [], "sheets": [], "problems": []},
            mapping={},
        )


def _audit(w):
    from htxso.core import audit
    from htxso.core.actors import OPERATOR

    for key in ("a1", "a2", "b1"):
        audit.record(
            actor=OPERATOR,
            action="organisation.update",
            instance=w.orgs[key],
            before={"name": w.orgs[key].name},
            after={"name": w.orgs[key].name, "note": TAG[key]},
        )


def _programs(w):
    from htxso.programs.models import Application
    from htxso.programs.services import calls
    from tests.programs.perm_samples import sample_call

    call = sample_call(w)  # published in Cao Bằng
    calls.call_publish(actor=w.users["officer_b"], call=call, province_id="66")
    # a1's draft is the programs sample; a2's and b1's are submitted to their provinces
    Application.objects.create(call=call, organisation=w.orgs["b1"], status="submitted")
    Application.objects.create(call=call, organisation=w.orgs["a2"], status="submitted")


def _market(w):
    from htxso.market.models import Cart, Category, Order, Store, StoreStatus
    from htxso.market.services import cart as cart_svc
    from htxso.market.services import catalogue, orders
    from tests.market.fixtures_market import ensure_categories
    from tests.market.perm_samples import sample_data

    sample_data(w)  # a1's store, product, order and report
    ensure_categories()
    store = Store.objects.create(
        organisation=w.orgs["b1"],
        name="Gian hàng Cà phê Buôn Ma Thuột",  # public: no marker
        slug="perm-cho-b1",
        status=StoreStatus.VERIFIED,
        offers_pickup=True,
        pickup_address="Buôn Ea Tu",
        bank_bin="970436",
        bank_account="0011008888",
    )
    product = catalogue.product_save(
        actor=w.users["manager_b1"],
        store=store,
        data={
            "title": "Cà phê Robusta rang mộc",
            "category": Category.objects.get(slug="mat-ong-nguyen-chat").pk,
        },
        variants=[{"label": "500 g", "price": 150000, "stock": 50}],
    )
    cart = Cart.objects.create(user=w.users["norole"])
    cart_svc.cart_add(cart=cart, variant_id=product.variants.get().pk, quantity=1)
    orders.checkout_place(
        actor=w.users["norole"],
        cart=cart,
        idempotency_key="perm-sample-order-b1",
        data={
            "buyer_name": "Khách NoroleMua",
            "buyer_phone": "0912345679",
            "fulfilment": "pickup",
            "payment_method": "vietqr",
        },
    )
    # stores waiting for verification in both provinces (the officers' queue)
    for key in ("a2", "b1"):
        Store.objects.create(
            organisation=w.orgs[key],
            name=f"Gian hàng chờ {TAG[key]}",
            slug=f"perm-cho-duyet-{key}",
            status=StoreStatus.PENDING,
        )
    from htxso.core.actors import PUBLIC
    from htxso.market.services import reviews

    reviews.report_create(actor=PUBLIC, product=product, reason="wrong_info", detail=TAG["b1"])
    # the lists of orders show their codes: a marker per order (random codes, per world)
    MARKERS[Order.objects.get(store=store).code] = {"b1", "u:norole"}
    MARKERS[sample_data(w)[2].code] = {"a1", "u:buyer"}


def _trace(w):
    from tests.trace.helpers import make_chain
    from tests.trace.perm_samples import _chain

    _chain(w)
    w._trace_chain_b1 = make_chain(w.orgs["b1"], plots=1, company="893860098", tag=TAG["b1"])


def WORLD(w):
    for step in (_registry, _imports, _audit, _programs, _market, _trace):
        step(w)
