"""What the reader sees, pinned as SVG snapshots (regenerate with --snapshot-update)."""

from __future__ import annotations

from typing import Any

from pilot_helpers import SECOND_FEED, SIZE, pane_text, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

from newsreader.feeds.fetchstate import set_folder
from newsreader.feeds.subscriptions import import_feed_file
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp


async def wait_for_the_story(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await wait_until(
        pilot,
        lambda: "Stand: 27.03.2019" in pane_text(pilot.app, "#article-view"),
        "the bundled story is shown",
    )
    # Shown at start but not opened, it stays unread: the list shows its mark.
    await wait_until(
        pilot,
        lambda: "● In die Cloud" in pane_text(pilot.app, "#article-list"),
        "the story is listed as unread",
    )


def test_main_screen(snap_compare: Any, seeded_store: Store) -> None:
    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=SIZE, run_before=wait_for_the_story
    )


async def search_for_bezos(pilot: Pilot[Any]) -> None:
    await wait_for_the_story(pilot)
    await pilot.press("slash", *"Bezos")
    pilot.app.screen.query_one(Input).cursor_blink = False  # a still cursor, for a stable image
    await wait_until(
        pilot,
        lambda: "1 match" in pane_text(pilot.app, "#search-status"),
        "the hit for Bezos is listed",
    )


def test_search_screen_with_results(snap_compare: Any, seeded_store: Store) -> None:
    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=SIZE, run_before=search_for_bezos
    )


def test_main_screen_at_80_by_24(snap_compare: Any, seeded_store: Store) -> None:
    """The sidebar gives way; the article keeps its width; help and quit stay in the footer."""
    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=(80, 24), run_before=wait_for_the_story
    )


def test_main_screen_at_60_by_20(snap_compare: Any, seeded_store: Store) -> None:
    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=(60, 20), run_before=wait_for_the_story
    )


async def read_at_60_by_20(pilot: Pilot[Any]) -> None:
    await wait_for_the_story(pilot)
    await pilot.press("tab")  # the article: the list makes way
    await settle(pilot)


def test_the_article_at_60_by_20(snap_compare: Any, seeded_store: Store) -> None:
    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=(60, 20), run_before=read_at_60_by_20
    )


async def zoom_the_list(pilot: Pilot[Any]) -> None:
    await wait_for_the_story(pilot)
    await pilot.press("z")
    await settle(pilot)


def test_the_zoomed_list(snap_compare: Any, seeded_store: Store) -> None:
    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=(150, 30), run_before=zoom_the_list
    )


def test_the_feed_list_with_a_folder(snap_compare: Any, seeded_store: Store) -> None:
    harbour = import_feed_file(seeded_store, SECOND_FEED).feed
    assert harbour.id is not None
    set_folder(seeded_store, harbour.id, ("Local", "Coast"))

    async def folders_shown(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await wait_until(
            pilot, lambda: "Local / Coast" in pane_text(pilot.app, "#feed-list"), "the folder"
        )
        await wait_until(
            pilot, lambda: "Ada Marsh" in pane_text(pilot.app, "#article-view"), "the article"
        )

    assert snap_compare(
        NewsreaderApp(store=seeded_store), terminal_size=SIZE, run_before=folders_shown
    )
