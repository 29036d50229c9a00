"""Each report's locality: commune / district / province from its issuer, place line, title or text, normalised for
case and tone marks, and mapped across the 2025 merger with underthesea's offline address converter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from underthesea.address.normalizer import normalize_key

from extractor.extract.localities import candidates, fold, locality_of, locate
from extractor.pipeline import read
from extractor.resources import load_rules


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # "Tổ Công tác Đề án 06 huyện Bình Sơn" (issuer); the body says "trên địa bàn tỉnh Quảng Ngãi"
        ("binh-son-6-thang-2023", (None, "Huyện Bình Sơn", "Tỉnh Quảng Ngãi", "district", "Tỉnh Quảng Ngãi", None)),
        # "UBND XÃ SƠN TRÀ" / "Tổ Công tác Đề án 06/CP xã Sơn Trà": the only xã Sơn Trà is in Trà Bồng, merged into
        # xã Tây Trà in 2025
        ("son-tra-2024", ("Xã Sơn Trà", "Huyện Trà Bồng", "Tỉnh Quảng Ngãi", "commune", "Tỉnh Quảng Ngãi",
                          "Xã Tây Trà")),
        # "UBND thành phố Ngã Bảy": Hậu Giang joined Cần Thơ in 2025
        ("nga-bay-2022", (None, "Thành phố Ngã Bảy", "Tỉnh Hậu Giang", "district", "Thành phố Cần Thơ", None)),
        # "Công an tỉnh Tuyên Quang": a province-level body, although the place line "Tuyên Quang" is also a city
        ("tuyen-quang-cao-diem-2023", (None, None, "Tỉnh Tuyên Quang", "province", "Tỉnh Tuyên Quang", None)),
        # an outline with no header: "tỉnh Lâm Đồng" is the province its text names
        ("de-cuong-so-ket-lam-dong-2023", (None, None, "Tỉnh Lâm Đồng", "province", "Tỉnh Lâm Đồng", None)),
    ],
)
def test_real_reports(shared_corpus, name, expected):
    loc = locality_of(read(shared_corpus / "docx" / f"{name}.docx"))
    assert (loc.commune, loc.district, loc.province, loc.level, loc.province_2025, loc.commune_2025) == expected


def test_same_locality_from_every_format(shared_corpus):
    docx = locality_of(read(shared_corpus / "docx" / "son-tra-2024.docx"))
    text = locality_of(read(shared_corpus / "text" / "son-tra-2024.txt"))
    assert text.commune == docx.commune == "Xã Sơn Trà"


def test_spelling_and_tone_marks():
    # old and new tone-mark placement, capitals, decomposed Unicode
    assert fold("Hoà Bình") == fold("Hòa Bình") == fold("HÒA BÌNH") == fold("Hòa Bình")
    assert locate(issuer="UBND HUYỆN BÌNH SƠN").district == "Huyện Bình Sơn"
    assert locate(issuer="UBND huyện Bình Sơn").district == "Huyện Bình Sơn"


def test_words_after_level_words_that_are_not_places():
    # "xã hội", "Huyện ủy", "tỉnh giao" are not places
    assert candidates("công tác an sinh xã hội, Huyện ủy chỉ đạo, chỉ tiêu tỉnh giao", "text") == []
    assert locate(text="Bảo đảm an sinh xã hội và trật tự xã hội.").level is None


def test_commune_across_the_merger():
    loc = locate(issuer="UBND xã Bình Long", text="trên địa bàn huyện Bình Sơn, tỉnh Quảng Ngãi")
    assert (loc.commune, loc.district, loc.province) == ("Xã Bình Long", "Huyện Bình Sơn", "Tỉnh Quảng Ngãi")
    assert (loc.commune_2025, loc.province_2025, loc.merger) == ("Xã Bình Sơn", "Tỉnh Quảng Ngãi", "merged")


def test_own_corpus_commune_merged_into_another_province(own_corpus):
    # "Ủy ban nhân dân xã Mỹ Thạnh Đông" (huyện Đức Huệ, Long An): Long An joined Tây Ninh in 2025
    loc = locality_of(read(own_corpus / "reports" / "xa-my-thanh-dong-6-thang-2024.docx"))
    assert (loc.commune, loc.district, loc.province) == ("Xã Mỹ Thạnh Đông", "Huyện Đức Huệ", "Tỉnh Long An")
    assert (loc.province_2025, loc.commune_2025, loc.merger) == ("Tỉnh Tây Ninh", "Xã Đông Thành", "merged")


def test_unit_the_gazetteer_does_not_know_is_kept_as_named():
    # "huyện Thạch Lâm" is no real district: no namesake is guessed from the place line, the name is kept
    loc = locate(issuer="Tổ Công tác Đề án 06 huyện Thạch Lâm", place="Thạch Lâm")
    assert (loc.locality, loc.level, loc.district, loc.province) == ("Huyện Thạch Lâm", "district", None, None)


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


MARKS = "\u0300\u0301\u0303\u0309\u0323"  # combining grave, acute, tilde, hook above, dot below


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " -.,0123456789" + MARKS))
       | st.text())
def test_fold_keys_like_the_gazetteer(text):
    # fold is underthesea's normalize_key (the gazetteer's keys) minus a redundant per-character pass
    assert fold(text) == normalize_key(text)


def test_gazetteer_holds_the_corpus_places_before_the_merger():
    provinces = load_rules("gazetteer.yaml")["provinces"]
    assert len(provinces) == 63 and len({p["new"] for p in provinces.values()}) == 34
    quang_ngai = provinces["Tỉnh Quảng Ngãi"]
    assert (quang_ngai["short"], quang_ngai["new"]) == ("Quảng Ngãi", "Tỉnh Quảng Ngãi")
    assert "Xã Sơn Trà" in quang_ngai["districts"]["Huyện Trà Bồng"]  # son-tra-2024
    assert "Xã Bình Long" in quang_ngai["districts"]["Huyện Bình Sơn"]
    assert provinces["Tỉnh Hậu Giang"]["new"] == "Thành phố Cần Thơ"  # nga-bay-2022
    assert "Thành phố Ngã Bảy" in provinces["Tỉnh Hậu Giang"]["districts"]
    assert "Xã Mỹ Thạnh Đông" in provinces["Tỉnh Long An"]["districts"]["Huyện Đức Huệ"]  # own corpus
    assert provinces["Tỉnh Long An"]["new"] == "Tỉnh Tây Ninh"
    # the own corpus's fictional units are not in it
    assert not any("Thạch Lâm" in d for p in provinces.values() for d in p["districts"])
    assert "Tỉnh An Khang" not in provinces


def test_gazetteer_names_are_the_converters_own():
    # every 250th commune, by its gazetteer names, is found by underthesea's public convert_address
    from underthesea import convert_address

    provinces = load_rules("gazetteer.yaml")["provinces"]
    units = [(w, d, p) for p, info in provinces.items() for d, wards in info["districts"].items() for w in wards]
    assert len(units) > 10_000
    for ward, dist, prov in units[::250]:
        result = convert_address(f"{ward}, {dist}, {prov}")
        assert result.status.value == "success" and result.new.province, (ward, dist, prov)


def test_fold_reads_the_eth_typed_for_d():
    # legacy keyboards and converters type the Icelandic eth "Ð"/"ð" (U+00D0/U+00F0) for "Đ"/"đ"
    assert fold("ÐÀ NẴNG") == fold("Ðà Nẵng") == fold("Đà Nẵng") == "danang"
    assert fold("Ðức Huệ") == fold("Đức Huệ") != fold("Phú Huệ")
