"""Helpers for driving the app the way a reader does and reading what the screen shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from newsreader.feeds.fetch import FetchSettings
from newsreader.models import Article, Block, BlockKind

SECOND_FEED = Path(__file__).parent / "harbour-gazette.rss"
SIZE = (120, 40)
# Parsing in a thread and ignoring proxy settings keeps refreshes in tests quick and local.
FAST_FETCH = FetchSettings(parse_in="thread", trust_env=False, timeout=10.0)

VW_TITLE = "In die Cloud: VW und Amazon gehen Kooperation ein"
FIRST_RELATED_TITLE = "Vernetzung: Volkswagen übernimmt WirelessCar"
FIRST_RELATED_TEASER_START = "Volkswagen kauft den Mehrheitsanteil"


def screen_text(app: App[Any]) -> str:
    """Every character on the terminal right now, one line per row, as the reader sees it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def pane_text(app: App[Any], selector: str) -> str:
    """The words a pane shows right now, wrapped lines joined, borders left out."""
    widget = app.screen.query_one(selector)
    region = widget.content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right] for row in rows).split())


def pane_rows(app: App[Any], selector: str) -> list[str]:
    """A pane's rows as drawn, borders left out, each stripped; empty rows dropped."""
    widget = app.screen.query_one(selector)
    region = widget.content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [text for row in rows if (text := row[region.x : region.right].strip())]


def footer_text(app: App[Any]) -> str:
    return " ".join(screen_text(app).splitlines()[-1].split())


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Wait (for a generous while) until the condition holds, e.g. a debounced search ran."""
    for _ in range(200):
        await settle(pilot)
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


async def watch_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Like ``wait_until``, for while a worker is meant to keep running (a held refresh)."""
    for _ in range(400):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError(f"never happened: {what}")


def english_story(guid: str, title: str, text: str, day: int, *, teaser: str = "") -> Article:
    """A short English story of May 2024 with one paragraph, for building small stores."""
    return Article(
        guid=guid,
        title=title,
        teaser=teaser,
        blocks=(Block(BlockKind.PARAGRAPH, text),),
        url=f"https://example.org/{guid}",
        language="en",
        published=datetime(2024, 5, day, 9, 0, tzinfo=UTC),
    )
