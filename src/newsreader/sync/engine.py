"""One sync of one account: pull the feed list, new articles and read/star state, then push.

Offline-first: every page is stored in its own transaction as it arrives, and the mark of
where the next pull starts moves only when a pull completed, so a sync cut short (a crash,
the server gone) leaves nothing half-stored as done and the next one finishes the job. The
queued local changes go out last, one request per batch; they leave the queue only once
the server has them, and setting a flag is the same whether it arrives once or twice. One
account syncs in one process at a time (a lock file beside the store).
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field

from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.store.sync_state import Account
from newsreader.sync.convert import feed_row, pulled
from newsreader.sync.convert_worker import Converted, convert_page
from newsreader.sync.errors import SyncError
from newsreader.sync.fever import FeverClient
from newsreader.sync.password import run_password_command
from newsreader.sync.remote import Client, RemoteFeed, RemoteItem
from newsreader.sync.ttrss import TtrssClient

KINDS = ("ttrss", "fever")
BIG_PAGE = 100  # pages this full are converted in worker processes
CONVERT_WORKERS = 4
CONVERT_AHEAD = 4  # pages converting at once
BATCH_ITEMS = 1_000  # articles stored per transaction in a long pull

Progress = Callable[[str, int], None]  # what is happening, how many articles so far


@dataclass
class SyncReport:
    """What one sync did; the CLI prints it, as JSON too."""

    account: str
    feeds: int = 0
    new: int = 0
    state_changes: int = 0
    pushed: int = 0
    requests: int = 0
    error: str | None = None
    groups: list[str] = field(default_factory=list)


def make_client(account: Account) -> Client:
    """The account's client; the password command runs only when the client logs in."""

    def password() -> str:
        return run_password_command(account.password_command)

    if account.kind == "ttrss":
        return TtrssClient(account.url, account.user, password)
    if account.kind == "fever":
        return FeverClient(account.url, account.user, password)
    raise SyncError(f"unknown kind of account: {account.kind}")


@contextmanager
def account_lock(store: Store, account: Account) -> Iterator[None]:
    """Hold the account for one sync; another process waits here until it is done."""
    path = f"{store.path}.sync-{account.id}.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing lets go of the lock


def _quiet(_: str, __: int) -> None:
    pass


def sync_account(
    store: Store,
    name: str,
    *,
    progress: Progress = _quiet,
    client_factory: Callable[[Account], Client] = make_client,
) -> SyncReport:
    """Pull, then push, for the named account. Raises SyncError (one line) on failure."""
    first = sync_state.account(store, name)
    if first is None:
        raise SyncError(f"no account named {name!r}")
    with account_lock(store, first):
        account = sync_state.account(store, name)  # another process may have synced meanwhile
        if account is None:
            raise SyncError(f"no account named {name!r}")
        client = client_factory(account)
        report = SyncReport(account.name)
        try:
            _pull(store, account, client, report, progress)
            report.pushed = push_queue(store, account, client, progress)
        finally:
            report.requests = getattr(client, "requests", 0)
            client.close()
    return report


def _pull(
    store: Store, account: Account, client: Client, report: SyncReport, progress: Progress
) -> None:
    progress("logging in", 0)
    client.login()
    progress("reading the feed list", 0)
    remote_feeds = client.feeds()
    feed_ids = sync_state.save_feeds(store, account, [feed_row(feed) for feed in remote_feeds])
    report.feeds = len(feed_ids)
    report.groups = sorted({feed.group for feed in remote_feeds if feed.group})
    newest = account.since_id
    with Converter() as converter:
        batch = PageBatch(store, account, feed_ids, report, progress)
        for page in client.items_since(account.since_id):
            batch.add(converter.submit(page))
            newest = max(newest, *(item.remote_id for item in page))
        batch.flush_all()
    progress("reading read and starred state", report.new)
    read_feeds = _feeds_to_recheck(store, account, remote_feeds)
    unread = client.unread_ids(sorted(read_feeds) if read_feeds is not None else None)
    starred = client.starred_ids()
    missing = (unread | starred) - sync_state.known_remote_ids(store, account.id)
    for page in client.items_with_ids(missing):
        items = [(pulled(item), None) for item in page]
        report.new += sync_state.save_items(store, account.id, feed_ids, items)
        progress("pulling articles", report.new)
    report.state_changes = sync_state.apply_remote_state(
        store, account.id, unread, starred, read_feeds
    )
    sync_state.finish_pull(store, account.id, newest)


