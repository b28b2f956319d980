"""Word forms: German spelling folds, German and English stems, and telling the two apart."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.text.wordforms import (
    WORD,
    article_language,
    detect_language,
    fold,
    form,
    forms_version,
    index_forms,
    language_code,
    query_forms,
    word_forms,
    words,
)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Straße", "strasse"),
        ("München", "muenchen"),
        ("ÄRGER", "aerger"),
        ("Öl", "oel"),
        ("Crème brûlée", "creme brulee"),
        ("Søren Łukasz", "soren lukasz"),
        ("plain", "plain"),
    ],
)
def test_german_spellings_fold_to_what_a_plain_keyboard_types(written: str, folded: str) -> None:
    assert fold(written) == folded


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Kooperationen", "Kooperation"),
        ("Werke", "Werk"),
        ("Strasse", "Straße"),
        ("Muenchen", "München"),
        ("Munchen", "München"),
        ("Gewerkschaften", "Gewerkschaft"),
        ("Konzerne", "Konzern"),
        ("Konzerns", "Konzern"),
        ("Konzern", "Konzerne"),
    ],
)
def test_a_german_query_word_meets_the_stored_german_word(typed: str, stored: str) -> None:
    assert index_forms(stored, "de") in query_forms(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("works", "work"), ("cooperations", "cooperation"), ("citizens", "citizen")],
)
def test_an_english_query_word_meets_the_stored_english_word(typed: str, stored: str) -> None:
    assert index_forms(stored, "en") in query_forms(typed)


def test_different_words_keep_different_forms() -> None:
    assert index_forms("Werk", "de") not in query_forms("Wetter")
    assert index_forms("Kooperation", "de") not in query_forms("Koalition")


def test_text_in_no_stemmed_language_is_only_folded() -> None:
    assert index_forms("Straße Kooperationen", "") == "strasse kooperationen"
    assert index_forms("Straße Kooperationen", "fr") == "strasse kooperationen"


def test_the_index_text_has_one_form_per_word() -> None:
    assert index_forms("Die Werke, die Straßen_namen.", "de") == "die werk die strass nam"
    assert index_forms("", "de") == ""
    assert index_forms(None, "de") == ""


def test_decomposed_umlauts_fold_like_composed_ones() -> None:
    assert index_forms("Mu\u0308nchen", "de") == index_forms("München", "de")


def test_a_query_of_several_words_has_no_single_form() -> None:
    assert query_forms("e-mail") == ()
    assert query_forms("...") == ()


def test_a_word_in_a_text_carries_the_forms_of_every_language() -> None:
    assert {"werk", "werke"} <= word_forms("Werke")


@pytest.mark.parametrize(
    ("tag", "code"),
    [("de", "de"), ("de-DE", "de"), ("de_AT", "de"), ("en-GB", "en"), ("EN", "en")],
)
def test_language_tags_name_german_or_english(tag: str, code: str) -> None:
    assert language_code(tag) == code


def test_other_languages_are_neither() -> None:
    assert language_code("fr-FR") is None
    assert language_code(None) is None
    assert language_code("") is None


def test_german_and_english_text_are_told_apart_by_their_common_words() -> None:
    assert detect_language("Der Landtag hat sich mit dem Haushalt und der Schule befasst") == "de"
    assert detect_language("The council said it was working on the budget for the city") == "en"
    assert detect_language("Volkswagen Amazon Cloud") is None


def test_an_articles_own_tag_wins_over_its_words() -> None:
    english = "The council said it was working on the budget"
    assert article_language("de-DE", english, "", lambda: "") == "de"
    assert article_language(None, english, "", lambda: "") == "en"
    assert article_language("fr", english, "", lambda: "") == ""


def test_the_body_is_read_only_when_title_and_teaser_say_too_little() -> None:
    read: list[bool] = []

    def body() -> str:
        read.append(True)
        return "Die Regierung hat sich mit der Zukunft der Werke befasst und ist sich einig"

    assert article_language(None, "VW und Amazon", "", body) == "de"
    assert read == [True]
    read.clear()
    assert article_language(None, "Der Landtag und die Schule", "", body) == "de"
    assert read == []


def test_the_forms_version_is_stable_and_names_the_algorithm() -> None:
    assert forms_version() == forms_version()
    assert forms_version().startswith("1:")


@given(st.text(max_size=200))
def test_words_are_the_runs_of_letters_and_digits(text: str) -> None:
    normal = unicodedata.normalize("NFC", text)
    assert words(text) == WORD.findall(normal)
    assert words(text) == [run for run in re.split(r"[\W_]+", normal) if run]


@given(
    st.lists(
        st.sampled_from(
            [
                *("Kooperationen", "Werke", "Straße", "running", "café", "½", "İ", "1,5", "x_y"),
                *(" ", ", ", ".", "(", ")", "\u0301", "\n", "-"),
            ]
        ),
        max_size=30,
    ).map("".join)
    | st.text(max_size=80),
    st.sampled_from(["de", "en", "", "fr", None]),
)
def test_index_forms_are_the_forms_of_the_words_in_order(text: str, language: str | None) -> None:
    reference = [form(word, language if language in ("de", "en") else "") for word in words(text)]
    assert index_forms(text, language).split() == " ".join(reference).split()
    # The same again, now from the cache of pieces.
    assert index_forms(text, language).split() == " ".join(reference).split()
