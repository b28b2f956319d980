"""A hostile web page gives its article, or a one-line reason; it can never hurt.

Pages are fetched as the reader fetches them, from a server on 127.0.0.1, and stored in a
real store; then every string in the store is searched for what must never be there, as
the hostile-feed tests do (``test_hostile_feeds``).
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from httpserver import FeedServer, Reply
from test_hostile_feeds import FORBIDDEN, LINE_BREAKS, MULTI_LINE_COLUMNS, stored_strings

from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.full_text import fetch_full_text
from newsreader.feeds.page_error import PageError
from newsreader.feeds.page_extract import extract_page
from newsreader.feeds.pages import load_page_now
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.text.sanitize import contains_control

SETTINGS = FetchSettings(connect_timeout=0.5, timeout=10.0, parse_in="thread", trust_env=False)
HTML = {"Content-Type": "text/html; charset=utf-8"}
PARAGRAPHS = "".join(
    f"<p>Absatz {n}: Der Hafen wächst, und mit ihm wachsen die Sorgen der Anwohner.</p>"
    for n in range(12)
)
PAGE_BODY_COLUMNS = {"body_z", "feed_body_z"}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def article_page(extra: str = "", head: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body><main><article>"
        f"<h1>Der Hafen</h1>{PARAGRAPHS}{extra}</article></main></body></html>"
    ).encode()


def assert_store_is_clean(store: Store) -> None:
    problems = []
    for table, column, text in stored_strings(store):
        multi_line = (table == "articles" and column in MULTI_LINE_COLUMNS) or (
            table == "page_texts" and column in PAGE_BODY_COLUMNS
        )
        if FORBIDDEN.search(text) or (not multi_line and LINE_BREAKS.search(text)):
            problems.append((table, column, text[:120]))
    assert problems == []
    assert store.integrity_ok()


def fetch_into_store(store: Store, url: str) -> Article:
    feed = store.add_feed(Feed("https://hafen.example/feed.xml", "Hafen"))
    assert feed.id is not None
    teaser = (Block(BlockKind.PARAGRAPH, "Kurz."),)
    store.save_articles(feed.id, [Article("g", "Hafen", "Kurz.", teaser, url=url)])
    article_id = store.articles(feed.id)[0].id
    try:
        return fetch_full_text(store, article_id, SETTINGS)
    finally:
        assert_store_is_clean(store)


def test_an_entity_bomb_stays_unexpanded(store: Store, server: FeedServer) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    bomb = article_page("<p>&a9;&a9;&a9;</p>").replace(
        b"<!DOCTYPE html>", f"<!DOCTYPE html [{entities}]>".encode()
    )
    url = server.route("/bomb.html", Reply(200, bomb, HTML))
    started = time.perf_counter()
    article = fetch_into_store(store, url)
    assert time.perf_counter() - started < 30  # a generous bound: expanded, it never ends
    assert "Absatz 11" in article.body
    assert "lollollol" not in article.body
    assert len(article.body) < 10_000


@pytest.mark.parametrize("send_length", [True, False])
def test_a_50_mb_page_is_refused_at_the_cap(server: FeedServer, send_length: bool) -> None:
    huge = b"<html><body>" + b"<p>Hafen</p>" * (50 * 1024 * 1024 // 11)
    url = server.route("/huge.html", Reply(200, huge, HTML, send_length=send_length))
    with pytest.raises(PageError, match=r"^the page is larger than 5 MiB$"):
        load_page_now(url, SETTINGS)


def test_a_compressed_50_mb_page_is_refused_at_the_cap(server: FeedServer) -> None:
    bomb = gzip.compress(b"<html><body>" + b" " * (50 * 1024 * 1024), compresslevel=9)
    headers = {**HTML, "Content-Encoding": "gzip"}
    url = server.route("/bomb.html.gz", Reply(200, bomb, headers))
    with pytest.raises(PageError, match=r"^the page is larger than 5 MiB$"):
        load_page_now(url, SETTINGS)


def test_deep_nesting_neither_crashes_nor_hangs(store: Store, server: FeedServer) -> None:
    deep = b"<div>" * 200_000 + b"<p>tief</p>" + b"</div>" * 200_000
    page = article_page().replace(b"</article>", b"</article>" + deep)
    url = server.route("/deep.html", Reply(200, page, HTML))
    article = fetch_into_store(store, url)
    assert "Absatz 0" in article.body
    nested_first = b"<html><body>" + b"<span><div>" * 100_000 + PARAGRAPHS.encode()
    with pytest.raises(PageError):  # the text is below libxml2's depth limit: cut off
        extract_page(nested_first, "https://hafen.example/")


def test_escapes_and_markup_in_text_and_attributes_reach_nobody(
    store: Store, server: FeedServer
) -> None:
    nasty = (
        "<p title='\x1b]8;;file:///etc/passwd\x07'>Alarm \x1b[31mrot\x1b[0m "
        "[bold red]fett[/] [link=file:///etc/passwd]x[/link] \u202egnp.exe\u202c "
        "zero\u200bwidth &#27;[2J &#x9b;1m</p>"
        "<h2>\x07Glocke [@click=app.quit]Ende[/]</h2>"
        "<aside><h2>Mehr zum Thema</h2><ul><li><a href='/a' title='\x1b[2J'>"
        "[red]Titel[/red]\u202e mit Steuerzeichen\x08</a></li></ul></aside>"
    )
    ld = (
        '<script type="application/ld+json">{"@type": "VideoObject", '
        '"name": "\\u001b[31mVideo [b]x[/b]\\u202e", "duration": "PT1M", '
        '"url": "https://hafen.example/v\\u001b"}</script>'
    )
    url = server.route("/nasty.html", Reply(200, article_page(nasty, ld), HTML))
    article = fetch_into_store(store, url)
    body = article.body
    assert "[bold red]fett[/]" in body  # kept as text; only ever drawn as text
    assert "[link=file:///etc/passwd]x[/link]" in body
    assert not contains_control(body, allow_layout=True)
    assert "\u202e" not in body and "\u200b" not in body
    assert [item.title for item in article.related] == ["[red]Titel[/red] mit Steuerzeichen"]
    assert article.labels.related == "Mehr zum Thema"
    assert [item.title for item in article.media] == ["[31mVideo [b]x[/b]"]
    for item in (*article.related, *article.media):
        assert not contains_control(item.title)


def test_javascript_and_file_links_are_dropped(store: Store, server: FeedServer) -> None:
    links = (
        "<p>Siehe <a href='javascript:alert(1)'>hier</a>, <a href='file:///etc/passwd'>da</a>, "
        "<a href=' JAVA\tSCRIPT:alert(1)'>dort</a>, <a href='data:text/html,x'>so</a> und "
        "<a href='/gut'>gut</a>: Der Hafen wächst, und mit ihm wachsen die Sorgen der Anwohner, "
        "die seit Jahren über Lärm, Staub und die Lastwagen in ihren engen Straßen klagen.</p>"
        "<aside><h2>Related</h2><ul><li><a href='javascript:alert(1)'>Böse Geschichte</a></li>"
        "<li><a href='file:///etc/shadow'>Noch eine</a></li>"
        "<li><a href='https://hafen.example/echt'>Echte Geschichte</a></li></ul></aside>"
    )
    ld = (
        '<script type="application/ld+json">{"@type": "AudioObject", "name": "Ton", '
        '"url": "file:///etc/passwd", "contentUrl": "javascript:alert(1)"}</script>'
    )
    url = server.route("/links.html", Reply(200, article_page(links, ld), HTML))
    article = fetch_into_store(store, url)
    assert [link.url for link in article.links] == [server.url("/gut")]
    assert [(item.title, item.url) for item in article.related] == [
        ("Echte Geschichte", "https://hafen.example/echt")
    ]
    assert [(item.title, item.url) for item in article.media] == [("Ton", None)]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", "redirect to a file: URL refused"),
        ("javascript:alert(1)", "redirect to a javascript: URL refused"),
    ],
)
def test_a_redirect_off_the_web_is_refused(
    store: Store, server: FeedServer, location: str, reason: str
) -> None:
    url = server.route("/away.html", Reply(302, b"", {"Location": location}))
    with pytest.raises(PageError, match=f"^{reason}$"):
        fetch_into_store(store, url)
    article = store.article(store.articles()[0].id)
    assert article is not None and article.body == "Kurz."
    assert article.page is not None and article.page.error == reason
    assert article.page.fetched_at <= datetime.now(UTC)
