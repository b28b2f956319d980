"""What the article list can show, and the words that sum up a refresh.

Plain values and functions, kept apart from the widgets so they are easy to test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.ui.labels_en import ENGLISH, Labels

if TYPE_CHECKING:
    from newsreader.feeds.refresh import FeedOutcome
    from newsreader.sync.engine import SyncReport


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """A selection of articles, in the terms of the store's paging methods.

    A saved search's view has its query in ``search`` and its name in ``title``; the store
    lists the articles that match the query, newest first.
    """

    feed_id: int | None = None
    unread_only: bool = False
    starred_only: bool = False
    search: str | None = None
    title: str | None = None


ALL_ARTICLES = ArticleFilter()
ALL_UNREAD = ArticleFilter(unread_only=True)
STARRED = ArticleFilter(starred_only=True)


def empty_notice(view: ArticleFilter, labels: Labels = ENGLISH) -> str:
    """What an empty article list says, so an empty view does not look broken."""
    if view.search is not None:
        return labels.saved_search_empty
    if view.starred_only:
        return labels.nothing_starred
    if view.unread_only:
        return labels.everything_read
    if view.feed_id is not None:
        return labels.feed_empty
    return labels.no_articles_yet


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """A notification: its title, its text and whether something went wrong."""

    title: str
    text: str
    failed: bool


def refresh_report(outcomes: Sequence[FeedOutcome], labels: Labels = ENGLISH) -> RefreshReport:
    """E.g. "12 new in 3 feeds; 1 failed", followed by each failed feed and its reason."""
    from newsreader.feeds.refresh import OutcomeState  # loaded by then: a refresh just ran

    def feeds(count: int) -> str:
        return labels.one_feed if count == 1 else labels.many_feeds.format(count=count)

    new = sum(outcome.new for outcome in outcomes)
    with_new = sum(1 for outcome in outcomes if outcome.new)
    failed = [outcome for outcome in outcomes if outcome.failed]
    skipped = [outcome for outcome in outcomes if outcome.state is OutcomeState.SKIPPED]
    parts = [
        labels.new_in_feeds.format(new=new, feeds=feeds(with_new))
        if new
        else labels.no_new_articles
    ]
    if failed:
        parts.append(labels.failed_count.format(count=len(failed)))
    if skipped:
        parts.append(labels.skipped_count.format(count=len(skipped)))
    lines = ["; ".join(parts)]
    lines += [f"{outcome.feed.title}: {outcome.message}" for outcome in failed]
    title = labels.refreshed_feeds.format(feeds=feeds(len(outcomes)))
    return RefreshReport(title, "\n".join(lines), bool(failed))


def sync_lines(syncs: Sequence[SyncReport], labels: Labels = ENGLISH) -> list[str]:
    """One line per synced account: what came and went, or why it failed."""
    return [
        labels.sync_failed.format(account=sync.account, error=sync.error)
        if sync.error is not None
        else labels.synced.format(account=sync.account, new=sync.new, pushed=sync.pushed)
        for sync in syncs
    ]
