"""Filters in the search language, the date order, search-restricted views and feed tags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.feeds.entries import MAX_TAGS, TAG_LIMIT
from newsreader.feeds.fastparse.parse import try_fast_parse
from newsreader.feeds.ingest import parse_feed
from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.store.query import QuerySyntaxError, SortOrder

NOW = datetime.now(UTC)


@pytest.fixture
def news(store: Store) -> Store:
    """Two feeds: a German regional one and an English one, with dates spread out."""
    ndr = store.add_feed(Feed(source="https://ndr.example/feed", title="NDR Niedersachsen"))
    bbc = store.add_feed(Feed(source="https://bbc.example/rss", title="BBC News"))
    assert ndr.id is not None and bbc.id is not None
    store.save_articles(
        ndr.id,
        [
            Article(
                guid="hafen",
                title="Neuer Hafen in Cuxhaven",
                teaser="Der Hafen wächst.",
                author="Jörg Müller",
                language="de",
                published=NOW - timedelta(days=2),
                tags=("Wirtschaft", "Küste"),
            ),
            Article(
                guid="werk",
                title="Das Werk in Emden",
                teaser="Die Werke an der Küste.",
                language="de",
                published=datetime(2019, 2, 20, 12, tzinfo=UTC),
                tags=("Wirtschaft",),
            ),
        ],
    )
    store.save_articles(
        bbc.id,
        [
            Article(
                guid="harbour",
                title="A new harbour for the coast",
                teaser="The harbour works grow.",
                author="Jane Doe",
                language="en",
                published=NOW - timedelta(days=20),
                tags=("Business",),
            ),
            Article(guid="undated", title="Harbour news without a date", language="en"),
        ],
    )
    return store


def titles(store: Store, query: str, **options: object) -> list[str]:
    return [hit.title for hit in store.search(query, **options)]  # type: ignore[arg-type]


def article_id(store: Store, title: str) -> int:
    return next(article.id for article in store.articles() if article.title == title)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("feed:ndr", {"Neuer Hafen in Cuxhaven", "Das Werk in Emden"}),
        ('feed:"NDR Niedersachsen" Hafen', {"Neuer Hafen in Cuxhaven"}),
        (
            "feed:bbc.example harbour",
            {"A new harbour for the coast", "Harbour news without a date"},
        ),
        ("-feed:ndr", {"A new harbour for the coast", "Harbour news without a date"}),
        ("author:mueller", {"Neuer Hafen in Cuxhaven"}),
        ("author:Müller", {"Neuer Hafen in Cuxhaven"}),
        ("-author:jane harbour", {"Harbour news without a date"}),
        ("tag:wirtschaft", {"Neuer Hafen in Cuxhaven", "Das Werk in Emden"}),
        ("tag:kueste", {"Neuer Hafen in Cuxhaven"}),
        ("-tag:wirtschaft", {"A new harbour for the coast", "Harbour news without a date"}),
        ("since:7d", {"Neuer Hafen in Cuxhaven"}),
        ("since:1m", {"Neuer Hafen in Cuxhaven", "A new harbour for the coast"}),
        ("since:3w harbour", {"A new harbour for the coast"}),
        ("before:2019-03-01", {"Das Werk in Emden"}),
        ("since:2019-02-21 before:1y", set()),
        ("-since:1y", {"Das Werk in Emden", "Harbour news without a date"}),
        ("title:harbour", {"A new harbour for the coast", "Harbour news without a date"}),
        ("title:Werke", {"Das Werk in Emden"}),
        ("Küste OR Hafen -title:Werk", {"Neuer Hafen in Cuxhaven"}),
    ],
)
def test_filters_narrow_the_hits(news: Store, query: str, expected: set[str]) -> None:
    assert set(titles(news, query)) == expected


def test_state_filters_follow_what_the_reader_did(news: Store) -> None:
    news.set_read(article_id(news, "Neuer Hafen in Cuxhaven"))
    news.set_starred(article_id(news, "Das Werk in Emden"))
    assert "Neuer Hafen in Cuxhaven" not in titles(news, "is:unread")
    assert titles(news, "is:read") == ["Neuer Hafen in Cuxhaven"]
    assert titles(news, "is:starred") == ["Das Werk in Emden"]
    assert "Das Werk in Emden" not in titles(news, "-is:starred")


def test_a_query_of_filters_alone_lists_the_newest_first(news: Store) -> None:
    assert titles(news, "tag:wirtschaft") == ["Neuer Hafen in Cuxhaven", "Das Werk in Emden"]
    assert titles(news, "feed:bbc") == [
        "Harbour news without a date",  # by when it was first seen: today
        "A new harbour for the coast",
    ]


def test_excluding_words_works_beside_filters_alone(news: Store) -> None:
    assert titles(news, "feed:ndr -Cuxhaven") == ["Das Werk in Emden"]


def test_sorting_by_date_lists_newest_first_and_undated_last(news: Store) -> None:
    assert titles(news, "harbour", sort=SortOrder.DATE) == [
        "A new harbour for the coast",
        "Harbour news without a date",
    ]
    assert titles(news, "Küste OR Hafen OR harbour", sort=SortOrder.DATE) == [
        "Neuer Hafen in Cuxhaven",
        "A new harbour for the coast",
        "Das Werk in Emden",
        "Harbour news without a date",
    ]


def test_both_orders_list_the_same_hits(news: Store) -> None:
    for query in ["harbour", "Hafen OR Werke OR harbour", "tag:wirtschaft"]:
        ranked = titles(news, query)
        dated = titles(news, query, sort=SortOrder.DATE)
        assert sorted(ranked) == sorted(dated)


def test_by_relevance_a_title_hit_beats_a_newer_teaser_hit(news: Store) -> None:
    assert titles(news, "Werk OR wächst") == ["Das Werk in Emden", "Neuer Hafen in Cuxhaven"]
    assert titles(news, "Werk OR wächst", sort=SortOrder.DATE) == [
        "Neuer Hafen in Cuxhaven",
        "Das Werk in Emden",
    ]


def test_date_order_reads_windows_when_a_query_matches_many(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = store.add_feed(Feed(source="many", title="Many", language="en"))
    assert feed.id is not None
    # Stored newest first, so the order of storing is the reverse of the date order.
    store.save_articles(
        feed.id,
        [
            Article(guid=str(n), title=f"note {n}", published=NOW - timedelta(hours=n))
            for n in range(30)
        ],
    )
    monkeypatch.setattr("newsreader.store.search.DATE_SORT_LIMIT", 3)
    monkeypatch.setattr("newsreader.store.search.DATE_WINDOW", 4)
    assert titles(store, "note", sort=SortOrder.DATE, limit=10) == [f"note {n}" for n in range(10)]
    assert titles(store, "note -title:3", sort=SortOrder.DATE, limit=3) == [
        "note 0",
        "note 1",
        "note 2",
    ]


def test_views_can_be_restricted_to_a_query(news: Store) -> None:
    assert news.count_listed(query="Hafen OR harbour") == 3
    assert news.count_listed(query="Hafen OR harbour", unread_only=True) == 3
    page = news.article_page(query="Hafen OR harbour")
    assert [row.title for row in page] == [
        "Harbour news without a date",  # first seen today
        "Neuer Hafen in Cuxhaven",
        "A new harbour for the coast",
    ]
    werk = article_id(news, "Das Werk in Emden")
    assert news.listed_position(werk, query="Werke") == 0
    assert news.listed_position(werk, query="harbour") is None
    assert news.count_listed(query="feed:bbc is:unread") == 2


def test_bad_syntax_raises_the_syntax_error_everywhere(news: Store) -> None:
    for call in (
        lambda: news.search("is:maybe"),
        lambda: news.count_listed(query="since:yesterday"),
        lambda: news.article_page(query='"open'),
    ):
        with pytest.raises(QuerySyntaxError):
            call()


# Tags: the feeds' categories, read the same way on both parsing paths.

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
<item><title>One</title><guid>1</guid>
<category>Wirtschaft</category><category domain="x">Politik</category>
<category>Wirtschaft</category><dc:subject>K\xc3\xbcste</dc:subject></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>One</title><id>1</id><category term="Sport" label="S"/>
<category scheme="s"/><category scheme="s">Wetter</category><category term="  "/></entry>
</feed>"""


