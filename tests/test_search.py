"""The search language: what users type and what they find."""

from __future__ import annotations

import pytest

from newsreader.models import HIGHLIGHT_END, HIGHLIGHT_START
from newsreader.search import QuerySyntaxError, Term, parse_query
from newsreader.store import Store

VW_TITLE = "In die Cloud: VW und Amazon gehen Kooperation ein"


def titles(store: Store, query: str) -> list[str]:
    return [hit.title for hit in store.search(query)]


@pytest.mark.parametrize(
    "query",
    [
        "Bezos",
        "Kooperation",
        "bezos",  # case is ignored
        '"Jeff Bezos"',  # a phrase
        "Koop*",  # a prefix
        "Amazon Netflix",  # words are ANDed
        "Netflix OR Kleinwagen",
        "Bezos -Osterloh",
        "zunachst",  # diacritics are ignored: "zunächst"
    ],
)
def test_the_vw_story_is_found(seeded_store: Store, query: str) -> None:
    assert titles(seeded_store, query)[0] == VW_TITLE


def test_ubernimmt_finds_ubernimmt_in_a_related_item(seeded_store: Store) -> None:
    hits = seeded_store.search("ubernimmt")
    assert [hit.title for hit in hits] == ["Vernetzung: Volkswagen übernimmt WirelessCar"]
    assert hits[0].related_position == 0
    assert hits[0].article_id == seeded_store.articles()[0].id


@pytest.mark.parametrize(
    "query",
    [
        "Bezos -Amazon",  # exclusion
        '"Bezos Jeff"',  # the phrase in the wrong order
        "Amazon Kleinwagen",  # AND, not OR
        "Bez",  # a word is not a prefix unless it says so
    ],
)
def test_nothing_is_found(seeded_store: Store, query: str) -> None:
    assert titles(seeded_store, query) == []


def test_snippets_mark_the_matching_words(seeded_store: Store) -> None:
    hit = seeded_store.search("Bezos")[0]
    assert f"{HIGHLIGHT_START}Bezos{HIGHLIGHT_END}" in hit.snippet
    assert hit.feed_title == "NDR Niedersachsen"
    assert hit.published is not None and hit.published.year == 2019


def test_fts_syntax_typed_by_a_user_is_only_text(seeded_store: Store) -> None:
    for query in ["title:Bezos", "NEAR(Bezos Amazon)", "Bezos AND", "^Bezos", "Bez*os", "(Bezos"]:
        seeded_store.search(query)  # no sqlite3.OperationalError escapes


def test_parse_query_structure() -> None:
    query = parse_query('vw "jeff bezos" koop* amazon OR aws -ford')
    assert [[term.text for term in clause] for clause in query.clauses] == [
        ["vw"],
        ["jeff bezos"],
        ["koop"],
        ["amazon", "aws"],
    ]
    assert query.clauses[1][0].phrase and query.clauses[2][0].prefix
    assert [term.text for term in query.excluded] == ["ford"]
    assert (
        query.to_fts() == '("vw" AND "jeff bezos" AND "koop"* AND ("amazon" OR "aws")) NOT "ford"'
    )


def test_quotes_split_words_and_are_escaped_for_fts() -> None:
    assert parse_query('say""hi').to_fts() == '"say" AND "hi"'
    assert Term('a"b').to_fts() == '"a""b"'


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed', "not closed"),
        ("", "Type a word"),
        ("   ", "Type a word"),
        ("-amazon", "only excludes"),
        ("OR amazon", "OR needs"),
        ("amazon OR", "OR needs"),
        ("amazon OR OR vw", "OR needs"),
        ("amazon OR -vw", "cannot stand beside OR"),
        ("x" * 501, "longer than"),
    ],
)
def test_bad_syntax_gets_a_clear_message(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(query)
