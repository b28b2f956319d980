"""Refreshing subscriptions: fetch, parse and store every feed concurrently.

Network I/O runs on the event loop; parsing (CPU-heavy feedparser work) runs in worker
processes or a thread, and store writes run in a thread, one short transaction per step,
so an event loop that also draws a UI never stalls. Each feed ends in a ``FeedOutcome``
that says what happened in words a user can read.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from newsreader.feeds import entries, fetchstate
from newsreader.feeds.bundled import BUNDLED_SOURCE, bundled_feed_path
from newsreader.feeds.feedfile import FeedError, read_feed_file
from newsreader.feeds.fetch import Fetcher, FetchError, FetchResult, FetchSettings, Validators
from newsreader.feeds.fetchstate import FeedState
from newsreader.feeds.parsers import ParserPool
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.store.grouped_writes import GroupedWrites
from newsreader.store.prepare import PreparedArticle
from newsreader.store.saving import SaveResult
from newsreader.text.sanitize import clean_line, clean_url, openable_url

SourceKind = Literal["url", "file", "bundled", "unsupported"]


class OutcomeState(StrEnum):
    """How one feed's refresh ended."""

    FETCHED = "fetched"  # parsed and stored; the counts say what changed
    NOT_MODIFIED = "not_modified"  # 304: nothing downloaded, nothing parsed
    SAME_CONTENT = "same_content"  # the body is byte-identical to the last: not parsed
    SKIPPED = "skipped"  # not requested at all (the server asked us to wait)
    FAILED = "failed"  # see ``message``


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """The summary of one feed's refresh; ``message`` is a sanitised line (reason or warning)."""

    feed: Feed
    state: OutcomeState
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    message: str = ""
    retry_at: datetime | None = None

    @property
    def failed(self) -> bool:
        return self.state is OutcomeState.FAILED

    @property
    def summary(self) -> str:
        """One line for a progress list or the CLI."""
        match self.state:
            case OutcomeState.FETCHED:
                text = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged"
                return f"{text} ({self.message})" if self.message else text
            case OutcomeState.NOT_MODIFIED:
                return "not modified"
            case OutcomeState.SAME_CONTENT:
                return "unchanged (same content)"
            case OutcomeState.SKIPPED:
                return f"skipped: {self.message}"
            case OutcomeState.FAILED:
                return f"failed: {self.message}"


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Passed to the progress hook each time a feed finishes."""

    outcome: FeedOutcome
    done: int
    total: int


ProgressHook = Callable[[RefreshProgress], None]


def source_kind(source: str) -> SourceKind:
    """What a subscription's ``source`` names: a URL, a local file or the bundled feed."""
    if source == BUNDLED_SOURCE:
        return "bundled"
    if openable_url(source):
        return "url"
    scheme, colon, _ = source.partition(":")
    if colon and len(scheme) > 1 and scheme.isascii() and scheme.replace("+", "").isalnum():
        return "unsupported"  # ftp:, file:, javascript: and friends
    return "file"


def normalise_source(source: str) -> str:
    """The form a source is stored under: a clean URL, or an absolute local path."""
    text = source.strip()
    kind = source_kind(text)
    if kind == "url":
        return clean_url(text) or text
    if kind == "file":
        return str(Path(text).expanduser().resolve())
    return text


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


