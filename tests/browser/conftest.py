"""Playwright driving Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture
def page_factory(chromium):
    contexts = []

    def make(width: str = "360", locale: str = "vi-VN"):
        context = chromium.new_context(viewport=VIEWPORTS[width], locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for c in contexts:
        c.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the viewport"


__all__ = ["ARTIFACTS", "SCREENSHOTS", "assert_no_horizontal_overflow", "shot", "shutil"]