@pytest.mark.parametrize(
    ("document", "tags"),
    [(RSS, ("Wirtschaft", "Politik", "Küste")), (ATOM, ("Sport", "Wetter"))],
)
def test_categories_become_tags_on_both_parsing_paths(
    document: bytes, tags: tuple[str, ...]
) -> None:
    fast = try_fast_parse(document, "https://example.org/feed")
    assert fast is not None, "the fast path reads it"
    slow = parse_feed(document + b"<!-- -->", "https://example.org/feed")
    assert fast.articles[0].tags == slow.articles[0].tags == tags


def test_tags_are_cleaned_and_capped() -> None:
    items = "".join(f"<category>tag {n}</category>" for n in range(MAX_TAGS + 5))
    long = "x" * (TAG_LIMIT * 2)
    document = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title>'
        f"<category>{long}</category><category>a&#x202e;b</category>{items}</item></channel></rss>"
    ).encode()
    (article,) = parse_feed(document, "https://example.org/feed").articles
    assert len(article.tags) == MAX_TAGS
    assert len(article.tags[0]) == TAG_LIMIT
    assert article.tags[1] == "ab"


def test_tags_are_stored_and_replaced_with_the_article(store: Store) -> None:
    feed = store.add_feed(Feed(source="t", title="T"))
    assert feed.id is not None
    store.save_articles(feed.id, [Article(guid="1", title="One", tags=("A", "B"))])
    (summary,) = store.articles()
    stored = store.article(summary.id)
    assert stored is not None and stored.tags == ("A", "B")
    result = store.save_articles(feed.id, [Article(guid="1", title="One", tags=("C",))])
    assert result.updated == 1
    stored = store.article(summary.id)
    assert stored is not None and stored.tags == ("C",)
    assert titles(store, "tag:c") == ["One"] and titles(store, "tag:a") == []