class _Run:
    """One refresh: a shared HTTP client, parser pool and store lock for all its feeds."""

    def __init__(self, store: Store, settings: FetchSettings) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = Fetcher(settings)
        self.parsers = ParserPool(settings)
        # Store work runs in one thread, in order (SQLite has one writer anyway), and the
        # writes that wait meanwhile share a commit.
        self.db = GroupedWrites(store)
        self.states: dict[int, FeedState] = {}

    async def aclose(self) -> None:
        try:
            await self.fetcher.aclose()
        finally:
            try:
                await self.parsers.aclose()
            finally:
                await self.db.aclose()

    async def run(self, feeds: Sequence[Feed], progress: ProgressHook | None) -> list[FeedOutcome]:
        self.states = await self.db(fetchstate.feed_states, self.store)
        if any(self._never_parsed(feed) for feed in feeds):
            self.parsers.start()  # a feed that is new here will need parsing
        total = len(feeds)
        done = 0

        async def one(feed: Feed) -> FeedOutcome:
            nonlocal done
            outcome = await self.refresh_one(feed)
            done += 1
            if progress is not None:
                progress(RefreshProgress(outcome, done, total))
            return outcome

        tasks = [asyncio.create_task(one(feed)) for feed in feeds]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    def _never_parsed(self, feed: Feed) -> bool:
        state = self.states.get(feed.id or 0)
        return state is None or state.body_sha256 is None

    async def refresh_one(self, feed: Feed) -> FeedOutcome:
        try:
            return await self._refresh_one(feed)
        except sqlite3.Error as error:
            message = clean_line(f"the store could not be written: {error}", limit=300)
            return FeedOutcome(feed, OutcomeState.FAILED, message=message)

    async def _refresh_one(self, feed: Feed) -> FeedOutcome:
        now = datetime.now(UTC)
        state = self.states.get(feed.id or 0) or FeedState(feed.id or 0)
        if state.retry_at is not None and state.retry_at > now:
            return FeedOutcome(
                feed,
                OutcomeState.SKIPPED,
                message=f"the server asked to wait until {_when(state.retry_at)}",
                retry_at=state.retry_at,
            )
        try:
            fetched = await self.read(feed.source, state.validators)
        except (FetchError, FeedError) as error:
            retry_at = error.retry_at if isinstance(error, FetchError) else None
            return await self.failed(feed, str(error), retry_at, now)
        if fetched.not_modified:
            if feed.id is not None:
                await self.db(self._record_not_modified, feed.id, fetched.validators, now)
            return FeedOutcome(feed, OutcomeState.NOT_MODIFIED)
        digest = hashlib.sha256(fetched.body).hexdigest()
        if feed.id is not None and digest == state.body_sha256:
            await self.db(self._record_same, feed.id, fetched.validators, digest, now)
            return FeedOutcome(feed, OutcomeState.SAME_CONTENT)
        try:
            parsed, prepared = await self.parsers.parse(fetched.body, feed.source)
        except FeedError as error:
            return await self.failed(feed, str(error), None, now)
        except Exception as error:  # a crashed worker or a parser bug: this feed fails alone
            reason = f"the feed could not be parsed ({type(error).__name__})"
            return await self.failed(feed, reason, None, now)
        return await self.db(self._save, feed, parsed, prepared, fetched.validators, digest, now)

    async def read(self, source: str, validators: Validators) -> FetchResult:
        kind = source_kind(source)
        if kind == "url":
            return await self.fetcher.fetch(source, validators)
        if kind == "unsupported":
            raise FetchError(f"{clean_line(source, limit=200)}: only http and https URLs work")
        path = bundled_feed_path() if kind == "bundled" else Path(source)
        body = await asyncio.to_thread(read_feed_file, path)
        return FetchResult(source, 200, body)

    async def failed(
        self, feed: Feed, reason: str, retry_at: datetime | None, now: datetime
    ) -> FeedOutcome:
        message = clean_line(reason, limit=300)
        if retry_at is not None:
            message = f"{message}; the next try waits until {_when(retry_at)}"
        if feed.id is not None:
            await self.db(self._record_failure, feed.id, message, retry_at, now)
        return FeedOutcome(feed, OutcomeState.FAILED, message=message, retry_at=retry_at)

    # The pieces below run in a store thread.

    def _record_failure(
        self, feed_id: int, message: str, retry_at: datetime | None, now: datetime
    ) -> None:
        fetchstate.record_failure(
            self.store,
            feed_id,
            outcome=OutcomeState.FAILED.value,
            error=message,
            retry_at=retry_at,
            now=now,
        )

    def _record_not_modified(self, feed_id: int, validators: Validators, now: datetime) -> None:
        fetchstate.record_not_modified(
            self.store,
            feed_id,
            outcome=OutcomeState.NOT_MODIFIED.value,
            validators=validators,
            now=now,
        )

    def _record_same(
        self, feed_id: int, validators: Validators, digest: str, now: datetime
    ) -> None:
        fetchstate.record_success(
            self.store,
            feed_id,
            outcome=OutcomeState.SAME_CONTENT.value,
            validators=validators,
            body_sha256=digest,
            now=now,
        )

    def _save(
        self,
        feed: Feed,
        parsed: entries.ParsedFeed,
        prepared: list[PreparedArticle],
        validators: Validators,
        digest: str,
        now: datetime,
    ) -> FeedOutcome:
        """Articles first, then the body hash: a crash in between only costs a re-parse."""
        incoming = replace(parsed.feed, source=feed.source)
        if feed.id is not None:
            current = self.store.feed(feed.id)
            if current is None:
                return FeedOutcome(feed, OutcomeState.SKIPPED, message="no longer subscribed")
            feed = current
        if feed.id is None or (feed.title, feed.link, feed.language) != (
            incoming.title,
            incoming.link,
            incoming.language,
        ):
            feed = self.store.add_feed(incoming)  # the feed's own title, link and language
        assert feed.id is not None
        saved: SaveResult = self.store.save_articles(feed.id, parsed.articles, prepared)
        fetchstate.record_success(
            self.store,
            feed.id,
            outcome=OutcomeState.FETCHED.value,
            validators=validators,
            body_sha256=digest,
            now=now,
        )
        return FeedOutcome(
            feed,
            OutcomeState.FETCHED,
            new=saved.new,
            updated=saved.updated,
            unchanged=saved.unchanged,
            message=clean_line(parsed.warning, limit=300),
        )


