import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from htxso.core.text import (
    LegacyReading,
    TextError,
    clean_text,
    detect_legacy_encoding,
    fold,
    fold_tokens,
    is_vietnamese_syllable,
    nfc,
    plausible_vietnamese,
    read_legacy_cell,
    tcvn3_to_unicode,
    to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)

# The 67 lower-case non-ASCII letters of Vietnamese, written out by hand.
VIETNAMESE_LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
VIETNAMESE_UPPER = VIETNAMESE_LOWER.upper()
ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz"
PUNCTUATION = " ,.-:;()/0123456789"

REAL_PHRASES = [
    "Hợp tác xã Nông nghiệp Ea Tu",
    "Cao Bằng",
    "Đắk Lắk",
    "Nguyễn Thị Hường",
    "Hợp tác xã Dịch vụ Nông nghiệp Tổng hợp",
    "Cà phê Buôn Ma Thuột",
    "Thành phố Hồ Chí Minh",
    "Ủy ban nhân dân tỉnh Lâm Đồng",
    "Trần Văn Bảy",
    "Lê Thị Thu Hà",
    "Bà Rịa - Vũng Tàu",
    "Thừa Thiên Huế",
    "Quảng Ngãi",
    "Hà Giang",
    "Tuyên Quang",
    "Điện Biên Phủ",
    "Sơn La",
    "Bình Định",
    "Khánh Hòa",
    "Cần Thơ",
    "Sóc Trăng",
    "Bạc Liêu",
    "Cà Mau",
    "Phú Yên",
    "Tây Ninh",
    "Hoà Bình",
    "Thái Bình",
    "Lào Cai",
    "Vĩnh Long",
    "Đồng Tháp",
    "Kiên Giang",
    "Hậu Giang",
    "Trà Vinh",
    "Bến Tre",
    "Tiền Giang",
    "Hưng Yên",
    "Hải Dương",
    "Nam Định",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Krông Pắc",
    "xã Ea Tu, thành phố Buôn Ma Thuột",
    "Chè Shan tuyết Suối Giàng",
    "Gạo ST25 Sóc Trăng",
    "Mật ong bạc hà",
    "Sản phẩm OCOP 4 sao",
    "Nước mắm Phú Quốc",
    "Bưởi da xanh",
    "Hạt điều Bình Phước",
    "Giám đốc: Phạm Văn Đức",
    "Số 12, đường Lê Duẩn",
]
ASCII_OR_FOREIGN = [
    "Ea Tu",
    "Kon Tum",
    "Gia Lai",
    "Long An",
    "ABC Company Ltd.",
    "Price: 100 USD",
    "café au lait",
    "naïve résumé",
    "Müller GmbH",
    "© 2024 Company",
    "Company® Ltd",
    "São Paulo",
    "Zürich",
    "Ñandú",
    "Crème brûlée",
    "Ångström",
    "Smörgåsbord",
    "Dvořák",
    "Œuvre complète",
    "½ kg",
    "25°C",
    "5 µg/ml",
    "§ 5 Abs. 2",
    "Hôtel de Ville",
    "Señor García",
    "façade",
    "Île-de-France",
    "Ærø",
    "Straße",
    "«quoted»",
    "x · y",
]


# ------------------------------------------------------------------------ nfc


def test_nfc_none_and_composition():
    assert nfc(None) == ""
    assert nfc("") == ""
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"


# ---------------------------------------------------------------- clean_text


def test_clean_text_collapses_whitespace_and_strips_invisible():
    raw = "\ufeff  Hợp\u00a0tác\u200b  xã\t\n Ea\u2009Tu \u202e"
    assert clean_text(raw) == "Hợp tác xã Ea Tu"


def test_clean_text_nfc_after_removing_zero_width():
    assert clean_text("Nguye\u0302\u0303n") == "Nguyễn"
    assert clean_text("e\u200b\u0301") == "é"


def test_clean_text_multiline():
    raw = "  Dòng 1  \r\n\r\n\r\n\r\nDòng\t 2\rDòng 3\n\n"
    assert clean_text(raw, multiline=True) == "Dòng 1\n\nDòng 2\nDòng 3"


def test_clean_text_none():
    assert clean_text(None) == ""


@pytest.mark.parametrize("bad", ["abc\x00def", "a\x07", "\x1b[31m", "x\x85y", "x\ud800y"])
def test_clean_text_rejects_control_characters(bad):
    with pytest.raises(TextError) as info:
        clean_text(bad)
    assert info.value.code == "text_control_character"
    assert isinstance(info.value, ValueError)
    assert "U+" in info.value.params["codepoint"]