@pytest.mark.parametrize(
    "query", ["since:0001-01-01", "before:9999-12-31", "since:9999y", "since:9999w", "before:0d"]
)
def test_times_at_the_ends_of_the_calendar_list_everything_dated(news: Store, query: str) -> None:
    assert len(titles(news, query)) == 3


def test_a_filter_that_passes_few_articles_is_read_first_with_the_same_hits(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.store import search as store_search

    big = store.add_feed(Feed(source="local:big", title="Big"))
    small = store.add_feed(Feed(source="local:small", title="Small"))
    assert big.id is not None and small.id is not None
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.save_articles(
        big.id,
        [
            Article(guid=f"b{n}", title=f"Werk {n}", published=start + timedelta(hours=n))
            for n in range(40)
        ],
    )
    store.save_articles(
        small.id,
        [
            Article(guid="s1", title="Das Werk", teaser="Werk", published=start),
            Article(guid="s2", title="Neues vom Hafen", teaser="Im Werk", published=start),
            Article(
                guid="s3", title="Die Werke", language="de", published=start + timedelta(days=1)
            ),
            Article(guid="s4", title="Hafen", published=start + timedelta(days=2)),
        ],
    )
    queries = ["Werk feed:small", "Werk -feed:big", "Werk feed:small since:2025-12-01"]
    first = {query: titles(store, query) for query in queries}
    # The other way round: every match checked against the filters.
    monkeypatch.setattr(store_search, "FILTERS_FIRST_SHARE", 10**9)
    assert {query: titles(store, query) for query in queries} == first
    assert first["Werk feed:small"] == ["Das Werk", "Neues vom Hafen", "Die Werke"]


def test_folder_finds_feeds_by_any_folder_of_their_path_or_any_group(news: Store) -> None:
    from newsreader.feeds.fetchstate import set_folder

    ndr, bbc = sorted((s.feed for s in news.feeds()), key=lambda feed: feed.title, reverse=True)
    set_folder(news, ndr.id or 0, ("Regional", "Küste"))
    news.connection().execute(
        "INSERT INTO feed_groups (feed_id, position, name, folded) VALUES (?, 0, 'world', 'world')",
        (bbc.id,),
    )
    news.connection().commit()
    assert set(titles(news, "folder:KUESTE")) == {"Neuer Hafen in Cuxhaven", "Das Werk in Emden"}
    assert set(titles(news, "folder:regional")) == set(titles(news, "folder:Küste"))
    assert set(titles(news, "folder:world")) == {
        "A new harbour for the coast", "Harbour news without a date",
    }  # fmt: skip
    assert set(titles(news, "hafen -folder:world")) == {"Neuer Hafen in Cuxhaven"}
    assert titles(news, "folder:nowhere") == []
