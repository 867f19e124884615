"""The public lot page on a slow phone network: byte budget of the page and its fonts
(Chromium's network emulation: 400 ms latency, 50,000 bytes/s each way).

The test asserts bytes, not seconds (timings depend on the machine); the seconds are
printed into ``test-artifacts/trace-weight.txt`` for the record."""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from tests.trace.helpers import make_chain

from .conftest import ARTIFACTS, shot

pytestmark = pytest.mark.django_db(transaction=True)

#: Everything the public lot page transfers on a first visit (HTML, CSS, JS, fonts), as
#: the test server sends it (uncompressed) and as production sends it (text gzipped).
PAGE_BUDGET = 64_000
PAGE_BUDGET_COMPRESSED = 40_000
#: The web fonts of that visit (woff2: the same bytes everywhere).
FONT_BUDGET = 30_000
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def _gzipped(url: str) -> int:
    """The size of ``url`` once gzip-compressed, as the production server sends text."""
    with urllib.request.urlopen(url) as response:
        body = response.read()
    return len(gzip.compress(body, 6)) if not url.endswith(".woff2") else len(body)


def _visit_slow(page, url):
    # the anonymous lot page is cached by the server: a first visit fills the cache, so
    # the measured one shows the network, not the test machine's rendering time
    urllib.request.urlopen(url).read()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW)
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const res = performance.getEntriesByType('resource').map(
            r => [r.name.split('/').pop(), Math.round(r.startTime), Math.round(r.responseEnd)]);
        return {fcp: fcp ? fcp.startTime : null, load: nav.loadEventEnd,
                ttfb: nav.responseStart, html: nav.responseEnd, res: res};
    }"""
    )
    files = {urls.get(rid, rid): size for rid, size in sizes.items()}
    return files, timing


def test_public_lot_page_fits_a_slow_phone_network(live_server, world, page_factory):
    chain = make_chain(world.orgs["a1"], plots=12)
    page = page_factory("360")
    files, timing = _visit_slow(
        page, f"{live_server.url}/01/{chain.packaged.gtin}/10/{chain.packaged.code}"
    )
    total = sum(files.values())
    fonts = sum(size for url, size in files.items() if url.endswith((".woff2", ".woff", ".ttf")))
    compressed = sum(_gzipped(url) for url in files)
    report = "\n".join(
        [f"{size:>8} {url.replace(live_server.url, '')}" for url, size in sorted(files.items())]
        + [
            f"total {total} bytes, fonts {fonts} bytes, {compressed} bytes gzip-compressed",
            f"first contentful paint {timing['fcp']:.0f} ms, load {timing['load']:.0f} ms",
            f"html first byte {timing['ttfb']:.0f} ms, html done {timing['html']:.0f} ms",
            *(f"  {name}: {start}-{end} ms" for name, start, end in timing["res"]),
        ]
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "trace-weight.txt").write_text(report + "\n")
    shot(page, "trace-lot-slow-360")
    assert fonts <= FONT_BUDGET, report
    assert sum(1 for url in files if url.endswith(".woff2")) <= 2, report
    assert not any("htmx" in url for url in files), report
    assert total <= PAGE_BUDGET, report
    assert compressed <= PAGE_BUDGET_COMPRESSED, report
