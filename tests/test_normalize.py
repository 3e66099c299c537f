"""Material-name identity: script, width, brackets, whitespace and qualifiers do not change which material it is."""

from __future__ import annotations

import pytest

from mattercli.model.normalize import QUALIFIERS, NormalisedName, material_key, normalise

# ---------------------------------------------------------------------------------------------------------------
# Traditional -> simplified
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("居民身份證", "居民身份证"),
        ("營業執照", "营业执照"),
        ("戶口簿", "户口簿"),
        ("結婚證", "结婚证"),
        ("機動車駕駛證", "机动车驾驶证"),
    ],
)
def test_traditional_to_simplified(traditional: str, simplified: str) -> None:
    assert normalise(traditional).key == simplified
    assert normalise(traditional).key == normalise(simplified).key
    assert normalise(traditional).qualifiers == ()


# ---------------------------------------------------------------------------------------------------------------
# Width, brackets, whitespace
# ---------------------------------------------------------------------------------------------------------------


def test_full_width_letters_and_digits_become_half_width() -> None:
    assert normalise("ＡＢＣ１２３").key == "ABC123"
    assert normalise("身份证（Ｂ）").key == "身份证B"
    assert normalise("身份证（Ｂ）").key == normalise("身份证(B)").key


def test_full_width_parentheses_are_dropped() -> None:
    assert normalise("营业执照（法人）").key == "营业执照法人"
    assert normalise("营业执照（法人）").key == normalise("营业执照(法人)").key


def test_qualifier_inside_a_word_is_not_cut_out() -> None:
    assert normalise("营业执照（正副本）").key in {"营业执照", "营业执照正副本"}


@pytest.mark.parametrize(
    "name",
    [
        "【营业执照】",
        "〔营业执照〕",
        "《营业执照》",
        "（营业执照）",
        "(营业执照)",
        "[营业执照]",
        "「营业执照」",
        "〈营业执照〉",
    ],
)
def test_brackets_are_removed(name: str) -> None:
    assert normalise(name).key == "营业执照"


@pytest.mark.parametrize(
    "name",
    [" 营业执照 ", "营业 执照", "营业\u3000执照", "营业\t执照\n", "\u3000营业执照\u3000"],
)
def test_whitespace_is_removed(name: str) -> None:
    assert normalise(name).key == "营业执照"


def test_punctuation_is_removed() -> None:
    assert normalise("营业执照、副本").key == "营业执照"
    assert normalise("申请书·表").key == "申请书表"


def test_different_materials_stay_different() -> None:
    assert normalise("营业执照").key != normalise("居民身份证").key
    assert normalise("户口簿").key != normalise("户口本").key  # synonyms are the registry's job, not this one


# ---------------------------------------------------------------------------------------------------------------
# Qualifiers are attributes, not identity
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "qualifiers"),
    [
        ("居民身份证原件", ("原件",)),
        ("居民身份证（原件）", ("原件",)),
        ("居民身份证复印件", ("复印件",)),
        ("【居民身份证】复印件", ("复印件",)),
        ("居民身份证原件及复印件", ("原件及复印件",)),
        ("居民身份证（原件及复印件）", ("原件及复印件",)),
        ("居民身份证原件或复印件", ("原件或复印件",)),
        ("居民身份证一份", ("一份",)),
        ("居民身份证（1份）", ("1份",)),
        ("居民身份证加盖公章", ("加盖公章",)),
        ("居民身份证复印件加盖公章", ("复印件加盖公章",)),
        ("居民身份证扫描件", ("扫描件",)),
    ],
)
def test_qualifiers_are_split_off(name: str, qualifiers: tuple[str, ...]) -> None:
    result = normalise(name)
    assert result.key == "居民身份证"
    assert result.qualifiers == qualifiers


def test_longest_qualifier_wins() -> None:
    result = normalise("营业执照原件及复印件")
    assert result.qualifiers == ("原件及复印件",)
    assert "原件" not in result.qualifiers
    assert "复印件" not in result.qualifiers


def test_several_qualifiers() -> None:
    result = normalise("营业执照复印件一份")
    assert result.key == "营业执照"
    assert set(result.qualifiers) == {"复印件", "一份"}


def test_same_material_whatever_the_form() -> None:
    names = [
        "居民身份證（原件）",
        "【居民身份证】复印件",
        "居民身份证原件及复印件",
        " 居民身份证 一份",
        "《居民身份证》",
    ]
    assert {normalise(n).key for n in names} == {"居民身份证"}


def test_traditional_qualifier_is_recognised() -> None:
    result = normalise("營業執照（複印件）")
    assert result.key == "营业执照"
    assert result.qualifiers == ("复印件",)


def test_qualifiers_are_longest_first() -> None:
    # A qualifier that contains another must come before it, or the shorter one would be stripped first.
    for i, long in enumerate(QUALIFIERS):
        for short in QUALIFIERS[i + 1 :]:
            assert long not in short, f"{short!r} contains {long!r} but comes after it"


# ---------------------------------------------------------------------------------------------------------------
# A name that is only a qualifier
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["原件", "复印件", "一份", "加盖公章", "（复印件）", "【原件】"])
def test_name_that_is_only_a_qualifier_stays_non_empty(name: str) -> None:
    result = normalise(name)
    assert result.key
    assert result.key == name.strip("（）【】")
    assert result.qualifiers == ()


@pytest.mark.parametrize("name", ["原件及复印件", "原件或复印件", "原件和复印件"])
def test_name_that_is_only_a_compound_qualifier_is_kept_whole(name: str) -> None:
    result = normalise(name)
    assert result.key == name
    assert result.qualifiers == ()


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_empty_and_blank_names(name: str) -> None:
    assert normalise(name) == NormalisedName("", ())


# ---------------------------------------------------------------------------------------------------------------
# material_key and synonyms
# ---------------------------------------------------------------------------------------------------------------

SYNONYMS = {
    # normalised key -> normalised standard name, as the proof dictionary builds it
    "居民身份证": "居民身份证",
    "身份证": "居民身份证",
    "身份证明": "居民身份证",
    "营业执照": "营业执照",
    "工商营业执照": "营业执照",
}


def test_material_key_without_synonyms_is_the_normalised_key() -> None:
    assert material_key("居民身份證（复印件）") == "居民身份证"
    assert material_key("身份证") == "身份证"
    assert material_key("身份证", None) == "身份证"
    assert material_key("身份证", {}) == "身份证"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("身份证", "居民身份证"),
        ("身份证（复印件）", "居民身份证"),
        ("身份證原件", "居民身份证"),
        ("【身份证明】", "居民身份证"),
        ("居民身份证", "居民身份证"),
        ("工商营业执照副本", "营业执照"),
        ("工商營業執照", "营业执照"),
        ("营业执照", "营业执照"),
    ],
)
def test_material_key_maps_synonyms_to_standard(name: str, expected: str) -> None:
    assert material_key(name, SYNONYMS) == expected


def test_material_key_unknown_name_is_its_own_key() -> None:
    assert material_key("户口簿（复印件）", SYNONYMS) == "户口簿"
    assert material_key("戶口簿", SYNONYMS) == "户口簿"


def test_material_key_synonyms_apply_after_normalisation_only() -> None:
    # The table is keyed by normalised names: a raw, unnormalised key in the table does not match.
    assert material_key("身份证", {"身份证（复印件）": "X"}) == "身份证"