def test_clean_text_keeps_soft_hyphen_for_tcvn3():
    assert clean_text("Tr\u00adêng") == "Tr\u00adêng"


def test_clean_text_max_length():
    assert clean_text("  abc  ", max_length=3) == "abc"
    with pytest.raises(TextError) as info:
        clean_text("abcd", max_length=3)
    assert info.value.code == "text_too_long"
    assert info.value.params == {"length": 4, "max_length": 3}


@given(st.text())
def test_clean_text_is_idempotent(s):
    try:
        once = clean_text(s)
    except TextError:
        return
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once


# ---------------------------------------------------------------------- fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cà phê Đắk Lắk", "ca phe dak lak"),
        ("  HỢP TÁC XÃ  Nông-nghiệp, Ea Tu!  ", "hop tac xa nong nghiep ea tu"),
        ("Nguyễn Thị Hường", "nguyen thi huong"),
        ("ĐẠI LỘC", "dai loc"),
        (unicodedata.normalize("NFD", "Thừa Thiên Huế"), "thua thien hue"),
        ("Gạo ST25 (loại 1)", "gao st25 loai 1"),
        ("Straße Œuvre Ærø", "strasse oeuvre aero"),
        ("ＨＴＸ　１２", "htx 12"),
        ("a\u200bb", "a b"),
        ("", ""),
        (None, ""),
        ("...", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_tokens():
    assert fold_tokens("Hợp tác xã - Cà phê") == ["hop", "tac", "xa", "ca", "phe"]
    assert fold_tokens("") == []


@given(st.text())
def test_fold_is_idempotent(s):
    assert fold(fold(s)) == fold(s)


@given(st.text())
def test_fold_output_shape(s):
    folded = fold(s)
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.casefold()


vietnamese_text = st.text(
    alphabet=VIETNAMESE_LOWER + VIETNAMESE_UPPER + ASCII_LOWER + ASCII_LOWER.upper() + PUNCTUATION
)


@given(vietnamese_text)
def test_fold_of_vietnamese_is_ascii(s):
    folded = fold(s)
    assert folded.isascii()
    assert fold(nfc(s)) == fold(unicodedata.normalize("NFD", s)) == folded


# ----------------------------------------------------------------- syllables


@pytest.mark.parametrize(
    "word",
    ["Nguyễn", "hường", "người", "khuyến", "quốc", "giếng", "gì", "thuở", "ngoằn", "xoong",
     "khuỷu", "Việt", "tỉnh", "Đắk", "Krông", "ấy", "ở", "a"],
)  # fmt: skip
def test_vietnamese_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word", ["café", "Müller", "hôtel", "Vieät", "ViÖt", "Hîp", "t¸c", "viêtj", "ẫá", "", "fô"]
)
def test_not_vietnamese_syllables(word):
    assert not is_vietnamese_syllable(word)


# ----------------------------------------------------------- legacy: TCVN3


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Hîp t¸c x· N«ng nghiÖp Ea Tu", "Hợp tác xã Nông nghiệp Ea Tu"),
        ("NguyÔn ThÞ H\u00adêng", "Nguyễn Thị Hường"),
        ("Tr\u00adêng", "Trường"),
        ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
        ("L©m §ång", "Lâm Đồng"),
        ("§¾k L¾k", "Đắk Lắk"),
        ("Cao B»ng", "Cao Bằng"),
    ],
)
def test_tcvn3_to_unicode(legacy, unicode):
    assert tcvn3_to_unicode(legacy) == unicode
    assert detect_legacy_encoding(legacy) == "tcvn3"
    assert to_unicode(legacy) == unicode


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("HîP T¸C X· N¤NG NGHIÖP", "HỢP TÁC XÃ NÔNG NGHIỆP"),
        ("UBND TØNH §¾K L¾K", "UBND TỈNH ĐẮK LẮK"),
        ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        # Short words follow an all-capitals string, not a mixed-case one.
        ("Hµ T«", "Hà Tô"),
        ("X· Ea Tu", "Xã Ea Tu"),
    ],
)
def test_tcvn3_restores_capitals_from_context(legacy, unicode):
    assert tcvn3_to_unicode(legacy) == unicode


def test_tcvn3_single_letters():
    # Lone letters decode but are not evidence enough for detection ("©" is a symbol too).
    assert tcvn3_to_unicode("¡ ¢ £ ¤ ¥ ¦ §") == "Ă Â Ê Ô Ơ Ư Đ"
    assert detect_legacy_encoding("¡ ¢ £ ¤ ¥ ¦ §") is None


