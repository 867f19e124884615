"""Seller and buyer formatted text: only harmless formatting survives."""

from __future__ import annotations

import pytest

from htxso.market.sanitize import clean_html, plain_text


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Cà phê <strong>Đắk Lắk</strong></p>", "<p>Cà phê <strong>Đắk Lắk</strong></p>"),
        ("<p>a<br>b</p>", "<p>a<br>b</p>"),
        ("<ul><li>250 g</li><li>1 kg</li></ul>", "<ul><li>250 g</li><li>1 kg</li></ul>"),
        ("<h3>Bảo quản</h3><h4>Nơi khô</h4>", "<h3>Bảo quản</h3><h4>Nơi khô</h4>"),
        (
            "<b>b</b><i>i</i><em>e</em><ol><li>x</li></ol>",
            "<b>b</b><i>i</i><em>e</em><ol><li>x</li></ol>",
        ),
        ("Mật ong<script>alert(1)</script>", "Mật ong"),
        ("<style>body{display:none}</style>Chè", "Chè"),
        ('<p onclick="steal()">x</p>', "<p>x</p>"),
        ('<p style="position:fixed">x</p>', "<p>x</p>"),
        ('<img src=x onerror="alert(1)">ảnh', "ảnh"),
        ('<iframe src="https://evil.example"></iframe>ok', "ok"),
        ("<h1>Lớn</h1>", "Lớn"),
        ("<!-- <script>x</script> -->a", "a"),
        ("<svg><script>alert(1)</script></svg>a", "a"),
        ("<math><mi>x</mi></math>", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_html(dirty, clean):
    assert clean_html(dirty) == clean


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "/duong-dan-tuong-doi",
        "//evil.example/x",
        "mailto:a@b.vn",
    ],
)
def test_links_other_than_http_lose_their_href(href):
    out = clean_html(f'<a href="{href}">bấm</a>')
    assert "href" not in out
    assert "script" not in out.lower()
    assert "bấm" in out


def test_http_links_are_kept_with_rel():
    out = clean_html(
        '<a href="https://ocop.gov.vn/sp?id=1&amp;x=2" target="_blank" rel="opener">OCOP</a>'
    )
    assert out == '<a href="https://ocop.gov.vn/sp?id=1&amp;x=2" rel="nofollow noopener">OCOP</a>'
    assert 'href="http://a.vn/"' in clean_html('<a href="http://a.vn/">a</a>')


@pytest.mark.parametrize(
    "trick",
    [
        "<scr<script>ipt>alert(1)</script>",
        "<<script>script>alert(1)<</script>/script>",
        '<a href="https://a.vn" onmouseover="alert(1)">x</a>',
        '<p><a href="https://a.vn"><strong onclick="x">y</strong></a></p>',
        '"><script>alert(1)</script>',
        "<div><p>deep<span><b onclick=1>x</b></span></p></div>",
        '<a href="https://a.vn"  x="y" id="z" class="btn">x</a>',
        "<textarea><script>alert(1)</script></textarea>",
        '<form action="https://evil"><input name=x></form>',
    ],
)
def test_nested_tricks(trick):
    out = clean_html(trick)
    lowered = out.lower()
    assert "<script" not in lowered
    assert "onclick" not in lowered and "onmouseover" not in lowered
    assert "<form" not in lowered and "<input" not in lowered and "<textarea" not in lowered
    assert "class=" not in lowered and "id=" not in lowered
    # Idempotent: cleaning clean output changes nothing.
    assert clean_html(out) == out


def test_plain_text():
    html = (
        "<h3>Giới thiệu</h3><p>Cà phê &amp; <b>mật ong</b></p>"
        "<ul><li>250 g</li><li>1 kg</li></ul><script>x()</script><p>  </p>"
    )
    assert plain_text(html) == "Giới thiệu\nCà phê & mật ong\n250 g\n1 kg"
    assert plain_text("a &lt;b&gt; c") == "a <b> c"
    assert plain_text("") == "" and plain_text(None) == ""
    assert plain_text("Ca\u0300 phê") == "Cà phê"  # NFC
