"""Feeds filed in folders (by an OPML import) show as groups in the feed list, with counts;
enter on a folder shuts it and opens it again."""

from __future__ import annotations

from pilot_helpers import SECOND_FEED, SIZE, english_story, pane_rows, settle, wait_until

from newsreader.feeds.fetchstate import set_folder
from newsreader.feeds.subscriptions import import_feed_file
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.feed_folders import FeedEntry, FolderEntry, feed_entries
from newsreader.ui.widgets.feed_list import FeedList


def rows(app: NewsreaderApp) -> list[str]:
    return [" ".join(row.split()) for row in pane_rows(app, "#feed-list")]


def test_loose_feeds_come_first_then_each_folder_with_its_feeds() -> None:
    entries = feed_entries([1, 2, 3], {2: ("News",), 3: ("News",)}, set())
    assert entries == [
        FeedEntry(1, in_folder=False),
        FolderEntry("News", (2, 3), collapsed=False),
        FeedEntry(2, in_folder=True),
        FeedEntry(3, in_folder=True),
    ]
    assert feed_entries([2], {2: ("News", "Regional")}, {"News / Regional"}) == [
        FolderEntry("News / Regional", (2,), collapsed=True)
    ]


async def test_folders_group_their_feeds_with_counts_and_enter_shuts_them(
    seeded_store: Store,
) -> None:
    harbour = import_feed_file(seeded_store, SECOND_FEED).feed
    valley = seeded_store.add_feed(Feed(source="local:valley", title="Valley Post", language="en"))
    assert harbour.id is not None and valley.id is not None
    seeded_store.save_articles(valley.id, [english_story("bridge", "New bridge", "Opens.", 4)])
    set_folder(seeded_store, harbour.id, ("Local",))
    set_folder(seeded_store, valley.id, ("Local",))
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "▾ Local 3" in rows(app), "the folder is listed")
        listed = rows(app)
        assert listed[-3:] == ["▾ Local 3", "Harbour Gazette 2", "Valley Post 1"]
        assert listed[-4] == "NDR Niedersachsen 1"  # outside any folder, first

        feed_list = app.screen.query_one(FeedList)
        await pilot.press("shift+tab", "end")  # the last feed
        await pilot.press("up", "up")  # the folder's heading
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert rows(app)[-1] == "▸ Local 3"
        assert "Valley Post 1" not in rows(app)
        assert feed_list.highlighted_option is not None
        await pilot.press("enter")
        await settle(pilot)
        assert rows(app)[-3:] == ["▾ Local 3", "Harbour Gazette 2", "Valley Post 1"]
