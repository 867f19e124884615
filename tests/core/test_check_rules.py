"""scripts/check_rules.py (in `make lint`): roles are named only in core/roles.py and
request.POST is read only by forms."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_rules.py"
spec = importlib.util.spec_from_file_location("check_rules", SCRIPT)
check_rules = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_rules)


def _problems(source, name="htxso/market/views.py"):
    return check_rules.check_source(textwrap.dedent(source), Path(name))


@pytest.mark.parametrize(
    "source",
    [
        'STAFF = ("vca_admin", "province_officer")',
        'users = RoleAssignment.objects.filter(role="coop_manager")',
        'qs.filter(role__in=["trainer"])',
        "EDITORS = [Role.VCA_ADMIN, Role.PROVINCE_OFFICER]",
        "SELLERS: frozenset = frozenset({Role.COOP_MANAGER, Role.COOP_MEMBER})",
        'name = request.POST["name"]',
        'name = request.POST.get("name", "")',
        'ids = request.POST.getlist("ids")',
    ],
)
def test_refused(source):
    assert _problems(source), source


@pytest.mark.parametrize(
    "source",
    [
        "@access(roles=roles.STAFF)\ndef v(request): ...",
        "users = RoleAssignment.objects.filter(role=Role.COOP_MANAGER)",
        'Column("buyer", _("Buyer"))',  # the word, not the role
        "form = ProductForm(request.POST, request.FILES)",
        "def f():\n    group = [Role.VCA_ADMIN]\n    return group",  # not a module constant
    ],
)
def test_allowed(source):
    assert not _problems(source), source


def test_roles_module_and_forms_are_the_one_place():
    assert not _problems('STAFF = ("vca_admin",)', name="src/htxso/core/roles.py")
    assert not _problems('x = request.POST.get("a")', name="src/htxso/market/forms.py")


def test_command_line_exit_status(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text('def v(request):\n    return request.POST["x"]\n')
    good = tmp_path / "ok.py"
    good.write_text("x = 1\n")
    run = [sys.executable, str(SCRIPT)]
    assert subprocess.run([*run, str(good)], capture_output=True).returncode == 0
    result = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and "views.py:2:" in result.stdout
