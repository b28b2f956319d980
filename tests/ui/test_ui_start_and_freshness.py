"""Starting the reader changes nothing, and what another process writes shows up.

A reader starts the reader and quits at once: the article shown at start is still unread.
A cron job or another shell writes the store meanwhile: after ``r``, or on choosing a view,
the rows match the counts and the feed list shows the new feeds.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from httpserver import numbered_items, rss
from pilot_helpers import (
    FAST_FETCH,
    SECOND_FEED,
    SIZE,
    VW_TITLE,
    pane_rows,
    pane_text,
    wait_until,
)

from newsreader.feeds.subscriptions import ensure_bundled_feed, import_feed_file
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.feeds_column import FeedsColumn

LIGHTHOUSE = "Lighthouse keeper"  # the titles as the narrow list shows them
FERRY = "Ferry timetable"


def unread_titles(store: Store) -> set[str]:
    return {summary.title for summary in store.articles() if not summary.read}


def listed(app: NewsreaderApp) -> str:
    """The article list's rows, runs of spaces as one."""
    return " ".join(" ".join(pane_rows(app, "#article-list")).split())


async def test_starting_and_quitting_leaves_the_shown_article_unread(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: "Stand: 27.03.2019" in pane_text(app, "#article-view"), "story shown"
        )
        assert "● In die Cloud" in listed(app)  # shown, and still marked unread
        assert "All unread 1" in pane_text(app, "#feed-list")
        await pilot.press("q")
    assert unread_titles(seeded_store) == {VW_TITLE}


async def test_opening_the_shown_article_marks_it_read(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "In die Cloud" in listed(app), "story listed")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not unread_titles(seeded_store), "marked read")
        assert "● In die Cloud" not in listed(app)


async def test_a_future_dated_article_at_the_top_stays_unread_start_after_start(
    seeded_store: Store,
) -> None:
    feed = seeded_store.add_feed(Feed(source="file:///future.rss", title="Future"))
    assert feed.id is not None
    article = Article(
        guid="future",
        title="A story dated next century",
        blocks=(Block(BlockKind.PARAGRAPH, "From the future."),),
        language="en",
        published=datetime(2099, 1, 1, tzinfo=UTC),
    )
    seeded_store.save_articles(feed.id, [article])
    for _ in range(2):
        app = NewsreaderApp(store=seeded_store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(
                pilot, lambda: "From the future" in pane_text(pilot.app, "#article-view"), "shown"
            )
            assert listed(app).startswith("● A story dated next")
        assert "A story dated next century" in unread_titles(seeded_store)


async def test_r_lists_what_another_process_added_meanwhile(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "In die Cloud" in listed(app), "story listed")
        # Another process (a second connection to the same file) subscribes meanwhile.
        other = Store(seeded_store.path)
        import_feed_file(other, SECOND_FEED)
        other.close()
        await pilot.press("r")
        await wait_until(
            pilot, lambda: not app.screen.query_one(FeedsColumn).refreshing, "refresh done"
        )
        await wait_until(pilot, lambda: LIGHTHOUSE in listed(app), "the new rows listed")
        assert FERRY in listed(app)
        assert "Harbour Gazette" in pane_text(app, "#feed-list")
        assert "All articles 3" in pane_text(app, "#feed-list")
        assert len(pane_rows(app, "#article-list")) == 3


async def test_choosing_the_view_again_lists_what_a_real_add_command_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reader.sqlite3"
    store = Store(path)
    ensure_bundled_feed(store)
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "In die Cloud" in listed(app), "story listed")
        done = subprocess.run(
            [sys.executable, "-m", "newsreader", "--db", str(path), "add", str(SECOND_FEED)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        # Feeds pane, "All articles" is highlighted; enter chooses it again.
        await pilot.press("shift+tab", "home", "enter")
        await wait_until(pilot, lambda: LIGHTHOUSE in listed(app), "the new rows listed")
        assert len(pane_rows(app, "#article-list")) == 3
        assert "Harbour Gazette 2" in pane_text(app, "#feed-list")
    store.close()


async def test_r_after_a_refresh_in_another_shell_lists_the_new_rows(
    seeded_store: Store, tmp_path: Path
) -> None:
    harbour = tmp_path / "harbour.rss"
    harbour.write_bytes(rss("Harbour News", numbered_items(1, "Harbour")))
    import_feed_file(seeded_store, harbour)
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Harbour 0" in listed(app), "the first story listed")
        # A scheduled refresh in another shell stores two more stories.
        harbour.write_bytes(rss("Harbour News", numbered_items(3, "Harbour")))
        done = subprocess.run(
            [sys.executable, "-m", "newsreader", "--db", str(seeded_store.path), "refresh"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        # The reader's own refresh finds nothing new: the file is as the store has it.
        await pilot.press("r")
        await wait_until(
            pilot, lambda: not app.screen.query_one(FeedsColumn).refreshing, "refresh done"
        )
        await wait_until(pilot, lambda: "Harbour 2" in listed(app), "the new rows listed")
        assert "Harbour 1" in listed(app)
        assert "All articles 4" in pane_text(app, "#feed-list")
        assert len(pane_rows(app, "#article-list")) == 4
