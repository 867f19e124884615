"""Content-Security-Policy: every page carries it, and nothing the platform renders
needs an exception (no inline script, no on*= handler, no style attribute or block)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import htxso

PACKAGE = Path(htxso.__file__).resolve().parent

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")", re.I
)
HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)


def _policy(response) -> dict[str, set[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = set(words[1:])
    return out


def _problems(html: str) -> list[str]:
    found = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("on*= handler", HANDLER),
        ("style attribute", STYLE_ATTR),
        ("<style> block", STYLE_BLOCK),
        ("javascript: URL", JS_URL),
    ]:
        for match in pattern.finditer(html):
            found.append(f"{name}: {html[match.start() : match.start() + 80]!r}")
    return found


def test_no_template_needs_an_inline_exception():
    templates = [p for p in PACKAGE.rglob("*.html") if "templates" in p.parts]
    assert len(templates) > 50
    bad = {}
    for path in templates:
        problems = _problems(path.read_text(encoding="utf-8"))
        if problems:
            bad[str(path.relative_to(PACKAGE))] = problems
    assert not bad, bad


def test_the_scan_finds_what_it_looks_for():
    assert _problems('<button onclick="x()">')
    assert _problems('<input style="width:1px">')
    assert _problems("<style>p{}</style>")
    assert _problems("<script>alert(1)</script>")
    assert not _problems('<script src="/static/js/app.js" defer></script>')
    assert not _problems('<script type="application/json" id="d">{}</script>')
    assert not _problems('<p data-style="x" class="onboarding">')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/dang-nhap/", "/cho/", "/quan-tri/login/", "/khong-co/"])
def test_pages_carry_the_policy(client, url):
    response = client.get(url)
    assert response.status_code in (200, 302, 404)
    policy = _policy(response)
    for directive, sources in EXPECTED.items():
        assert policy.get(directive) == sources, (directive, policy.get(directive))
    for directive, sources in policy.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive


@pytest.mark.django_db
def test_api_answers_carry_the_policy(client):
    assert _policy(client.get("/api/v1/market/categories"))["default-src"] == {"'self'"}


@pytest.mark.django_db
def test_admin_login_page_renders_under_the_policy(client):
    response = client.get("/quan-tri/login/")
    assert response.status_code == 200
    assert not _problems(response.content.decode())


@pytest.mark.django_db
def test_htmx_injects_no_style(client):
    html = client.get("/").content.decode()
    assert '<meta name="htmx-config"' in html
    assert '"includeIndicatorStyles": false' in html


def _simple_routes(patterns, prefix=""):
    for p in patterns:
        route = getattr(p.pattern, "_route", None)
        if route is None or "<" in route:
            continue
        if isinstance(p, URLResolver):
            if route.startswith(("api/", "quan-tri/")):
                continue
            yield from _simple_routes(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            yield "/" + prefix + route


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anon", "vca", "manager_a1"])
def test_rendered_pages_need_no_inline_exception(client, world, who):
    """What views and template tags generate (charts, QR codes, form widgets) too."""
    if who != "anon":
        client.force_login(world.users[who])
    bad = {}
    for url in sorted(set(_simple_routes(get_resolver().url_patterns))):
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        problems = _problems(response.content.decode())
        if problems:
            bad[url] = problems
    assert not bad, bad
