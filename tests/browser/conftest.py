"""Playwright driving Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get("HTXSO_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)
SCREENSHOTS = ARTIFACTS / "screenshots"
VIEWPORTS = {"360": {"width": 360, "height": 780}, "1280": {"width": 1280, "height": 900}}

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (fixtures) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("HTXSO_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


#: What Chromium writes to the console when the Content-Security-Policy blocks something.
CSP_MARK = "Content Security Policy"
# Runs in every page before its own scripts (init scripts are not subject to the CSP):
# a violation the console might word differently is reported in the same words.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("Content Security Policy violation: " + e.violatedDirective + " "
                + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def watch_csp(context) -> list[str]:
    """Collect the CSP violations of every page of ``context``."""
    found: list[str] = []
    context.add_init_script(script=_CSP_LISTENER)

    def on_console(message):
        if CSP_MARK in message.text:
            found.append(message.text)

    context.on("console", on_console)
    return found


@pytest.fixture
def page_factory(chromium):
    """New pages; a test whose pages broke the Content-Security-Policy fails."""
    contexts = []

    def make(width: str = "360", locale: str = "vi-VN"):
        context = chromium.new_context(viewport=VIEWPORTS[width], locale=locale)
        context.set_default_timeout(15_000)
        contexts.append((context, watch_csp(context)))
        return context.new_page()

    yield make
    violations = []
    for context, found in contexts:
        context.close()
        violations.extend(found)
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the viewport"


__all__ = [
    "ARTIFACTS",
    "CSP_MARK",
    "SCREENSHOTS",
    "assert_no_horizontal_overflow",
    "shot",
    "shutil",
    "watch_csp",
]


def wait_until(page, expression: str, *, timeout_ms: int = 10_000) -> None:
    """Wait until a JavaScript expression is true in the page.

    Playwright's ``wait_for_function`` compiles its expression with ``eval`` inside the
    page, which the Content-Security-Policy refuses (and the CSP watcher fails the
    test); ``page.evaluate`` runs through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(50)
