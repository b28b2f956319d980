"""Against newsboat itself: a cache it makes now, its unread count and its own filters."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from httpserver import FeedServer, Reply, http_date, numbered_items, rss

from newsreader.feeds.newsboat_cache import read_cache
from newsreader.feeds.newsboat_filter import translate
from newsreader.feeds.newsboat_import import import_newsboat
from newsreader.feeds.newsboat_urls import parse_urls
from newsreader.store.database import Store
from newsreader.store.search_plan import query_clause

pytestmark = pytest.mark.servers

CONFIG = "auto-reload no\nmax-items 0\n"


@dataclass
class Newsboat:
    home: Path
    urls: Path
    cache: Path

    def run(self, *args: str, config: str = CONFIG, cache: Path | None = None) -> str:
        (self.home / "config").write_text(config)
        command = [
            "newsboat", "-u", str(self.urls), "-c", str(cache or self.cache),
            "-C", str(self.home / "config"), *args,
        ]  # fmt: skip
        env = {"HOME": str(self.home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture
def newsboat(tmp_path: Path) -> Iterator[Newsboat]:
    if shutil.which("newsboat") is None:
        pytest.fail("newsboat is not installed (scripts/install-system-packages installs it)")
    items = numbered_items(30, "Harbour")
    now = datetime.now(UTC)
    for number, item in enumerate(items):  # from today back over three years
        item["pubDate"] = http_date(now - timedelta(days=number * 40, hours=12))
    items[3]["title"] = "Ferry timetable changes"
    items[7]["title"] = "The ferry is late again"
    with FeedServer() as server:
        one = server.route("/one.rss", Reply(200, rss("One", items[:20])))
        two = server.route("/two.rss", Reply(200, rss("Two", items[20:])))
        urls = tmp_path / "urls"
        urls.write_text(f"{one} news\n{two} other\n")
        boat = Newsboat(tmp_path, urls, tmp_path / "cache.db")
        boat.run("-x", "reload")
        yield boat


def test_our_unread_count_is_newsboats_after_reading_some(newsboat: Newsboat, store: Store) -> None:
    with sqlite3.connect(newsboat.cache) as db:
        db.execute("UPDATE rss_item SET unread = 0 WHERE id % 3 = 0")
        db.execute("UPDATE rss_item SET deleted = 1, unread = 0 WHERE id % 7 = 0")
    db.close()
    printed = newsboat.run("-x", "print-unread")
    unread = int(printed.split()[0])
    import_newsboat(store, parse_urls(newsboat.urls.read_text()), read_cache(newsboat.cache))
    assert store.count_articles(unread_only=True) == unread


@pytest.mark.parametrize(
    "expression",
    [
        'title =~ "ferry"',
        "age > 400",
        "age < 400",
        "age between 100:500",
        'title =~ "ferry" or title =~ "story"',
    ],
)
def test_our_translation_finds_what_newsboats_filter_drops(
    newsboat: Newsboat, store: Store, expression: str
) -> None:
    # ignore-article drops at download time exactly the articles the expression matches.
    quoted = expression.replace('"', '\\"')
    filtered = newsboat.home / "filtered.db"
    newsboat.run("-x", "reload", config=CONFIG + f'ignore-article "*" "{quoted}"\n', cache=filtered)
    every = {r[0] for r in sqlite3.connect(newsboat.cache).execute("SELECT guid FROM rss_item")}
    kept = {r[0] for r in sqlite3.connect(filtered).execute("SELECT guid FROM rss_item")}
    import_newsboat(store, parse_urls(newsboat.urls.read_text()), read_cache(newsboat.cache))
    query = translate(expression).query
    assert query is not None
    clause, params = query_clause(query)
    ours = {
        r[0]
        for r in store.connection().execute(f"SELECT guid FROM articles WHERE {clause}", params)
    }
    assert ours == every - kept
    assert ours  # the expression is worth testing


def test_titles_and_urls_are_read_as_newsboat_reads_them(tmp_path: Path) -> None:
    # newsboat's OPML export lists each feed's URL and the title its urls line gives it.
    urls = tmp_path / "urls"
    urls.write_text(
        'https://a.example/x "~First" "~Second" news\n'
        '"https://b.example/y?q=1#f" tag "~A \\"quoted\\" title"   # comment "~Not"\n'
        "\thttps://c.example/z\t~Tabbed\t!\n"
        'https://d.example/"glued"x "~Glued"\n'
    )
    boat = Newsboat(tmp_path, urls, tmp_path / "cache.db")
    exported = ElementTree.fromstring(boat.run("-e"))
    theirs = [
        (outline.get("xmlUrl"), outline.get("title") or None)
        for outline in exported.iter("outline")
    ]
    ours = [(feed.url, feed.title) for feed in parse_urls(urls.read_text()).feeds]
    assert ours == theirs
    assert ("https://a.example/x", "First") in ours
