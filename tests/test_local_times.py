"""Times read in the reader's own time zone, in the CLI and the reader alike (``TZ`` counts).

Two stories: one at 07:00 in New York (12:00 UTC), one at 10:00 UTC. The New York one is
the newer and is listed first; each shows the reader's clock time; JSON keeps ISO 8601
with the offset the source gave.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.text.timefmt import format_moment

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Two Cities</title><language>en</language>
<item><title>Morning in London</title><guid>london</guid>
<pubDate>Mon, 15 Jan 2024 10:00:00 +0000</pubDate><description>Fog.</description></item>
<item><title>Morning in New York</title><guid>new-york</guid>
<pubDate>Mon, 15 Jan 2024 07:00:00 -0500</pubDate><description>Snow.</description></item>
</channel></rss>"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    feed = tmp_path / "two-cities.rss"
    feed.write_bytes(FEED)
    path = tmp_path / "times.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(path), "add", str(feed)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return path


def newsreader(db: Path, zone: str, *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TZ": zone},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("zone", "new_york", "london"),
    [
        ("UTC", "2024-01-15 12:00", "2024-01-15 10:00"),
        ("America/New_York", "2024-01-15 07:00", "2024-01-15 05:00"),
        ("Asia/Tokyo", "2024-01-15 21:00", "2024-01-15 19:00"),
    ],
)
def test_the_cli_lists_by_the_instant_in_the_readers_zone(
    db: Path, zone: str, new_york: str, london: str
) -> None:
    rows = newsreader(db, zone, "articles").splitlines()[1:]
    assert "Morning in New York" in rows[0] and new_york in rows[0]
    assert "Morning in London" in rows[1] and london in rows[1]
    listed = json.loads(newsreader(db, zone, "articles", "--json"))
    shown = newsreader(db, zone, "show", str(listed[0]["id"]))
    assert f"Published: {new_york}" in shown


def test_json_keeps_iso_8601_with_the_sources_offset(db: Path) -> None:
    listed = json.loads(newsreader(db, "Asia/Tokyo", "articles", "--json"))
    assert [(item["title"], item["published"]) for item in listed] == [
        ("Morning in New York", "2024-01-15T07:00:00-05:00"),
        ("Morning in London", "2024-01-15T10:00:00+00:00"),
    ]


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_shared_formatting_follows_tz(new_york: None) -> None:
    from datetime import UTC, datetime

    assert format_moment(datetime(2024, 1, 15, 12, 0, tzinfo=UTC)) == "2024-01-15 07:00"
