"""Shared fixtures: administrative units loaded once per test database, and a small
"world" of two provinces, their organisations and one user per role."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

from htxso.core.actors import OPERATOR


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the 34 provinces, their wards and the legacy units."""
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)

    def user(self, key):
        return self.users.get(key)


#: Every role key the permission tests try, and "anon" for no user.
USER_KEYS = [
    "anon",
    "vca",
    "officer_a",
    "officer_b",
    "viewer_a",
    "viewer_b",
    "manager_a1",
    "manager_b1",
    "member_a1",
    "trainer",
    "buyer",
    "norole",
]


#: Who may see organisation a1 (Cao Bằng's cooperative) and the rows it owns.
ORG_A1_SEERS = {"vca", "officer_a", "viewer_a", "manager_a1", "member_a1"}
#: Who may see rows a1 owns that are not for its members (people, workers, audit…).
ORG_A1_STAFF_SEERS = {"vca", "officer_a", "viewer_a", "manager_a1"}


def build_world() -> World:
    from htxso.accounts import services
    from htxso.accounts.models import Role
    from htxso.registry.models import Organisation

    w = World()
    w.orgs["a1"] = Organisation.objects.create(
        kind="cooperative",
        name="HTX Nông nghiệp Hợp Giang",
        tax_code="0100233488",
        province_id="04",
    )
    w.orgs["a2"] = Organisation.objects.create(
        kind="group", name="Tổ hợp tác Dệt thổ cẩm Bảo Lạc", province_id="04"
    )
    w.orgs["b1"] = Organisation.objects.create(
        kind="cooperative", name="HTX Cà phê Ea Tu", tax_code="0100112437", province_id="66"
    )

    def make(key, role=None, **where):
        user = services.user_create(
            actor=OPERATOR,
            username=f"u_{key}",
            password="Mat-khau-rat-dai-2026",
            validate=False,
            full_name=f"Người dùng {key}",
            email=f"{key}@example.vn",
        )
        if role:
            services.role_assign(actor=OPERATOR, user=user, role=role, **where)
        w.users[key] = user
        return user

    make("vca", Role.VCA_ADMIN)
    from htxso.geo.models import Province

    cb, dl = Province.objects.get(pk="04"), Province.objects.get(pk="66")
    make("officer_a", Role.PROVINCE_OFFICER, province=cb)
    make("officer_b", Role.PROVINCE_OFFICER, province=dl)
    make("viewer_a", Role.DEPARTMENT_VIEWER, province=cb)
    make("viewer_b", Role.DEPARTMENT_VIEWER, province=dl)
    make("manager_a1", Role.COOP_MANAGER, organisation=w.orgs["a1"])
    make("manager_b1", Role.COOP_MANAGER, organisation=w.orgs["b1"])
    make("member_a1", Role.COOP_MEMBER, organisation=w.orgs["a1"])
    make("trainer", Role.TRAINER)
    make("buyer", Role.BUYER)
    make("norole")
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="session", autouse=True)
def _private_media_root(tmp_path_factory):
    """Private files (import uploads and reports) written by any test go to a temporary
    directory, never to var/private; a test may still point it elsewhere."""
    from django.test import override_settings

    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")):
        yield


