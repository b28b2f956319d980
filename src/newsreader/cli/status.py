"""What the subscription commands print: the feed list with each feed's last refresh,
what each fetch did, and a progress bar while feeds are fetched.

Feed titles, sources and error messages are feed-derived text: they travel only inside
``rich.text.Text`` objects or columns with markup off, never as console markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC
from typing import Any, TextIO

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsreader.cli.output import iso, make_console
from newsreader.cli.tables import clipped
from newsreader.feeds.fetchstate import FeedState
from newsreader.feeds.refresh import FeedOutcome, OutcomeState, ProgressHook, RefreshProgress
from newsreader.models import FeedSummary
from newsreader.text.sanitize import clean_line

FOLDER_SEPARATOR = " / "


# The feed list.


def _state(states: Mapping[int, FeedState], summary: FeedSummary) -> FeedState:
    feed_id = summary.feed.id or 0
    return states.get(feed_id) or FeedState(feed_id)


def feeds_json(
    feeds: Iterable[FeedSummary], states: Mapping[int, FeedState]
) -> list[dict[str, Any]]:
    """Each subscription with its counts, folder and how its last refresh went."""
    result = []
    for summary in feeds:
        state = _state(states, summary)
        result.append(
            {
                "id": summary.feed.id,
                "title": summary.feed.title,
                "source": summary.feed.source,
                "account": summary.feed.account,
                "group": summary.feed.group,
                "articles": summary.article_count,
                "unread": summary.unread_count,
                "folder": list(state.folder),
                "hidden": summary.feed.hidden,
                "last_checked": iso(state.checked_at),
                "last_state": state.outcome,
                "last_error": state.error,
            }
        )
    return result


# The narrowest the clipped columns get before a feed's address gives way itself.
_TITLE_MIN = 10
_OTHER_MIN = 10


def feeds_table(
    feeds: Sequence[FeedSummary], states: Mapping[int, FeedState], width: int | None = None
) -> Table:
    """Folder and last-error columns appear only when some feed has one, to save width.

    Within ``width`` the address stays whole as long as the other columns keep a few
    letters each; beyond that it ends in "…" too, but it never wraps.
    """
    rows = [(summary, _state(states, summary)) for summary in feeds]
    with_folders = any(state.folder or summary.feed.group for summary, state in rows)
    with_errors = any(state.error for _, state in rows)
    with_accounts = any(summary.feed.account for summary, _ in rows)
    source_width: int | None = None
    if width is not None:
        id_width = max((len(str(summary.feed.id)) for summary in feeds), default=2)
        reserved = max(id_width, 2) + len("ARTICLES") + len("UNREAD") + _TITLE_MIN + 2 * 4
        reserved += (_OTHER_MIN + 2) * (with_folders + with_errors + with_accounts)
        source_width = max(_OTHER_MIN, width - reserved)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("ID", justify="right", no_wrap=True)
    # Titles, folders and errors give way, clipped with "…"; the address never wraps.
    table.add_column("TITLE", min_width=_TITLE_MIN)
    if with_folders:
        table.add_column("FOLDER", max_width=30)
    table.add_column("ARTICLES", justify="right", no_wrap=True)
    table.add_column("UNREAD", justify="right", no_wrap=True)
    table.add_column("SOURCE", no_wrap=True, overflow="ellipsis", max_width=source_width)
    if with_accounts:
        table.add_column("LIVES ON", max_width=30)
    if with_errors:
        table.add_column("LAST ERROR", style="red")
    for summary, state in rows:
        cells = [Text(str(summary.feed.id)), clipped(summary.feed.title)]
        if with_folders:
            folder = state.folder or ((summary.feed.group,) if summary.feed.group else ())
            cells.append(clipped(FOLDER_SEPARATOR.join(folder)))
        cells += [
            Text(str(summary.article_count)),
            Text(str(summary.unread_count)),
            Text(summary.feed.source),
        ]
        if with_accounts:
            where = summary.feed.account
            cells.append(clipped(f"{where} (synced)" if where else "here (local)"))
        if with_errors:
            cells.append(clipped(state.error or ""))
        table.add_row(*cells)
    return table


# What a fetch did, for people and for scripts.


def outcome_result(outcome: FeedOutcome) -> str:
    """What happened to one feed, in a few words: counts, "not modified", or why it failed."""
    if outcome.state is OutcomeState.SKIPPED and outcome.retry_at is not None:
        until = outcome.retry_at.astimezone(UTC)
        return f"skipped until {until:%Y-%m-%d %H:%M} UTC (the server asked to wait)"
    return outcome.summary


def outcome_line(outcome: FeedOutcome, *, with_id: bool = False) -> Text:
    """``Title: what happened``; the title is feed text, so it goes in as plain text."""
    line = Text.assemble((outcome.feed.title, "bold"), ": ")
    line.append(outcome_result(outcome), style="red" if outcome.failed else "")
    if with_id and outcome.feed.id is not None:
        line.append(f" (feed {outcome.feed.id})")
    return line


def outcomes_json(outcomes: Iterable[FeedOutcome]) -> list[dict[str, Any]]:
    """The ``refresh --json`` shape the README documents."""
    return [
        {
            "id": outcome.feed.id,
            "title": outcome.feed.title,
            "source": outcome.feed.source,
            "state": outcome.state.value,
            "new": outcome.new,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "message": outcome.message,
            "retry_at": iso(outcome.retry_at),
        }
        for outcome in outcomes
    ]


@contextmanager
def progress_bar(file: TextIO, total: int, *, show: bool = True) -> Iterator[ProgressHook | None]:
    """A bar on ``file`` (stderr) while feeds are fetched; none when it is not a terminal."""
    console = make_console(file)
    # A real terminal only: FORCE_COLOR alone does not draw a bar into a log file.
    if not show or total < 1 or not file.isatty() or not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("Fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        # The last feed done: feed text, so never read as markup.
        TextColumn("{task.description}", markup=False),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)

        def advance(event: RefreshProgress) -> None:
            title = clean_line(event.outcome.feed.title, limit=60)
            progress.update(task, completed=event.done, description=title)

        yield advance
