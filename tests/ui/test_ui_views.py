"""The words a refresh is summed up in, and the marks on an article's row."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from rich.console import Console
from rich.text import Text

from newsreader.feeds.refresh import FeedOutcome, OutcomeState
from newsreader.models import ArticleSummary, Feed
from newsreader.ui.render import Palette, feed_row, list_row
from newsreader.ui.views import refresh_report


def outcome(title: str, state: OutcomeState, new: int = 0, message: str = "") -> FeedOutcome:
    return FeedOutcome(Feed(source=f"/feeds/{title}", title=title), state, new=new, message=message)


def test_a_refresh_is_summed_up_in_one_line_with_each_failure_below() -> None:
    report = refresh_report(
        [
            outcome("Alpha", OutcomeState.FETCHED, new=10),
            outcome("Beta", OutcomeState.FETCHED, new=2),
            outcome("Gamma", OutcomeState.NOT_MODIFIED),
            outcome("Delta", OutcomeState.FETCHED, new=0),
            outcome("Zulu", OutcomeState.FAILED, message="HTTP 404 Not Found"),
        ]
    )
    assert report.title == "Refreshed 5 feeds"
    assert report.text == "12 new in 2 feeds; 1 failed\nZulu: HTTP 404 Not Found"
    assert report.failed


def test_a_quiet_refresh_says_so() -> None:
    report = refresh_report(
        [
            outcome("Alpha", OutcomeState.SAME_CONTENT),
            outcome("Beta", OutcomeState.SKIPPED, message="the server asked to wait"),
        ]
    )
    assert report.text == "No new articles; 1 skipped"
    assert not report.failed
    assert refresh_report([outcome("Alpha", OutcomeState.FETCHED, new=1)]).text == (
        "1 new in 1 feed"
    )


def test_an_article_row_shows_unread_and_star_marks_side_by_side() -> None:
    summary = ArticleSummary(
        id=1,
        feed_id=1,
        feed_title="Harbour Gazette",
        title="Ferry\ntimetable",
        published=datetime(2020, 6, 1, tzinfo=UTC),
    )
    assert list_row(summary, Palette()).plain.startswith("●  Ferry timetable  Harbour Gazette")
    starred = replace(summary, read=True, starred=True)
    assert list_row(starred, Palette()).plain.startswith(" ★ Ferry timetable")


def test_a_feed_title_is_text_and_never_markup() -> None:
    console = Console(width=30, record=True, color_system=None)
    console.print(feed_row("[bold]Evil[/bold] :smile:", Text("3"), failed=True, palette=Palette()))
    drawn = console.export_text()
    assert drawn.startswith("! [bold]Evil[/bold] :smile:")
    assert drawn.rstrip().endswith("3")
