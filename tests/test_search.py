"""The search language: what users type and what they find."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.models import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Article,
    Block,
    BlockKind,
    Feed,
    RelatedItem,
)
from newsreader.store.database import Store
from newsreader.store.query import QuerySyntaxError, SortOrder, Term, parse_query
from newsreader.store.snippets import make_snippet

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
        "Konzerne",  # another form of the word: "Konzern"
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
    for query in [
        "title:Bezos",
        "NEAR(Bezos Amazon)",
        "Bezos AND Amazon",
        "^Bezos",
        "Bez*os",
        "(Bezos",
    ]:
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


def test_a_form_before_the_first_exact_match_opens_the_snippet() -> None:
    text = (
        " ".join(f"w{n}" for n in range(30))
        + " die Werke stehen "
        + " ".join(f"v{n}" for n in range(30))
        + " das Werk"
    )
    snippet = make_snippet(parse_query("Werk"), text, words=6)
    assert snippet == "…w28 w29 die \x02Werke\x03 stehen v0…"


def test_every_match_in_the_window_is_marked_and_none_past_it() -> None:
    text = "Intro. " + " ".join(["Bezos und Werke"] * 20)
    snippet = make_snippet(parse_query("Bezos Werk"), text, words=5)
    assert snippet == "Intro. \x02Bezos\x03 und \x02Werke Bezos\x03…"


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
    monkeypatch.setattr("newsreader.store.search.RANKED_MATCH_LIMIT", 3)
    newest = [hit.title for hit in seeded_store.search("Amazon")]
    assert newest == [f"Amazon note {n}" for n in (4, 3, 2, 1, 0)] + [VW_TITLE]
    assert sorted(ranked) == sorted(newest)
    assert ranked[0] == "Amazon note 0", (
        "ranked by relevance, the note saying Amazon most comes first"
    )


# The filters and the word forms


def test_filters_are_parsed_apart_from_the_words() -> None:
    query = parse_query('Amazon feed:"NDR Niedersachsen" -is:read since:7d tag:Wirtschaft')
    assert query.words == ["Amazon"]
    assert [(f.key, f.value, f.negated) for f in query.filters] == [
        ("feed", "ndr niedersachsen", False),
        ("is", "read", True),
        ("since", "7d", False),
        ("tag", "wirtschaft", False),
    ]
    assert (query.filters[2].amount, query.filters[2].unit) == (7, "d")


def test_filter_values_are_folded_and_keys_ignore_case() -> None:
    query = parse_query("Feed:München AUTHOR:Müller")
    assert [(f.key, f.value) for f in query.filters] == [
        ("feed", "muenchen"),
        ("author", "mueller"),
    ]


def test_a_date_filter_reads_the_day() -> None:
    (before,) = parse_query("before:2019-03-01").filters
    assert before.day is not None and before.day.isoformat() == "2019-03-01"


def test_title_keeps_a_term_to_the_title_column() -> None:
    query = parse_query('title:Bezos title:"Jeff Bezos" title:koop* -title:Ford')
    assert [term.column for clause in query.clauses for term in clause] == ["title"] * 3
    assert query.to_fts() == (
        '(title : "Bezos" AND title : "Jeff Bezos" AND title : "koop"*) NOT title : "Ford"'
    )


def test_an_unknown_key_stays_an_ordinary_word() -> None:
    query = parse_query("Uhrzeit:13:30 color:red")
    assert query.words == ["Uhrzeit:13:30", "color:red"]
    assert query.filters == ()


def test_a_query_of_filters_alone_is_valid() -> None:
    query = parse_query("is:unread feed:ndr")
    assert query.clauses == () and query.to_fts() == ""
    assert parse_query("feed:ndr -amazon").excluded[0].text == "amazon"


def test_plain_words_carry_their_forms_and_phrases_and_prefixes_do_not() -> None:
    query = parse_query('Werke "Jeff Bezos" Koop*')
    assert [term.forms for clause in query.clauses for term in clause] == [
        ("werke", "werk"),
        (),
        (),
    ]
    assert query.clauses[0][0].to_forms_fts() == '("werke" OR "werk")'


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("is:maybe", "is: takes unread, read or starred, not 'maybe'"),
        ("since:yesterday", "since: takes 7d, 2w, 3m, 1y or a date"),
        ("before:2019-02-30", "not a date on the calendar"),
        ("feed:", "feed: needs a value"),
        ("feed: ndr", "feed: needs a value"),
        ('feed:""', "feed: needs a value"),
        ("title:", "title: needs a value"),
        ("author:-", "author: needs a value"),
        ("feed:ndr OR feed:bbc", "OR joins words, not filters"),
        ("amazon OR is:unread", "OR joins words, not filters"),
        ("-vw OR amazon", "cannot stand beside OR"),
        ('feed:"NDR', "not closed"),
    ],
)
def test_bad_filters_get_a_clear_message(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(query)


def test_every_syntax_message_is_one_short_sentence() -> None:
    for query in ["is:maybe", "since:yesterday", "feed:", '"open', "a*", "OR", "-x"]:
        with pytest.raises(QuerySyntaxError) as caught:
            parse_query(query)
        message = str(caught.value)
        assert "\n" not in message and len(message) < 120
        assert message[0].isupper() or message.split(":")[0].isalpha()


@pytest.mark.parametrize(
    "query",
    ["Kooperationen", "KOOPERATIONEN", "Werk", "Fabrik"],
)
def test_other_word_forms_find_the_vw_story(seeded_store: Store, query: str) -> None:
    assert titles(seeded_store, query)[0] == VW_TITLE


def test_exact_words_rank_above_other_forms(seeded_store: Store) -> None:
    feed = seeded_store.add_feed(Feed(source="extra", title="Extra", language="de"))
    assert feed.id is not None
    seeded_store.save_articles(
        feed.id,
        [
            Article(guid="form", title="Kooperationen überall", language="de"),
            Article(guid="exact", title="Eine Kooperation", language="de"),
        ],
    )
    found = titles(seeded_store, "Kooperation")
    assert found[-1] == "Kooperationen überall", "the article with another form comes last"
    assert set(found) == {"Kooperationen überall", "Eine Kooperation", VW_TITLE}


def test_spelling_folds_find_umlauts_and_sharp_s(seeded_store: Store) -> None:
    feed = seeded_store.add_feed(Feed(source="extra", title="Extra", language="de"))
    assert feed.id is not None
    seeded_store.save_articles(
        feed.id, [Article(guid="1", title="Die Straße nach München", language="de")]
    )
    for query in ["Strasse", "Muenchen", "Straße", "münchen", "title:strasse"]:
        assert titles(seeded_store, query) == ["Die Straße nach München"], query


def test_snippets_mark_words_found_through_their_forms() -> None:
    snippet = make_snippet(parse_query("Werk Strasse"), "Die Werke an der Straße.")
    assert snippet == "Die \x02Werke\x03 an der \x02Straße\x03."


def test_a_word_form_excluded_excludes_the_article(seeded_store: Store) -> None:
    assert titles(seeded_store, "Amazon -Kooperationen") == []
    assert titles(seeded_store, "Amazon -Koop*") == []


def test_hits_found_through_forms_leave_out_every_form_of_an_excluded_word(
    store: Store,
) -> None:
    """Each index leaves out the excluded word itself; the other index's matches are
    left out by the articles that hold the word in any form, in any part."""
    feed = store.add_feed(Feed(source="harbours", title="Harbours", language="en"))
    assert feed.id is not None
    stories = {
        "plain": ("Hospital news", "Two hospitals open."),
        "in the body": ("Hospital and port", "The hospitals by the harbour."),
        "in the title": ("Hospitals and harbours", "Care for all."),
        "exact only": ("The hospitals report", "Ships in the harbours."),
    }
    store.save_articles(
        feed.id,
        [
            Article(
                guid=guid,
                title=title,
                blocks=(Block(BlockKind.PARAGRAPH, body),),
                language="en",
            )
            for guid, (title, body) in stories.items()
        ],
    )
    for query in ["hospital -harbours", "hospital -harbour", "hospitals -harbours"]:
        assert titles(store, query) == ["Hospital news"], query
    assert sorted(titles(store, "hospital")) == sorted(title for title, _ in stories.values())


def test_untagged_articles_are_stemmed_in_the_language_their_words_show(store: Store) -> None:
    feed = store.add_feed(Feed(source="untagged", title="Untagged"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            Article(guid="de", title="Die Gewerkschaft und der Betriebsrat sind sich einig"),
            Article(guid="en", title="The councils said they will meet"),
        ],
    )
    assert titles(store, "Gewerkschaften") == [
        "Die Gewerkschaft und der Betriebsrat sind sich einig"
    ]
    assert titles(store, "council") == ["The councils said they will meet"]


def test_an_index_built_by_another_stemmer_is_rebuilt_on_opening(seeded_store: Store) -> None:
    with seeded_store.transaction() as db:
        db.execute("INSERT INTO forms_fts (forms_fts) VALUES ('delete-all')")
        db.execute("UPDATE search_meta SET value = 'older' WHERE key = 'forms_version'")
    assert titles(seeded_store, "Kooperationen") == []
    reopened = Store(seeded_store.path)
    assert titles(reopened, "Kooperationen") == [VW_TITLE]
    assert reopened.connection().execute("SELECT value FROM search_meta").fetchone()[0] != "older"
    reopened.close()


def test_updating_and_deleting_articles_keeps_the_word_form_index_in_step(store: Store) -> None:
    feed = store.add_feed(Feed(source="x", title="X", language="de"))
    assert feed.id is not None
    store.save_articles(feed.id, [Article(guid="1", title="Die Werke")])
    store.save_articles(feed.id, [Article(guid="1", title="Die Häfen")])
    assert titles(store, "Werk") == []
    assert titles(store, "Hafen") == ["Die Häfen"]
    with store.transaction() as db:
        db.execute("DELETE FROM feeds")
    assert titles(store, "Hafen") == []
    with store.transaction() as db:  # FTS5 raises if the index and the articles disagree
        db.execute("INSERT INTO forms_fts (forms_fts, rank) VALUES ('integrity-check', 1)")


QUERY_PIECES = st.sampled_from(
    [
        "Amazon",
        "Werke",
        "Straße",
        '"Jeff Bezos"',
        "Koop*",
        "OR",
        "-",
        "-Osterloh",
        "title:",
        "title:Werk",
        "title:koop*",
        'feed:"NDR',
        "feed:ndr",
        "tag:x",
        "is:unread",
        "is:",
        "since:7d",
        "before:2019-03-01",
        "since:1x",
        "author:",
        '"',
        "*",
        "(",
        "NEAR(",
        ":",
        "ü",
        "e-mail",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(QUERY_PIECES | st.text(max_size=6), max_size=6), st.sampled_from(list(SortOrder)))
def test_whatever_is_typed_the_store_answers_or_says_why(
    seeded_store: Store, pieces: list[str], sort: SortOrder
) -> None:
    text = " ".join(pieces)
    try:
        seeded_store.search(text, sort=sort)
        seeded_store.count_listed(query=text)
    except QuerySyntaxError as error:
        assert str(error) and "\n" not in str(error)


def test_a_related_item_is_found_by_another_form_of_its_words(seeded_store: Store) -> None:
    (hit,) = seeded_store.search("Übernahmen")  # the item says "Übernahme"
    assert hit.title == "Vernetzung: Volkswagen übernimmt WirelessCar"
    assert hit.related_position == 0
    assert f"{HIGHLIGHT_START}Übernahme{HIGHLIGHT_END}" in hit.snippet
    # Found by its words as written, it is found once, with FTS5's snippet.
    (exact,) = seeded_store.search("Übernahme")
    assert (exact.title, exact.related_position) == (hit.title, 0)


def test_related_items_found_by_form_meet_the_querys_filters(seeded_store: Store) -> None:
    assert seeded_store.search("Übernahmen feed:ndr")
    assert seeded_store.search("Übernahmen -feed:ndr") == []
    assert seeded_store.search("Übernahmen -WirelessCar") == []


def test_the_related_items_word_form_index_keeps_in_step(store: Store) -> None:
    feed = store.add_feed(Feed(source="x", title="X", language="de"))
    assert feed.id is not None
    first = RelatedItem(title="Die Werke schließen", teaser="Der Konzern spart.")
    store.save_articles(feed.id, [Article(guid="1", title="Stahl", related=(first,))])
    assert [hit.title for hit in store.search("Werk")] == ["Die Werke schließen"]
    second = RelatedItem(title="Die Häfen wachsen", teaser="")
    store.save_articles(feed.id, [Article(guid="1", title="Stahl", related=(second,))])
    assert store.search("Werk") == []
    assert [hit.title for hit in store.search("Hafen")] == ["Die Häfen wachsen"]
    with store.transaction() as db:
        db.execute("DELETE FROM feeds")
    assert store.search("Hafen") == []
    with store.transaction() as db:  # FTS5 raises if the index and the items disagree
        db.execute(
            "INSERT INTO related_forms_fts (related_forms_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_among_hits_by_another_form_articles_come_before_related_items(
    seeded_store: Store,
) -> None:
    hits = seeded_store.search("Konzerne")  # the story and an item say "Konzern"
    assert [(hit.title, hit.related_position) for hit in hits] == [
        (VW_TITLE, None),
        ("Vernetzung: Volkswagen übernimmt WirelessCar", 0),
    ]
