"""The same story in several feeds lists once, names the other feeds and is read once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.feeds.refresh import remove_feed
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.store.schema import migrate
from newsreader.store.stories import near_identical, title_key, url_key

NOON = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
STORY_TEXT = (
    "Volkswagen und Amazon arbeiten künftig bei der Digitalisierung der Werke zusammen. "
    "Die Konzerne wollen die Daten aller Fabriken in einer Cloud bündeln."
)


def article(
    guid: str,
    title: str = "VW und Amazon gehen Kooperation ein",
    *,
    url: str | None = None,
    text: str = STORY_TEXT,
    teaser: str = "Die Fabriken kommen in die Cloud.",
    published: datetime | None = NOON,
) -> Article:
    blocks = (Block(BlockKind.PARAGRAPH, text),) if text else ()
    return Article(
        guid=guid, title=title, teaser=teaser, blocks=blocks, url=url, published=published
    )


def subscribe(store: Store, *names: str) -> list[int]:
    ids = []
    for name in names:
        feed = store.add_feed(Feed(source=f"local:{name}", title=name))
        assert feed.id is not None
        ids.append(feed.id)
    return ids


def ids_of(store: Store, **view: object) -> list[int]:
    return [summary.id for summary in store.articles(**view)]  # type: ignore[arg-type]


def only_id(store: Store, feed_id: int) -> int:
    (summary,) = store.articles(feed_id)
    return summary.id


def test_a_story_with_the_same_link_in_two_feeds_lists_once_naming_the_other_feed(
    store: Store,
) -> None:
    ndr, tagesschau = subscribe(store, "NDR", "Tagesschau")
    store.save_articles(ndr, [article("ndr-1", url="https://www.ndr.de/vw-amazon.html")])
    store.save_articles(
        tagesschau,
        [
            article(
                "ts-1",
                "VW kooperiert mit Amazon",
                url="http://ndr.de/vw-amazon.html?utm_source=rss",
            )
        ],
    )
    first, copy = only_id(store, ndr), only_id(store, tagesschau)

    (listed,) = store.articles()
    assert (listed.id, listed.feed_title, listed.also_in) == (first, "NDR", ("Tagesschau",))
    assert store.count_articles() == 1
    assert store.count_listed() == 1
    assert [s.id for s in store.article_page()] == [first]
    # In a feed's own list each copy shows, and says where else it is.
    assert store.articles(tagesschau)[0].also_in == ("NDR",)
    opened = store.article(copy)
    assert opened is not None and opened.also_in == ("NDR",)


def test_a_story_alone_in_one_feed_names_no_other_feed(store: Store) -> None:
    (ndr,) = subscribe(store, "NDR")
    store.save_articles(ndr, [article("a", url="https://ndr.de/a")])
    (listed,) = store.articles()
    assert listed.also_in == ()
    opened = store.article(listed.id)
    assert opened is not None and opened.also_in == ()


def test_the_same_title_and_nearly_the_same_text_make_one_story(store: Store) -> None:
    ndr, dpa, blog = subscribe(store, "NDR", "dpa", "Blog")
    store.save_articles(ndr, [article("n", url="https://ndr.de/1")])
    # Other link, punctuation and case, a corrected word, only the opening sentence...
    store.save_articles(
        dpa,
        [
            article(
                "d",
                "VW und Amazon gehen Kooperation ein!",
                url="https://dpa.de/9",
                text=STORY_TEXT.replace("zusammen", "gemeinsam"),
                published=NOON + timedelta(hours=5),
            )
        ],
    )
    # ... but a blog's own text under the same title is another story.
    store.save_articles(
        blog,
        [
            article(
                "b",
                text="Ein Kommentar: warum diese Zusammenarbeit scheitern wird, in vier Punkten.",
            )
        ],
    )
    stories = {s.feed_title: s.also_in for s in store.articles()}
    assert stories == {"NDR": ("dpa",), "Blog": ()}


def test_a_title_that_comes_back_days_later_is_a_new_story(store: Store) -> None:
    ndr, dpa = subscribe(store, "NDR", "dpa")
    store.save_articles(ndr, [article("n", "Das Wetter", text="Sonne und Wolken.")])
    later = NOON + timedelta(days=8)
    store.save_articles(
        dpa, [article("d", "Das Wetter", text="Sonne und Wolken.", published=later)]
    )
    assert len(store.articles()) == 2


def test_two_entries_of_one_feed_stay_two_stories_even_with_one_link(store: Store) -> None:
    (ndr,) = subscribe(store, "NDR")
    store.save_articles(
        ndr,
        [article("a", url="https://ndr.de/live"), article("b", url="https://ndr.de/live")],
    )
    assert len(store.articles()) == 2


def test_a_second_entry_with_the_link_in_a_feed_that_has_the_story_is_its_own_story(
    store: Store,
) -> None:
    ndr, dpa = subscribe(store, "NDR", "dpa")
    store.save_articles(ndr, [article("first", url="https://ndr.de/live")])
    store.save_articles(dpa, [article("copy", url="https://ndr.de/live")])
    store.save_articles(ndr, [article("second", "Der Tag im Ticker", url="https://ndr.de/live")])
    assert sorted(s.also_in for s in store.articles()) == [(), ("dpa",)]


def test_links_to_a_home_page_do_not_make_a_story(store: Store) -> None:
    one, two = subscribe(store, "One", "Two")
    store.save_articles(one, [article("a", "Erste Meldung", url="https://example.org/")])
    store.save_articles(two, [article("b", "Andere Meldung", url="https://example.org")])
    assert len(store.articles()) == 2


def test_reading_one_copy_marks_the_others_read_and_starring_stars_them(store: Store) -> None:
    ndr, dpa, blog = subscribe(store, "NDR", "dpa", "Blog")
    for feed_id, guid in ((ndr, "n"), (dpa, "d"), (blog, "b")):
        store.save_articles(feed_id, [article(guid, url="https://ndr.de/story")])
    copies = sorted(only_id(store, feed_id) for feed_id in (ndr, dpa, blog))

    assert store.set_read(copies[1]) == copies
    assert store.set_read(copies[2]) == []  # nothing left to change
    assert all(store.article(copy).read for copy in copies)  # type: ignore[union-attr]
    assert store.articles(unread_only=True) == []
    assert [f.unread_count for f in store.feeds()] == [0, 0, 0]

    assert store.set_starred(copies[0]) == copies
    assert ids_of(store, starred_only=True) == [copies[0]]
    assert store.set_read(copies[2], False) == copies
    assert store.set_starred(copies[1], False) == copies
    assert store.articles(starred_only=True) == []


def test_a_new_copy_of_a_story_already_read_arrives_read_and_starred(store: Store) -> None:
    ndr, dpa = subscribe(store, "NDR", "dpa")
    store.save_articles(ndr, [article("n", url="https://ndr.de/story")])
    first = only_id(store, ndr)
    store.set_read(first)
    store.set_starred(first)
    store.save_articles(dpa, [article("d", url="https://ndr.de/story")])
    copy = store.article(only_id(store, dpa))
    assert copy is not None and copy.read and copy.starred
    assert store.articles(unread_only=True) == []


def test_an_updated_article_that_now_matches_a_story_joins_it(store: Store) -> None:
    ndr, dpa = subscribe(store, "NDR", "dpa")
    store.save_articles(ndr, [article("n", url="https://ndr.de/story")])
    store.save_articles(dpa, [article("d", "Vorab: VW", url="https://dpa.de/vorab", text="Kurz.")])
    assert len(store.articles()) == 2
    store.save_articles(dpa, [article("d", url="https://ndr.de/story")])
    assert [s.also_in for s in store.articles()] == [("dpa",)]


def test_when_the_feed_of_a_storys_first_copy_goes_the_next_copy_is_listed(
    store: Store,
) -> None:
    ndr, dpa, blog = subscribe(store, "NDR", "dpa", "Blog")
    for feed_id, guid in ((ndr, "n"), (dpa, "d"), (blog, "b")):
        store.save_articles(feed_id, [article(guid, url="https://ndr.de/story")])
    next_copy = only_id(store, dpa)
    feed = store.feed(ndr)
    assert feed is not None and remove_feed(store, feed)

    (listed,) = store.articles()
    assert (listed.id, listed.also_in) == (next_copy, ("Blog",))
    store.set_read(only_id(store, blog))
    assert store.article(next_copy).read  # type: ignore[union-attr]
    # A copy arriving afterwards still finds the story.
    (ndr_again,) = subscribe(store, "NDR")
    store.save_articles(ndr_again, [article("n", url="https://ndr.de/story")])
    assert [s.also_in for s in store.articles()] == [("Blog", "NDR")]


def test_a_store_from_before_stories_groups_its_copies_by_link(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    migrate(connection, target=6)
    connection.executescript(
        """
        INSERT INTO feeds (id, source, title, added_at) VALUES
            (1, 'a', 'A', '2024'), (2, 'b', 'B', '2024'), (3, 'c', 'C', '2024');
        INSERT INTO articles (id, feed_id, guid, title, url, sort_time, read) VALUES
            (1, 1, 'x', 'Shared', 'https://news.example/s', 10, 0),
            (2, 2, 'y', 'Shared too', 'https://news.example/s?utm_medium=rss', 11, 1),
            (3, 3, 'z', 'Alone', 'https://news.example/other', 12, 0),
            (4, 3, 'w', 'Twice in C', 'https://news.example/c', 13, 0),
            (5, 3, 'v', 'Twice in C again', 'https://news.example/c', 14, 0);
        """
    )
    connection.commit()
    connection.close()

    store = Store(path)
    listed = {s.id: s for s in store.articles()}
    assert sorted(listed) == [1, 3, 4, 5]
    assert listed[1].also_in == ("B",) and listed[1].read  # read in B, so read in A
    store.close()


def test_link_keys_ignore_scheme_www_fragments_slashes_and_tracking() -> None:
    key = url_key("https://www.ndr.de/nachrichten/vw.html")
    assert key == "ndr.de/nachrichten/vw.html"
    assert url_key("http://NDR.de/nachrichten/vw.html/#top") == key
    assert url_key("https://ndr.de/nachrichten/vw.html?utm_source=rss&fbclid=1") == key
    assert url_key("https://ndr.de/a?b=2&a=1") == url_key("https://ndr.de/a?a=1&b=2")
    assert url_key("https://ndr.de/a?id=1") != url_key("https://ndr.de/a?id=2")
    assert url_key("https://ndr.de:8080/a") != url_key("https://ndr.de/a")
    assert url_key("https://ndr.de/") is None
    assert url_key(None) is None
    assert url_key("not a link") is None


def test_title_keys_fold_case_accents_and_punctuation() -> None:
    assert title_key("Übernahme: VW kauft – „endlich“!") == title_key("ubernahme vw KAUFT endlich")
    assert title_key("Straße") == title_key("STRASSE")
    assert title_key("...") is None


def test_texts_are_nearly_identical_when_most_of_the_shorter_one_is_in_the_longer() -> None:
    assert near_identical(STORY_TEXT, STORY_TEXT + " Mehr dazu am Abend.")
    first_sentence = STORY_TEXT.split(". ")[0]
    assert near_identical(first_sentence, STORY_TEXT)
    assert not near_identical("Sonne und Wolken im Norden.", "Regen und Sturm im Süden.")
    assert near_identical("", "")
    assert not near_identical("", STORY_TEXT)


def test_a_story_in_two_feeds_is_one_search_hit_and_a_feed_filter_finds_its_copy(
    store: Store,
) -> None:
    ndr, tagesschau = subscribe(store, "NDR", "Tagesschau")
    store.save_articles(ndr, [article("ndr-1", url="https://www.ndr.de/vw-amazon.html")])
    store.save_articles(tagesschau, [article("ts-1", url="https://www.ndr.de/vw-amazon.html")])
    first, copy = only_id(store, ndr), only_id(store, tagesschau)

    assert [hit.article_id for hit in store.search("Kooperation")] == [first]
    assert [hit.article_id for hit in store.search("Kooperation feed:tagesschau")] == [copy]
