"""Settings from the environment, production refusals and `check --deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def run(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HTXSO_", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "htxso", *args], env=env, capture_output=True, text=True, timeout=120
    )


GOOD = {
    "HTXSO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "htxso.example.vn",
    "SITE_URL": "https://htxso.example.vn",
    "DEBUG": "0",
    "HTXSO_TESTING": "0",
}


@pytest.mark.slow
def test_production_refuses_the_default_secret():
    result = run({**GOOD, "SECRET_KEY": ""}, "check")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_production_refuses_a_missing_site_url():
    result = run({**GOOD, "SITE_URL": ""}, "check")
    assert result.returncode != 0 and "SITE_URL" in result.stderr


@pytest.mark.slow
def test_production_refuses_debug():
    result = run({**GOOD, "DEBUG": "1"}, "check")
    assert result.returncode != 0 and "DEBUG" in result.stderr


@pytest.mark.slow
def test_production_passes_check_deploy():
    result = run(GOOD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_production_defaults():
    code = (
        "from django.conf import settings as s;"
        "print(s.PASSWORD_HASHERS[0]);print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE);"
        "print(s.HTXSO_REQUIRE_2FA_FOR_STAFF);print(s.LOGGING['handlers']['console']['formatter'])"
    )
    result = run(GOOD, "shell", "--no-imports", "-c", code)
    lines = result.stdout.split()
    assert lines[0].endswith("Argon2PasswordHasher"), result.stderr
    assert lines[1:3] == ["True", "True"]
    assert lines[3] == "True" and lines[4] == "json"


@pytest.mark.slow
def test_database_url_is_read():
    result = run(
        {"DATABASE_URL": "postgres://u:p@db.example:5433/htx", "HTXSO_TESTING": "0"},
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; d=s.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example", "5433", "htx"]


@pytest.mark.slow
def test_production_logs_are_json_lines():
    import json

    result = run(
        GOOD,
        "shell",
        "--no-imports",
        "-c",
        "import logging; logging.getLogger('htxso.x').warning('xin chào Cao Bằng')",
    )
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("{")][-1]
    record = json.loads(line)
    assert record["message"] == "xin chào Cao Bằng"
    assert record["level"] == "WARNING" and record["logger"] == "htxso.x"
