"""What the reader sees, pinned as SVG snapshots (regenerate with --snapshot-update)."""

from __future__ import annotations

from typing import Any

from pilot_helpers import SIZE, pane_text, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

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
