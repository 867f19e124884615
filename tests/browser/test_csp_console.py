"""The browser fixtures notice Content-Security-Policy violations, so a journey that
relies on inline script or style fails instead of silently losing a feature."""

from __future__ import annotations

from .conftest import CSP_MARK, watch_csp

PAGE = """<!doctype html><html><head><title>t</title></head><body>
<p id="p" style="color: red">x</p><script>document.title = "ran";</script></body></html>"""


def test_violations_are_reported(chromium):
    context = chromium.new_context()
    try:
        found = watch_csp(context)
        page = context.new_page()
        page.route(
            "http://csp.invalid/",
            lambda route: route.fulfill(
                status=200,
                body=PAGE,
                headers={
                    "Content-Type": "text/html",
                    "Content-Security-Policy": "default-src 'self'; style-src 'self'",
                },
            ),
        )
        page.goto("http://csp.invalid/")
        page.wait_for_timeout(200)
        assert page.title() == "t"  # the inline script was blocked
        assert found and all(CSP_MARK in text for text in found)
    finally:
        context.close()