def _unique(feeds: Iterable[Feed]) -> list[Feed]:
    seen: set[str] = set()
    unique = []
    for feed in feeds:
        if feed.source not in seen:
            seen.add(feed.source)
            unique.append(feed)
    return unique


async def refresh_feeds(
    store: Store,
    feeds: Sequence[Feed] | None = None,
    *,
    settings: FetchSettings | None = None,
    progress: ProgressHook | None = None,
) -> list[FeedOutcome]:
    """Refresh ``feeds`` (default: every subscription) concurrently; outcomes in input order.

    ``progress`` is called on the event loop as each feed finishes.
    """
    if feeds is None:
        feeds = [summary.feed for summary in await asyncio.to_thread(store.feeds)]
    return await _run_once(store, feeds, settings, progress)


async def _run_once(
    store: Store,
    feeds: Sequence[Feed],
    settings: FetchSettings | None,
    progress: ProgressHook | None,
) -> list[FeedOutcome]:
    """Fetch, parse and store ``feeds`` (each source once) with one fetcher and parser pool.

    A synced feed is left out: it comes from its account's server (a sync), not its site.
    """
    feeds = [feed for feed in feeds if feed.account is None]
    run = _Run(store, settings or FetchSettings())
    try:
        return await run.run(_unique(feeds), progress)
    finally:
        await run.aclose()


def refresh(
    store: Store,
    feeds: Sequence[Feed] | None = None,
    *,
    settings: FetchSettings | None = None,
    progress: ProgressHook | None = None,
) -> list[FeedOutcome]:
    """``refresh_feeds`` for callers without an event loop, such as the CLI."""
    return asyncio.run(refresh_feeds(store, feeds, settings=settings, progress=progress))


async def subscribe_feeds(
    store: Store,
    sources: Sequence[str],
    *,
    settings: FetchSettings | None = None,
    progress: ProgressHook | None = None,
) -> list[FeedOutcome]:
    """Subscribe to URLs or local feed files and fetch them at once.

    A source is only added when it gives a readable feed; a failed one is reported and
    left out. A source already subscribed is simply refreshed.
    """
    normalised = [normalise_source(source) for source in sources]

    def existing() -> dict[str, Feed]:
        return {summary.feed.source: summary.feed for summary in store.feeds()}

    known = await asyncio.to_thread(existing)
    feeds = [
        known.get(source) or Feed(source=source, title=clean_line(source, limit=200))
        for source in normalised
    ]
    return await _run_once(store, feeds, settings, progress)


def subscribe(
    store: Store,
    sources: Sequence[str],
    *,
    settings: FetchSettings | None = None,
    progress: ProgressHook | None = None,
) -> list[FeedOutcome]:
    """``subscribe_feeds`` for callers without an event loop (``newsreader add URL...``)."""
    return asyncio.run(subscribe_feeds(store, sources, settings=settings, progress=progress))


def remove_feed(store: Store, feed: Feed) -> bool:
    """Unsubscribe from ``feed``; its articles and index entries go with it."""
    feed_id = feed.id if feed.id is not None else fetchstate.feed_by_source(store, feed.source)
    return feed_id is not None and fetchstate.delete_feed(store, feed_id)