def test_tcvn3_leaves_other_characters():
    assert tcvn3_to_unicode("25°C ± 2, x²") == "25°C ± 2, x²"
    assert tcvn3_to_unicode("") == ""
    assert tcvn3_to_unicode(None) == ""


def test_unicode_to_tcvn3_examples():
    assert unicode_to_tcvn3("Cộng hòa xã hội chủ nghĩa Việt Nam") == (
        "Céng hßa x· héi chñ nghÜa ViÖt Nam"
    )
    assert unicode_to_tcvn3("Độc lập") == "§éc lËp"
    # Capital toned vowels without a code of their own use the lower-case code.
    assert unicode_to_tcvn3("Ủ") == unicode_to_tcvn3("ủ") == "ñ"
    assert unicode_to_tcvn3("ẤP") == "ÄP"
    assert unicode_to_tcvn3(unicodedata.normalize("NFD", "Việt")) == "ViÖt"
    assert unicode_to_tcvn3(None) == ""


def _case_kept_by_tcvn3(ch: str) -> bool:
    return ch.lower() == ch.upper() or unicode_to_tcvn3(ch) != unicode_to_tcvn3(ch.swapcase())


@given(st.text(alphabet=VIETNAMESE_LOWER + ASCII_LOWER + PUNCTUATION))
def test_tcvn3_round_trip_lower_case(s):
    assert tcvn3_to_unicode(unicode_to_tcvn3(s)) == s


@given(vietnamese_text)
def test_tcvn3_round_trip_ignoring_case(s):
    assert tcvn3_to_unicode(unicode_to_tcvn3(s)).lower() == s.lower()


SYLLABLES = [
    "hợp", "tác", "xã", "nông", "nghiệp", "nguyễn", "thị", "hường", "đắk", "lắk", "cao",
    "bằng", "việt", "nam", "cà", "phê", "ủy", "ban", "nhân", "dân", "tỉnh", "lâm", "đồng",
    "ấp", "ở", "bà", "rịa", "vũng", "tàu", "huế", "quảng", "ngãi", "điện", "biên", "phủ",
    "sơn", "la", "ea", "tu", "ống", "ưu", "đãi", "ạ", "ừ", "khuyến", "người", "ẩm", "ướt",
]  # fmt: skip


@st.composite
def phrases(draw, case: str = "mixed"):
    words = draw(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=8))
    out = []
    for word in words:
        style = case if case != "mixed" else draw(st.sampled_from(["lower", "title"]))
        out.append(word.upper() if style == "upper" else word.title() if style == "title" else word)
    return " ".join(out)


@given(phrases())
def test_tcvn3_round_trip_title_case(s):
    assume(all(_case_kept_by_tcvn3(word[0]) for word in s.split()))
    assert tcvn3_to_unicode(unicode_to_tcvn3(s)) == s


@given(phrases(case="upper"))
def test_tcvn3_round_trip_all_capitals(s):
    # The case is restorable when some word has two letters whose code shows it.
    assume(any(sum(_case_kept_by_tcvn3(c) and c.isalpha() for c in w) >= 2 for w in s.split()))
    assert tcvn3_to_unicode(unicode_to_tcvn3(s)) == s


# ------------------------------------------------------------- legacy: VNI


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Hôïp taùc xaõ Noâng nghieäp Ea Tu", "Hợp tác xã Nông nghiệp Ea Tu"),
        ("Nguyeãn Thò Höôøng", "Nguyễn Thị Hường"),
        ("Hoøa", "Hòa"),
        ("Vieät Nam", "Việt Nam"),
        ("Ñaék Laék", "Đắk Lắk"),
        ("TÆNH LAÂM ÑOÀNG", "TỈNH LÂM ĐỒNG"),
        ("Mó Thuaän, ôû, tæ, kyû", "Mĩ Thuận, ở, tỉ, kỷ"),
        ("Khuyeán khích", "Khuyến khích"),
        ("Ñöôøng Leâ Duaån", "Đường Lê Duẩn"),
    ],
)
def test_vni_to_unicode(legacy, unicode):
    assert vni_to_unicode(legacy) == unicode
    assert detect_legacy_encoding(legacy) == "vni"
    assert to_unicode(legacy) == unicode


def test_vni_lenient_forms():
    assert vni_to_unicode("VIEäT") == "VIỆT"  # mark typed in the other case
    assert vni_to_unicode("Aø") == "À"
    assert vni_to_unicode("Myï") == vni_to_unicode("Mî") == "Mỵ"


