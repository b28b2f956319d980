"""Full text from the web page for feeds that send only a teaser: fetched, stored, searched.

A teaser-only feed and its article pages are served on 127.0.0.1; the command line and
the store are used as the reader uses them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, rss
from shared_paths import FIXTURES
from test_cli import Shell
from test_cli import newsreader as newsreader
from test_cli import parse_in_this_process as parse_in_this_process

from newsreader.config import parse_config
from newsreader.feeds import bundled
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.full_text import (
    fetch_full_text,
    prefetch_full_texts,
    teaser_only,
    wants_page,
)
from newsreader.feeds.ingest import parse_feed
from newsreader.feeds.page_error import PageError
from newsreader.models import (
    Article,
    Block,
    BlockKind,
    Feed,
    PageArticle,
    RelatedItem,
    SectionLabels,
)
from newsreader.store.database import Store

SEED_PAGE = (FIXTURES / "pages" / "ndr-vw-amazon.html").read_bytes()
TEASER = "VW-Vorstand Herbert Diess hat sich mehrfach mit Amazon-Chef Jeff Bezos getroffen."
SETTINGS = FetchSettings(connect_timeout=0.5, timeout=5.0, parse_in="thread", trust_env=False)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def bundled_story() -> Article:
    return parse_feed(bundled.bundled_feed_path().read_bytes(), "bundled").articles[0]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.route("/vw-amazon.html", Reply(200, SEED_PAGE, HTML))
        running.route("/gone.html", Reply(404, b"not here"))
        running.route(
            "/feed.pdf", Reply(200, b"%PDF-1.7 not a page", {"Content-Type": "application/pdf"})
        )
        yield running


def teaser_feed(server: FeedServer, *, pub_date: str = "Wed, 27 Mar 2019 19:43:00 GMT") -> str:
    items = [
        {
            "guid": "urn:ndr:vw-amazon",
            "title": "In die Cloud: VW und Amazon gehen Kooperation ein",
            "link": server.url("/vw-amazon.html"),
            "description": TEASER,
            "pubDate": pub_date,
        },
        {
            "guid": "urn:ndr:gone",
            "title": "Ein Beitrag, den es nicht mehr gibt",
            "link": server.url("/gone.html"),
            "description": "Nur ein Satz.",
        },
    ]
    return server.route("/feed.xml", Reply(200, rss("NDR Niedersachsen", items)))


def article_id(newsreader: Shell, title_start: str) -> int:
    for row in newsreader.ok("articles", "--json").json():
        if row["title"].startswith(title_start):
            return int(row["id"])
    raise AssertionError(f"no article {title_start!r}")


def test_show_full_fetches_the_page_and_gives_the_text_and_sidebar_of_the_bundled_story(
    newsreader: Shell, server: FeedServer
) -> None:
    newsreader.ok("add", teaser_feed(server))
    vw = article_id(newsreader, "In die Cloud")
    before = newsreader.ok("show", str(vw), "--json").json()
    assert (before["body"], before["body_source"], before["page_url"]) == (TEASER, "feed", None)

    shown = newsreader.ok("show", str(vw), "--full", "--json").json()
    story = newsreader.ok("show", "1", "--json").json()  # the bundled story, as shipped
    assert shown["body_source"] == "page"
    assert shown["page_url"] == server.url("/vw-amazon.html")
    fetched = datetime.fromisoformat(shown["page_fetched_at"])
    assert abs((datetime.now(UTC) - fetched).total_seconds()) < 60
    assert shown["body"] == story["body"]  # the teaser is not repeated in the body
    assert shown["teaser"] == story["teaser"]
    assert [(i["title"], i["teaser"], i["date"]) for i in shown["related"]] == [
        (i["title"], i["teaser"], i["date"]) for i in story["related"]
    ]
    assert shown["programme"] == story["programme"]
    assert [(m["title"], m["duration_seconds"]) for m in shown["media"]] == [
        (m["title"], m["duration_seconds"]) for m in story["media"]
    ]
    assert all(m["url"].startswith("https://www.ndr.de/") for m in shown["media"])
    assert server.hits["/vw-amazon.html"] == 1

    # Stored: shown again without --full, and --full does not fetch it twice.
    again = newsreader.ok("show", str(vw), "--json").json()
    assert again["body"] == story["body"] and again["body_source"] == "page"
    newsreader.ok("show", str(vw), "--full")
    assert server.hits["/vw-amazon.html"] == 1
    text = newsreader.ok("show", str(vw)).out
    assert "Innovationszentrum in Berlin geplant" in text
    assert "Weitere Informationen" in text and "Dieses Thema im Programm:" in text


def test_the_full_text_is_searchable_and_kept_when_the_feed_sends_the_teaser_again(
    newsreader: Shell, server: FeedServer
) -> None:
    feed = teaser_feed(server)
    newsreader.ok("add", feed)
    vw = article_id(newsreader, "In die Cloud")
    newsreader.ok("show", str(vw), "--full")
    # The words as written, and another form of a word ("Fabrik" finds "Fabriken").
    for query in ("Lamborghini", "Fabrik", '"Volkswagen Automotive Cloud"'):
        hits = newsreader.ok("search", query, "--json").json()
        assert vw in [hit["id"] for hit in hits], query
    # The feed changes the item (a new date) and still sends only the teaser.
    teaser_feed(server, pub_date="Thu, 28 Mar 2019 08:00:00 GMT")
    newsreader.ok("refresh")
    shown = newsreader.ok("show", str(vw), "--json").json()
    assert shown["body_source"] == "page"
    assert "Lamborghini" in shown["body"]
    assert shown["published"].startswith("2019-03-28")
    assert vw in [hit["id"] for hit in newsreader.ok("search", "Lamborghini", "--json").json()]
    assert server.hits["/vw-amazon.html"] == 1


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/gone.html", "HTTP 404 Not Found"), ("/feed.pdf", "not an HTML page")],
)
def test_a_page_without_an_article_says_why_and_the_teaser_stays(
    newsreader: Shell, server: FeedServer, path: str, reason: str
) -> None:
    items = [
        {"guid": "urn:x", "title": "Kurz", "link": server.url(path), "description": "Ein Satz."}
    ]
    newsreader.ok("add", server.route("/short.xml", Reply(200, rss("Kurz", items))))
    short = article_id(newsreader, "Kurz")
    run = newsreader("show", str(short), "--full", "--json")
    assert run.code == 1
    assert run.err == f"newsreader: error: full text: {reason}\n"
    shown = json.loads(run.out)
    assert (shown["body"], shown["body_source"], shown["page_url"]) == ("Ein Satz.", "feed", None)


@pytest.fixture
def feed_store(store: Store) -> tuple[Store, int]:
    feed = store.add_feed(Feed("https://ndr.example/feed.xml", "NDR"))
    assert feed.id is not None
    return store, feed.id


def stored(store: Store, feed_id: int, article: Article) -> Article:
    store.save_articles(feed_id, [article])
    found = next(s for s in store.articles(feed_id) if s.title == article.title)
    loaded = store.article(found.id)
    assert loaded is not None
    return loaded


PAGE_TEXT = (Block(BlockKind.HEADING, "Vom Hafen"), Block(BlockKind.PARAGRAPH, "Kräne " * 80))


def test_page_items_join_the_feeds_without_repeating_them(feed_store: tuple[Store, int]) -> None:
    store, feed_id = feed_store
    named = RelatedItem("Neue Kräne am Kai", url="https://ndr.example/kraene")
    article = stored(
        store,
        feed_id,
        Article(
            "g1",
            "Hafen",
            "Kurz.",
            (Block(BlockKind.PARAGRAPH, "Kurz."),),
            url="https://ndr.example/1",
            related=(named,),
        ),
    )
    assert article.id is not None
    page = PageArticle(
        url="https://ndr.example/1",
        blocks=PAGE_TEXT,
        related=(
            RelatedItem("Neue Kräne am Kai (Seite)", url="https://ndr.example/kraene"),
            RelatedItem("Die Schleuse", url="https://ndr.example/schleuse"),
        ),
        labels=SectionLabels(related="Mehr zum Thema"),
    )
    store.save_page_text(article.id, page, datetime(2024, 5, 1, tzinfo=UTC))
    loaded = store.article(article.id)
    assert loaded is not None
    assert [item.title for item in loaded.related] == ["Neue Kräne am Kai", "Die Schleuse"]
    assert loaded.labels.related == "Mehr zum Thema"
    assert loaded.body_source == "page" and loaded.blocks == PAGE_TEXT
    assert loaded.page is not None and loaded.page.feed_blocks == (
        Block(BlockKind.PARAGRAPH, "Kurz."),
    )
    # A search hit on a page-found item points at its place in the list.
    hit = next(h for h in store.search("Schleuse") if h.related_position is not None)
    assert (hit.article_id, hit.related_position) == (article.id, 1)
    # The feed now names the page's second story itself: it is listed once.
    feed_named = (named, RelatedItem("Die Schleuse", url="https://ndr.example/schleuse"))
    store.save_articles(feed_id, [replace(article, id=None, related=feed_named, teaser="Neu.")])
    again = store.article(article.id)
    assert again is not None
    assert [item.title for item in again.related] == ["Neue Kräne am Kai", "Die Schleuse"]
    assert again.blocks == PAGE_TEXT


def test_a_failed_page_is_remembered_and_a_text_fetched_before_is_kept(
    feed_store: tuple[Store, int], server: FeedServer
) -> None:
    store, feed_id = feed_store
    teaser = (Block(BlockKind.PARAGRAPH, "Kurz."),)
    article = stored(
        store, feed_id, Article("g2", "Weg", "Kurz.", teaser, url=server.url("/gone.html"))
    )
    assert article.id is not None and wants_page(article, "on-open")
    with pytest.raises(PageError, match="HTTP 404"):
        fetch_full_text(store, article.id, SETTINGS)
    failed = store.article(article.id)
    assert failed is not None and failed.page is not None
    assert failed.page.error == "HTTP 404 Not Found" and failed.body_source == "feed"
    assert not wants_page(failed, "on-open")  # not fetched again unasked
    assert store.pages_to_fetch(feed_id) == []
    # A text from an earlier fetch survives a failed refetch.
    store.save_page_text(
        article.id, PageArticle(url="https://x.example/", blocks=PAGE_TEXT), datetime.now(UTC)
    )
    with pytest.raises(PageError):
        fetch_full_text(store, article.id, SETTINGS)
    kept = store.article(article.id)
    assert kept is not None and kept.blocks == PAGE_TEXT and kept.body_source == "page"


def test_prefetch_fetches_unread_teasers_one_at_a_time_per_host(
    feed_store: tuple[Store, int], server: FeedServer
) -> None:
    store, feed_id = feed_store
    for n in range(4):
        server.route(f"/story-{n}.html", Reply(200, SEED_PAGE, HTML, delay=0.05))
    teaser = (Block(BlockKind.PARAGRAPH, TEASER),)
    articles = [
        Article(f"g{n}", f"Story {n}", TEASER, teaser, url=server.url(f"/story-{n}.html"))
        for n in range(4)
    ]
    articles.append(Article("long", "Long", "x", PAGE_TEXT, url=server.url("/story-0.html")))
    store.save_articles(feed_id, articles)
    read = next(s for s in store.articles(feed_id) if s.title == "Story 3")
    store.set_read(read.id)
    count = asyncio.run(prefetch_full_texts(store, [feed_id], SETTINGS))
    assert count == 3  # the read one and the one with a full body are left alone
    assert server.most_in_flight == 1
    assert [server.hits[f"/story-{n}.html"] for n in range(4)] == [1, 1, 1, 0]
    sources = {s.title: store.article(s.id).body_source for s in store.articles(feed_id)}  # type: ignore[union-attr]
    assert sources == {
        "Story 0": "page",
        "Story 1": "page",
        "Story 2": "page",
        "Story 3": "feed",
        "Long": "feed",
    }


def test_teaser_only_means_short_or_the_teaser_again() -> None:
    short = Article("a", "T", "Teaser.", (Block(BlockKind.PARAGRAPH, "Ein Satz."),))
    empty = Article("b", "T", "Teaser.")
    same = Article("c", "T", "wort " * 70, (Block(BlockKind.PARAGRAPH, "wort " * 70),))
    full = Article("d", "T", "Teaser.", PAGE_TEXT)
    assert teaser_only(short) and teaser_only(empty) and teaser_only(same)
    assert not teaser_only(full)
    linked = replace(short, url="https://ndr.example/1")
    assert wants_page(linked, "on-open") and wants_page(linked, "prefetch")
    assert not wants_page(linked, "off")
    assert not wants_page(short, "on-open")  # no page to fetch
    assert not wants_page(replace(linked, url="javascript:alert(1)"), "on-open")


def test_full_text_is_set_globally_and_per_feed_and_checked() -> None:
    result = parse_config(
        '[reading]\nfull_text = "prefetch"\n'
        '[feeds."https://ndr.example/feed.xml"]\nfull_text = "off"\n'
        '[feeds."https://other.example/feed"]\nfull_text = "always"\n'
    )
    config = result.config
    assert config.full_text_for("https://ndr.example/feed.xml") == "off"
    assert config.full_text_for("https://third.example/") == "prefetch"
    assert config.full_text_for(None) == "prefetch"
    assert result.problems == [
        'config.toml: feeds."https://other.example/feed".full_text: must be one of '
        '"on-open", "prefetch", "off", not "always"'
    ]
    assert parse_config("").config.full_text_for("x") == "on-open"
    bad = parse_config("[reading]\nfull_text = 1\n")
    assert bad.config.reading.full_text == "on-open"
    assert bad.problems == [
        'config.toml: reading.full_text: must be one of "on-open", "prefetch", "off", not 1'
    ]


def test_the_full_text_modules_stay_off_the_start_up_path(tmp_path: Path) -> None:
    import subprocess
    import sys

    check = (
        "import newsreader.cli.main, newsreader.ui.app, newsreader.feeds.full_text, sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'lxml', 'trafilatura'}); "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_refresh_fetches_the_pages_of_a_feed_set_to_prefetch(
    newsreader: Shell, server: FeedServer, tmp_path: Path
) -> None:
    feed = teaser_feed(server)
    newsreader.ok("add", feed)
    config = tmp_path / "config.toml"
    config.write_text(f'[feeds."{feed}"]\nfull_text = "prefetch"\n', "utf-8")
    run = newsreader.ok("--config", str(config), "refresh")
    assert "Full text from the web page for 1 article" in run.out
    assert server.hits["/vw-amazon.html"] == 1
    assert server.hits["/gone.html"] == 1  # tried once, and remembered as failed
    vw = article_id(newsreader, "In die Cloud")
    assert newsreader.ok("show", str(vw), "--json").json()["body_source"] == "page"
    newsreader.ok("--config", str(config), "refresh")
    assert (server.hits["/vw-amazon.html"], server.hits["/gone.html"]) == (1, 1)
    # Without the setting a refresh fetches no page.
    assert newsreader.ok("refresh").out.count("Full text") == 0