def _uses_db(request) -> bool:
    return bool(
        request.node.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
        & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Administrative units and the classification schemes shipped by migrations are
    reference data every test may rely on.  A transactional test ends with a flush
    that empties every table, and with pytest-xdist a worker may run other files after
    it: put the reference data back, committed, before any database test starts."""
    if _uses_db(request):
        with django_db_blocker.unblock():
            ensure_reference_data()
    yield


def ensure_reference_data() -> None:
    """Put back the units and the rows of data migrations when a flush emptied them.
    Module- or session-scoped fixtures that write to the database run before
    ``_reference_data`` and call this themselves."""
    from htxso.geo.models import Province

    if not Province.objects.exists():
        call_command("load_units", verbosity=0)
    _restore_migration_data()


def _restore_migration_data() -> None:
    """Rows shipped by data migrations (classification schemes, letter templates, market
    categories) are flushed too."""
    import importlib

    from django.apps import apps

    from htxso.registry.models import ClassificationScheme

    if not ClassificationScheme.objects.exists():
        migration = importlib.import_module("htxso.registry.migrations.0004_classification_schemes")
        migration.add_schemes(apps, None)

    from htxso.core.models import LetterTemplate

    if not LetterTemplate.objects.exists():
        letters = importlib.import_module("htxso.core.migrations.0003_letter_templates_seed")
        letters.seed_letter_templates(apps, None)

    from htxso.governance.models import Rule

    if not Rule.objects.exists():
        rules = importlib.import_module("htxso.governance.migrations.0002_rules")
        rules.add_rules(apps, None)
        importlib.import_module("htxso.governance.migrations.0003_rules_2023_text").confirm_rules(
            apps, None
        )

    from htxso.market.models import Category

    if not Category.objects.exists():
        categories = importlib.import_module("htxso.market.migrations.0002_seed_categories")
        categories.seed(apps, None)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language.  A request of a user whose saved
    language is English activates English for the thread (as Django does for a
    request), and without this the next test in the same worker would run in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _message_outbox():
    """Every test starts with an empty message outbox (``htxso.core.messaging``'s
    ``memory`` backend, the tests' gateway: messages are really built and sent, and
    kept where the test can read them)."""
    from htxso.core import messaging

    messaging.outbox.clear()
    yield messaging.outbox


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a test's database rows are rolled back
    without the signals that forget cached pages and cards, so what one test cached
    (a province's home-page calls, a dashboard, a rate-limit counter) must not reach
    the next."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    """Mark the benchmarks' smoke tests (``tests/test_bench_*smoke.py``): each runs a
    benchmark at a tiny scale to prove it still works; CI runs them once, on SQLite."""
    import fnmatch

    for item in items:
        if fnmatch.fnmatch(item.path.name, "test_bench_*smoke.py"):
            item.add_marker(pytest.mark.bench_smoke)


# --- the benchmarks' smoke tests share one freshly seeded database ----------------------
_BENCH_TEMPLATE_SETUP = (
    "from bench.harness import django_environment\n"
    "with django_environment(verbose=False) as where:\n"
    "    print(where)\n"
)


def _bench_template(root_tmp: Path) -> Path:
    """A database with the migrations, units and demo data that every bench run starts
    from (what ``python -m bench`` would build itself), made once per test session and
    shared by the xdist workers under a file lock; each smoke test gets a copy."""
    import fcntl
    import subprocess
    import sys

    template = root_tmp / "bench-template"
    with open(root_tmp / "bench-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "done").exists():
            shutil.rmtree(template, ignore_errors=True)
            (template / "var" / "static").mkdir(parents=True)
            env = {
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "BENCH_REGISTRY_SCALE", "DJANGO_SETTINGS_MODULE")
            }
            env.update(
                SQLITE_PATH=str(template / "bench.sqlite3"),
                HTXSO_VAR_DIR=str(template / "var"),
            )
            proc = subprocess.run(
                [sys.executable, "-c", _BENCH_TEMPLATE_SETUP],
                cwd=Path(__file__).resolve().parent.parent,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
            (template / "done").write_text(proc.stdout, encoding="utf-8")
    return template


@pytest.fixture
def bench_db(tmp_path, tmp_path_factory):
    """Copy the shared, freshly seeded bench database (and its var directory) into
    ``tmp_path``: ``tmp_path / "bench.sqlite3"`` and ``tmp_path / "var"``."""
    root = tmp_path_factory.getbasetemp()
    root = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root
    template = _bench_template(root)
    shutil.copy2(template / "bench.sqlite3", tmp_path / "bench.sqlite3")
    shutil.copytree(template / "var", tmp_path / "var", dirs_exist_ok=True)
    return tmp_path