def test_unicode_to_vni_examples():
    assert unicode_to_vni("Cộng hòa xã hội chủ nghĩa Việt Nam") == (
        "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    )
    assert unicode_to_vni("ĐẮK LẮK") == "ÑAÉK LAÉK"
    assert unicode_to_vni("ỵ Ỵ ỹ") == "î Î yõ"
    assert unicode_to_vni(None) == ""


@given(vietnamese_text)
def test_vni_round_trip(s):
    assert vni_to_unicode(unicode_to_vni(s)) == s


# --------------------------------------------------------------- detection


@pytest.mark.parametrize("phrase", REAL_PHRASES)
def test_unicode_vietnamese_is_not_legacy(phrase):
    assert detect_legacy_encoding(phrase) is None
    assert detect_legacy_encoding(unicodedata.normalize("NFD", phrase)) is None
    assert to_unicode(phrase) == phrase


@pytest.mark.parametrize("text", ASCII_OR_FOREIGN)
def test_ascii_and_foreign_text_is_not_legacy(text):
    assert detect_legacy_encoding(text) is None
    assert to_unicode(text) == text


NON_ASCII_PHRASES = [p for p in REAL_PHRASES if not p.isascii()]


def _reads_as_vietnamese(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text)
    return all(is_vietnamese_syllable(w) for w in words if not w.isascii() and len(w) > 1)


@pytest.mark.parametrize("phrase", NON_ASCII_PHRASES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_versions_of_real_phrases(phrase, encoding):
    encode = unicode_to_tcvn3 if encoding == "tcvn3" else unicode_to_vni
    legacy = encode(phrase)
    detected = detect_legacy_encoding(legacy)
    # Never the wrong encoding.  None only when the legacy text also reads as valid
    # Vietnamese ("Sôn La" is VNI for "Sơn La" but also a well-formed Unicode string).
    assert detected in (encoding, None)
    if detected is None:
        assert legacy == phrase or _reads_as_vietnamese(legacy)
    converted = to_unicode(legacy, encoding=encoding)
    if encoding == "vni" or all(_case_kept_by_tcvn3(c) for c in phrase):
        assert converted == phrase
    else:
        assert converted.lower() == phrase.lower()


@pytest.mark.parametrize("encode", [unicode_to_tcvn3, unicode_to_vni])
def test_most_real_phrases_are_detected_alone(encode):
    detected = [detect_legacy_encoding(encode(p)) is not None for p in NON_ASCII_PHRASES]
    assert sum(detected) >= 0.9 * len(detected)


DETECTED_ALONE = [
    p
    for p in NON_ASCII_PHRASES
    if detect_legacy_encoding(unicode_to_vni(p)) and detect_legacy_encoding(unicode_to_tcvn3(p))
]


def test_whole_column_is_detected():
    column = "\n".join(NON_ASCII_PHRASES)
    assert detect_legacy_encoding(unicode_to_vni(column)) == "vni"
    assert detect_legacy_encoding(unicode_to_tcvn3(column)) == "tcvn3"


@settings(max_examples=60)
@given(
    st.lists(st.sampled_from(NON_ASCII_PHRASES), max_size=4),
    st.sampled_from(DETECTED_ALONE),
)
def test_column_detection_with_ambiguous_values(values, decisive):
    # Values undecidable alone do not hide the encoding of a column.
    column = "\n".join([*values, decisive])
    assert detect_legacy_encoding(unicode_to_vni(column)) == "vni"
    assert detect_legacy_encoding(unicode_to_tcvn3(column)) == "tcvn3"


@given(phrases())
def test_syllable_text_is_never_reported_as_legacy(s):
    assert detect_legacy_encoding(s) is None


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_is_never_legacy(s):
    assert detect_legacy_encoding(s) is None
    assert to_unicode(s) == s


def test_to_unicode_explicit_encoding():
    assert to_unicode("Vieät", encoding="vni") == "Việt"
    assert to_unicode("ViÖt", encoding="tcvn3") == "Việt"
    assert to_unicode("Vieät", encoding="unicode") == "Vieät"
    assert to_unicode(None) == ""
    with pytest.raises(ValueError):
        to_unicode("x", encoding="viscii")  # type: ignore[arg-type]


@given(st.text())
def test_detection_and_conversion_never_crash(s):
    assert detect_legacy_encoding(s) in (None, "tcvn3", "vni")
    converted = to_unicode(s)
    assert converted == unicodedata.normalize("NFC", converted)
    assert tcvn3_to_unicode(s) == unicodedata.normalize("NFC", tcvn3_to_unicode(s))
    assert vni_to_unicode(s) == unicodedata.normalize("NFC", vni_to_unicode(s))


# ------------------------------------------------------ one cell at a time (issue 13)

MIXED_NAMES = ["Hợp tác xã Nông nghiệp", "Đắk Lắk", "Nguyễn Thị Hường"]


@pytest.mark.parametrize("name", MIXED_NAMES)
def test_read_legacy_cell_decides_each_encoding_alone(name):
    tcvn3, vni = unicode_to_tcvn3(name), unicode_to_vni(name)
    assert (read_legacy_cell(tcvn3).encoding, read_legacy_cell(tcvn3).text) == ("tcvn3", name)
    assert (read_legacy_cell(vni).encoding, read_legacy_cell(vni).text) == ("vni", name)
    assert read_legacy_cell(name) == LegacyReading(name)  # Unicode: left alone
    assert not read_legacy_cell(tcvn3).unsure and not read_legacy_cell(vni).unsure


def test_vni_cell_is_not_read_as_tcvn3():
    # the garbling of issue 13: VNI read as TCVN3 gives "Hụùp taực xaừ"
    cell = unicode_to_vni("Hợp tác xã")
    assert tcvn3_to_unicode(cell).startswith("Hụùp")
    assert read_legacy_cell(cell) == LegacyReading("Hợp tác xã", "vni")


def _ambiguous_short_syllables() -> set[tuple[str, str, str]]:
    """Brute force: legacy forms of short syllables that read as Vietnamese both ways."""
    onsets = ["", "b", "h", "l", "m", "s", "t", "v"]
    vowels = [*"aeiouy", *VIETNAMESE_LOWER]
    found = set()
    for onset in onsets:
        for vowel in vowels:
            for coda in ("", "m", "n"):
                word = onset + vowel + coda
                if not is_vietnamese_syllable(word):
                    continue
                for cell in (unicode_to_tcvn3(word), unicode_to_vni(word)):
                    as_tcvn3, as_vni = tcvn3_to_unicode(cell), vni_to_unicode(cell)
                    if (
                        as_tcvn3 != as_vni
                        and not plausible_vietnamese(cell)
                        and plausible_vietnamese(as_tcvn3)
                        and plausible_vietnamese(as_vni)
                    ):
                        found.add((cell, as_tcvn3, as_vni))
    return found


def test_ambiguous_short_words_are_unsure():
    found = _ambiguous_short_syllables()
    assert ("tö", "tử", "tư") in found  # TCVN3 "tử" and VNI "tư" are the same bytes
    assert ("tæ", "tổ", "tỉ") in found
    for cell, as_tcvn3, as_vni in found:
        reading = read_legacy_cell(cell)
        assert reading.unsure and reading.text == cell
        assert reading.candidates == (("tcvn3", as_tcvn3), ("vni", as_vni))


def test_ambiguous_word_is_decided_by_its_neighbours():
    # "Tæ" alone could be TCVN3 "Tổ" or VNI "Tỉ"; "hîp" is only TCVN3 ("hợp")
    assert read_legacy_cell("Tæ").unsure
    assert read_legacy_cell(unicode_to_tcvn3("Tổ hợp tác")) == LegacyReading("Tổ hợp tác", "tcvn3")


@pytest.mark.parametrize("text", ["Zürich", "25°C", "½ kg", "© 2024", "naïve résumé", "Müller"])
def test_foreign_text_no_reading_improves_is_kept(text):
    assert read_legacy_cell(text) == LegacyReading(text)


def test_unicode_that_also_reads_as_legacy_is_kept_with_the_alternative():
    reading = read_legacy_cell("Sôn La")  # VNI for "Sơn La", but also valid as typed
    assert reading.text == "Sôn La" and reading.encoding is None and not reading.unsure
    assert ("vni", "Sơn La") in reading.candidates


@pytest.mark.parametrize("word", ["Vónh", "bôc", "bổc", "bỉng", "hoõ", "hoõn"])
def test_rhymes_vietnamese_does_not_have(word):
    # stop finals take only sắc/nặng; "nh" never after "o"; no "ing"; "oo" only + ng/c
    assert not is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["bốc", "bộc", "Đăk", "xoong", "moóc", "huynh", "oanh", "bưng"])
def test_rhymes_vietnamese_has(word):
    assert is_vietnamese_syllable(word)
