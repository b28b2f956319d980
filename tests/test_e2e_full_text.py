"""The installed reader in a real pseudo-terminal, on a teaser-only feed served on 127.0.0.1:
the full text comes from the article's web page once, and is there again after a restart.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, rss
from pty_terminal import (
    STARTUP_TIMEOUT,
    STEP_TIMEOUT,
    installed_command,
    reader_environment,
    spawn_reader,
)
from shared_paths import FIXTURES

HEADLINE = "In die Cloud: VW und Amazon gehen Kooperation ein"
TEASER = "VW-Vorstand Herbert Diess hat sich mehrfach mit Amazon-Chef Jeff Bezos getroffen."
FROM_THE_PAGE = "Full text from the web page · 127.0.0.1"
PAGE_TEXT = "Zwei internationale Wirtschaftsriesen"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        page = (FIXTURES / "pages" / "ndr-vw-amazon.html").read_bytes()
        running.route("/vw-amazon.html", Reply(200, page, {"Content-Type": "text/html"}))
        item = {
            "guid": "urn:ndr:vw-amazon",
            "title": HEADLINE,
            "link": running.url("/vw-amazon.html"),
            "description": TEASER,
            "pubDate": "Wed, 27 Mar 2019 19:43:00 GMT",
        }
        running.route("/feed.xml", Reply(200, rss("NDR Niedersachsen", [item])))
        yield running


def test_the_full_text_is_fetched_once_and_there_after_a_restart(
    server: FeedServer, tmp_path: Path
) -> None:
    db = str(tmp_path / "pty.sqlite3")
    added = subprocess.run(
        [str(installed_command()), "--db", db, "add", server.url("/feed.xml")],
        env=reader_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr

    reader = spawn_reader("--db", db)
    try:
        # The teaser-only article opens; its page's text takes the teaser's place.
        reader.wait_for(HEADLINE, timeout=STARTUP_TIMEOUT)
        reader.wait_for(PAGE_TEXT, FROM_THE_PAGE, "Weitere Informationen")
        reader.press("q")
        assert reader.wait_for_exit(STEP_TIMEOUT) == 0
    finally:
        reader.close()
    assert server.hits["/vw-amazon.html"] == 1

    again = spawn_reader("--db", db)
    try:
        screen = again.wait_for(HEADLINE, PAGE_TEXT, FROM_THE_PAGE, timeout=STARTUP_TIMEOUT)
        assert "Fetching" not in screen
        again.press("q")
        assert again.wait_for_exit(STEP_TIMEOUT) == 0
    finally:
        again.close()
    assert server.hits["/vw-amazon.html"] == 1  # served from the store, not fetched again