class Converter:
    """Turns pages of server items into stored-ready rows: here for a short pull, in
    worker processes (as a refresh parses) once pages come full, so that converting
    and preparing run beside the storing."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, page: list[RemoteItem]) -> Future[Converted]:
        if len(page) < BIG_PAGE:
            done: Future[Converted] = Future()
            done.set_result(convert_page(page))
            return done
        if self._pool is None:
            # forkserver, not fork: the reader runs threads, and a fork could copy a lock.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["newsreader.sync.convert_worker"])
            workers = min(CONVERT_WORKERS, os.cpu_count() or 1)
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return self._pool.submit(convert_page, page)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class PageBatch:
    """Converted pages waiting to be stored: at most BATCH_ITEMS items, so one save per
    feed covers many of its articles (pages interleave feeds) and memory stays bounded.
    Each flush is one transaction."""

    def __init__(
        self,
        store: Store,
        account: Account,
        feed_ids: dict[str, int],
        report: SyncReport,
        progress: Progress,
    ) -> None:
        self.store, self.account, self.feed_ids = store, account, feed_ids
        self.report, self.progress = report, progress
        self.waiting: deque[Future[Converted]] = deque()
        self.ready: Converted = []

    def add(self, converting: Future[Converted]) -> None:
        self.waiting.append(converting)
        while len(self.waiting) > CONVERT_AHEAD:
            self._take()

    def _take(self) -> None:
        try:
            self.ready.extend(self.waiting.popleft().result())
        except BrokenProcessPool:
            raise SyncError("a worker converting articles stopped unexpectedly") from None
        if len(self.ready) >= BATCH_ITEMS:
            self._flush()

    def _flush(self) -> None:
        if self.ready:
            items, self.ready = self.ready, []
            self.report.new += sync_state.save_items(
                self.store, self.account.id, self.feed_ids, items
            )
            self.progress("pulling articles", self.report.new)

    def flush_all(self) -> None:
        while self.waiting:
            self._take()
        self._flush()


def _feeds_to_recheck(
    store: Store, account: Account, remote_feeds: list[RemoteFeed]
) -> set[str] | None:
    """The feeds whose read state to read again; None: all of them.

    When the server's feed list counts each feed's unread articles (Tiny Tiny RSS does),
    a feed whose count matches the count here is left alone, and the rest are read one by
    one: a sync with nothing new then costs a handful of requests, not one per 200
    stored articles. Without counts (Fever), every feed is read (one short answer).
    """
    if not remote_feeds or any(feed.unread is None for feed in remote_feeds):
        return None
    here = sync_state.unread_counts(store, account.id)
    return {
        feed_row(feed)[0] for feed in remote_feeds if here.get(feed_row(feed)[0], 0) != feed.unread
    }


def sync_every_account(store: Store, progress: Callable[[str, str, int], None]) -> list[SyncReport]:
    """Sync each account in turn; a failure is kept in its report, the rest go on.

    ``progress`` gets the account's name, what is happening and the new articles so far.
    """
    reports = []
    for account in sync_state.accounts(store):

        def step(what: str, count: int, name: str = account.name) -> None:
            progress(name, what, count)

        try:
            reports.append(sync_account(store, account.name, progress=step))
        except SyncError as error:
            reports.append(SyncReport(account.name, error=str(error)))
    return reports


def push_queue(store: Store, account: Account, client: Client, progress: Progress = _quiet) -> int:
    """Send the queued changes, the last one per article and flag, one request per batch."""
    changes = sync_state.queued(store, account.id)
    if not changes:
        return 0
    progress("pushing changes", len(changes))
    final: dict[tuple[int, str], bool] = {}
    for change in changes:
        final[(change.remote_id, change.field)] = change.value
    batches: dict[tuple[str, bool], list[int]] = {}
    for (remote_id, flag), value in final.items():
        batches.setdefault((flag, value), []).append(remote_id)
    for (flag, value), ids in sorted(batches.items()):
        client.push(flag, value, sorted(ids))
    sync_state.drop_queued(store, account.id, changes[-1].seq)
    return len(final)


def subscribe(store: Store, name: str, url: str) -> SyncReport:
    """Subscribe through the account's server, then sync so the feed shows here."""
    account = sync_state.account(store, name)
    if account is None:
        raise SyncError(f"no account named {name!r}")
    client = make_client(account)
    try:
        client.subscribe(url)
    finally:
        client.close()
    return sync_account(store, name)


def unsubscribe(store: Store, feed_id: int) -> None:
    """Unsubscribe a synced feed on its server, then here."""
    where = sync_state.feed_remote(store, feed_id)
    if where is None:
        raise SyncError("not a synced feed")
    name, remote_id = where
    account = sync_state.account(store, name)
    if account is None:
        raise SyncError(f"no account named {name!r}")
    client = make_client(account)
    try:
        client.unsubscribe(remote_id)
    finally:
        client.close()
    sync_state.delete_feed(store, feed_id)
