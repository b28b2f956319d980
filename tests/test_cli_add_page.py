"""``newsreader add`` given a web page's address, or an address without its scheme.

The page names its feeds (``<link rel="alternate">``): the only one is subscribed to, and
several are listed to choose from. Pages are served on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, numbered_items, rss
from test_cli import Shell

from newsreader.cli import feeds as cli_feeds
from newsreader.feeds.discover import feed_links
from newsreader.feeds.fetch import FetchSettings

SETTINGS = FetchSettings(connect_timeout=0.5, timeout=2.0, parse_in="thread", trust_env=False)


def page(*links: str) -> bytes:
    head = "".join(links)
    return (
        "<!DOCTYPE html>\n<html><head><title>Harbour Gazette</title>"
        f'<meta charset="utf-8">{head}</head>'
        "<body><p>Welcome<br></p><div><span>unclosed</div></body></html>"
    ).encode()


@pytest.fixture(autouse=True)
def parse_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_feeds, "fetch_settings", lambda *_: SETTINGS)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def newsreader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(tmp_path / "cli.sqlite3", capsys)


def test_a_page_with_one_feed_subscribes_to_that_feed(
    newsreader: Shell, server: FeedServer
) -> None:
    feed = server.route("/feeds/news.xml", Reply(body=rss("Harbour Gazette", numbered_items(3))))
    home = server.route(
        "/",
        Reply(
            body=page('<link rel="alternate" type="application/rss+xml" href="/feeds/news.xml">'),
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
    )
    run = newsreader("add", home)
    assert run.code == 0, run.err
    assert f"its feed is {feed}" in run.out
    assert "Harbour Gazette" in run.out and "3 new" in run.out
    feeds = newsreader.ok("feeds", "--json").json()
    assert [entry["source"] for entry in feeds] == [feed]


def test_a_page_with_several_feeds_lists_them_and_subscribes_to_none(
    newsreader: Shell, server: FeedServer
) -> None:
    home = server.route(
        "/",
        Reply(
            body=page(
                '<link rel="alternate" type="application/rss+xml" title="All news"'
                ' href="/all.rss">',
                "<link rel='alternate' type='application/atom+xml' title='Sport' href='/sport'>",
                '<link rel="alternate" type="text/html" href="/en/">',
                '<link rel="stylesheet" type="text/css" href="/style.css">',
                '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">',
            )
        ),
    )
    run = newsreader("add", home)
    assert run.code == 1
    assert "offers 2 feeds; add one of them" in run.err
    assert f"newsreader add {server.url('/all.rss')}  (All news)" in run.err
    assert f"newsreader add {server.url('/sport')}  (Sport)" in run.err
    assert "javascript" not in run.err and "style.css" not in run.err
    assert [feed["source"] for feed in newsreader.ok("feeds", "--json").json()] == [
        "bundled:ndr-niedersachsen.atom"
    ]


def test_a_page_without_feeds_says_so_without_parser_internals(
    newsreader: Shell, server: FeedServer
) -> None:
    home = server.route("/about", Reply(body=page()))
    run = newsreader("add", home)
    assert run.code == 1
    assert run.err.strip() == f"newsreader: error: {home}: a web page that names no feed"


def test_broken_xml_is_described_by_line_and_column_not_by_the_parser(
    newsreader: Shell, server: FeedServer
) -> None:
    broken = server.route("/broken.xml", Reply(body=b'<?xml version="1.0"?>\n<rss><x></rss>'))
    run = newsreader("add", broken)
    assert run.code == 1
    assert "<unknown>" not in run.err
    assert "not a readable RSS or Atom feed (line 2, column" in run.err
    assert "mismatched tag" in run.err


def test_an_address_without_a_scheme_asks_if_https_was_meant(newsreader: Shell) -> None:
    run = newsreader("add", "example.org/feed.xml")
    assert run.code == 2
    assert run.err.strip() == (
        "newsreader: error: example.org/feed.xml: no such file; "
        "did you mean https://example.org/feed.xml?"
    )
    run = newsreader("add", "missing-feed.xml")
    assert "did you mean" not in run.err


def test_an_existing_file_named_like_an_address_is_read_as_the_file(
    newsreader: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "example.org"
    folder.mkdir()
    (folder / "feed.xml").write_bytes(rss("Local copy", numbered_items(1)))
    monkeypatch.chdir(tmp_path)
    run = newsreader("add", "example.org/feed.xml")
    assert run.code == 0, run.err
    assert "Local copy" in run.out


def test_feed_links_resolve_against_the_page_and_keep_each_address_once() -> None:
    links = feed_links(
        page(
            '<LINK REL="Alternate Feed" TYPE="application/atom+xml" HREF="a.xml"'
            ' title="A &amp; B">',
            '<link rel="alternate" type="application/rss+xml" href="https://ex.org/x/a.xml">',
        ),
        "https://ex.org/x/",
    )
    assert [(link.url, link.title) for link in links] == [("https://ex.org/x/a.xml", "A & B")]
    assert json.dumps([link.url for link in links])
