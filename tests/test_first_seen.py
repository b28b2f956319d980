"""Items without a date (or with one that cannot be read) are listed by when they were
first seen, marked as such, instead of sinking below a 1999 article for good; and a story
carried by several feeds is listed by its copy with a date and the fuller text.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_cli import Shell

from newsreader.cli import feeds as cli_feeds
from newsreader.feeds.fetch import FetchSettings
from newsreader.store.database import Store
from newsreader.store.rows import register_functions
from newsreader.store.schema import MIGRATIONS, migrate

SETTINGS = FetchSettings(connect_timeout=0.5, timeout=2.0, parse_in="thread", trust_env=False)


def feed_file(folder: Path, name: str, items: str) -> Path:
    path = folder / name
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><language>en</language>{items}</channel></rss>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def newsreader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Shell:
    monkeypatch.setattr(cli_feeds, "fetch_settings", lambda *_: SETTINGS)
    return Shell(tmp_path / "seen.sqlite3", capsys)


def test_an_undated_item_is_listed_by_when_it_was_first_seen(
    newsreader: Shell, tmp_path: Path
) -> None:
    feed = feed_file(
        tmp_path,
        "harbour.rss",
        "<item><title>No date at all</title><guid>a</guid></item>"
        "<item><title>A date nobody can read</title><guid>b</guid>"
        "<pubDate>the day after tomorrow</pubDate></item>"
        "<item><title>Party like it is 1999</title><guid>c</guid>"
        "<pubDate>Fri, 31 Dec 1999 23:00:00 +0000</pubDate></item>",
    )
    newsreader.ok("add", str(feed))
    listed = newsreader.ok("articles", "--json").json()
    assert [item["title"] for item in listed] == [
        "No date at all",
        "A date nobody can read",
        "Party like it is 1999",
    ]
    today = datetime.now(UTC).date().isoformat()
    assert [item["published"] for item in listed[:2]] == [None, None]
    assert all(item["first_seen"].startswith(today[:4]) for item in listed[:2])
    assert listed[2]["first_seen"] is None
    table = newsreader.ok("articles").out.splitlines()
    local_today = datetime.now().astimezone().date().isoformat()
    assert f"~{local_today}" in table[1] and "No date at all" in table[1]
    assert "2000-01-01 00:00" in table[3] and "~" not in table[3]  # midnight in Berlin
    shown = newsreader.ok("show", str(listed[0]["id"]))
    assert f"First seen: {local_today}" in shown.out
    assert newsreader.ok("show", str(listed[0]["id"]), "--json").json()["first_seen"]


def test_the_row_of_a_story_in_two_feeds_shows_the_dated_fuller_copy(
    newsreader: Shell, tmp_path: Path
) -> None:
    link = "https://news.example.org/2024/ferry"
    short = feed_file(
        tmp_path,
        "Aggregator",
        f"<item><title>New ferry</title><guid>x</guid><link>{link}</link>"
        "<description>A ferry.</description></item>",
    )
    full = feed_file(
        tmp_path,
        "Harbour Gazette",
        f"<item><title>New ferry</title><guid>y</guid><link>{link}</link>"
        "<pubDate>Tue, 07 May 2024 06:00:00 +0000</pubDate><description>"
        "The new ferry starts on Monday. It carries 300 people and 40 cars, and it runs "
        "every hour from six in the morning.</description></item>",
    )
    newsreader.ok("add", str(short))
    newsreader.ok("add", str(full))
    listed = newsreader.ok("articles", "--json").json()
    assert len(listed) == 1
    row = listed[0]
    assert row["feed"] == "Harbour Gazette"
    assert row["published"] == "2024-05-07T06:00:00+00:00"
    shown = newsreader.ok("show", str(row["id"]), "--json").json()
    assert "300 people" in shown["body"]
    text = newsreader.ok("articles").out
    assert "Harbour Gazette" in text and "Aggregator" not in text


def test_a_store_from_before_lists_its_undated_articles_by_when_their_feed_was_added(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    before = next(n for n, script in enumerate(MIGRATIONS) if "first_seen" in script)
    connection = sqlite3.connect(path)
    register_functions(connection)
    migrate(connection, target=before)  # the schema just before first_seen
    with connection:
        connection.execute(
            "INSERT INTO feeds (id, source, title, added_at) "
            "VALUES (1, 'local:x', 'X', '2024-05-01T10:00:00+00:00')"
        )
        connection.execute(
            "INSERT INTO articles (feed_id, guid, title, sort_time) "
            "VALUES (1, 'u', 'Undated', NULL)"
        )
        connection.execute(
            "INSERT INTO articles (feed_id, guid, title, published, sort_time) "
            "VALUES (1, 'd', 'Dated 2020', '2020-01-01T00:00:00+00:00', 1577836800)"
        )
    connection.close()
    store = Store(path)
    try:
        listed = store.articles()
    finally:
        store.close()
    assert [(a.title, a.first_seen) for a in listed] == [("Undated", True), ("Dated 2020", False)]
    assert listed[0].published == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
