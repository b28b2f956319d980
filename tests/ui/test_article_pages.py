"""The bookkeeping behind the article list: the reader's flags win over pages read earlier."""

from __future__ import annotations

from datetime import UTC, datetime

from newsreader.models import ArticleSummary
from newsreader.ui.widgets.article_pages import ArticlePages, StateChange


def summary(article_id: int, *, read: bool = False) -> ArticleSummary:
    return ArticleSummary(
        id=article_id,
        feed_id=1,
        feed_title="Harbour Gazette",
        title=f"Story {article_id}",
        published=datetime(2026, 1, 1, tzinfo=UTC),
        read=read,
    )


def test_a_page_read_before_the_flag_was_stored_shows_the_readers_flag() -> None:
    # The reader opened story 1 in one view; the next view's first page was read from the
    # store before the write landed, so it still says unread.
    wishes = {1: StateChange(read=True)}
    pages = ArticlePages(2, wishes=wishes)
    pages.add(0, [summary(1), summary(2)])
    assert pages.summary(1) == summary(1, read=True)
    assert pages.summary(2) == summary(2)


def test_flags_changed_in_this_view_win_over_older_wishes() -> None:
    wishes = {1: StateChange(read=True, starred=True)}
    pages = ArticlePages(1, {1: StateChange(read=False)}, wishes)
    pages.add(0, [summary(1, read=True)])
    shown = pages.summary(1)
    assert shown is not None and shown.read is False


def test_without_wishes_a_page_shows_what_the_store_said() -> None:
    pages = ArticlePages(1)
    pages.add(0, [summary(1, read=True)])
    assert pages.summary(1) == summary(1, read=True)
