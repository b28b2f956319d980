"""The search language: what users type and what they find."""

from __future__ import annotations

import pytest

from newsreader.models import HIGHLIGHT_END, HIGHLIGHT_START, Article, Feed
from newsreader.search import QuerySyntaxError, Term, make_snippet, parse_query
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


def test_a_one_letter_prefix_is_refused_with_a_reason() -> None:
    with pytest.raises(QuerySyntaxError, match="at least 2 letters"):
        parse_query("a*")
    assert parse_query("ab*").clauses[0][0].prefix


@pytest.mark.parametrize(
    ("query", "texts", "expected"),
    [
        (
            "Bezos",
            ["Amazon-Chef Jeff Bezos getroffen."],
            "Amazon-Chef Jeff \x02Bezos\x03 getroffen.",
        ),
        ('"jeff bezos"', ["Mit Jeff Bezos."], "Mit \x02Jeff Bezos\x03."),
        ("koop*", ["VW kooperiert auch"], "VW \x02kooperiert\x03 auch"),
        ("ubernimmt", ["VW übernimmt Wireless"], "VW \x02übernimmt\x03 Wireless"),
        ("MÜNCHEN", ["in munchen"], "in \x02munchen\x03"),
        ("body", ["teaser without it", "the body has it"], "the \x02body\x03 has it"),
        ("absent", ["first text is shown", "second"], "first text is shown"),
    ],
)
def test_snippets_mark_what_the_query_matches(query: str, texts: list[str], expected: str) -> None:
    assert make_snippet(parse_query(query), *texts) == expected


def test_a_long_snippet_is_cut_around_the_first_match() -> None:
    text = " ".join(f"w{n}" for n in range(40)) + " Bezos " + " ".join(f"v{n}" for n in range(40))
    snippet = make_snippet(parse_query("Bezos"), text, words=6)
    assert snippet == "…w37 w38 w39 \x02Bezos\x03 v0 v1…"


def test_very_common_queries_list_the_newest_matches(
    seeded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = seeded_store.add_feed(Feed(source="extra", title="Extra"))
    assert feed.id is not None
    seeded_store.save_articles(
        feed.id,
        [
            Article(guid=str(n), title=f"Amazon note {n}", teaser="Amazon " * (5 - n) + "und VW")
            for n in range(5)
        ],
    )
    ranked = [hit.title for hit in seeded_store.search("Amazon")]
    monkeypatch.setattr("newsreader.store.RANKED_MATCH_LIMIT", 3)
    newest = [hit.title for hit in seeded_store.search("Amazon")]
    assert newest == [f"Amazon note {n}" for n in (4, 3, 2, 1, 0)] + [VW_TITLE]
    assert sorted(ranked) == sorted(newest)
    assert ranked[0] == "Amazon note 0", (
        "ranked by relevance, the note saying Amazon most comes first"
    )
