"""Moving in from newsboat: its urls file, cache and key bindings into the store, at once.

Everything happens in one transaction: a failure (or ``dry_run``) leaves the store as it
was. Articles take the same path as a refresh (``ingest.article_from_entry`` sanitises,
``Store.save_articles`` dedupes into stories and fills both indexes). Running the import
again adds only what is new: read state, stars and flags are set on articles this run
added, so reading done here since is kept. Nothing named in the files is ever run.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from newsreader.feeds.fetchstate import folders, set_folder
from newsreader.feeds.ingest import article_from_entry
from newsreader.feeds.newsboat_cache import CachedFeed, CachedItem, NewsboatCache
from newsreader.feeds.newsboat_filter import translate
from newsreader.feeds.newsboat_urls import UrlsFeed, UrlsFile
from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.store.prepare import PreparedArticle, prepare_article
from newsreader.store.rows import READER_TAG_POSITION
from newsreader.store.saved import write_search
from newsreader.text.sanitize import clean_line, link_url
from newsreader.text.wordforms import fold


@dataclass(frozen=True, slots=True)
class NewsboatFiles:
    urls: Path
    cache: Path
    config: Path


def default_files(environ: dict[str, str] | None = None) -> NewsboatFiles:
    """Where newsboat looks: ``~/.newsboat/`` if it exists, else the XDG directories."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    dotdir = home / ".newsboat"
    if dotdir.is_dir():
        return NewsboatFiles(dotdir / "urls", dotdir / "cache.db", dotdir / "config")
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "newsboat"
    data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "newsboat"
    return NewsboatFiles(config / "urls", data / "cache.db", config / "config")


@dataclass(slots=True)
class ImportedFeed:
    id: int
    url: str
    title: str
    groups: tuple[str, ...]
    hidden: bool
    new: int = 0
    unchanged: int = 0
    read: int = 0
    starred: int = 0
    flagged: int = 0
    deleted: int = 0


@dataclass(frozen=True, slots=True)
class ImportedSearch:
    name: str
    expression: str
    query: str | None
    state: str  # "saved", "unchanged", "kept" (ours differs) or "skipped"
    reason: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    source: str  # "urls", "cache" or "config"
    line: int | None
    text: str
    reason: str


@dataclass(slots=True)
class NewsboatImport:
    feeds: list[ImportedFeed] = field(default_factory=list)
    searches: list[ImportedSearch] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    keymap: dict[str, str] = field(default_factory=dict)
    changed: bool = False


class _DryRun(Exception):
    """Raised at the end of a dry run so that the transaction rolls back."""


def _http_date(seconds: int) -> str | None:
    if seconds <= 0:
        return None
    try:
        return format_datetime(datetime.fromtimestamp(seconds, UTC), usegmt=True)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(seconds: int) -> str:
    if seconds <= 0:
        return ""
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return ""


def _article(item: CachedItem, source: str) -> Article:
    """The cached item as a refresh would store it: sanitised, its HTML body as blocks, its
    enclosure a media item (``ingest.article_from_entry``, feedparser's shape)."""
    links = [{"rel": "alternate", "href": item.link}] if item.link else []
    if item.enclosure_url:
        links.append({"rel": "enclosure", "href": item.enclosure_url, "type": item.enclosure_type})
    entry: dict[str, Any] = {
        "id": item.guid,
        "title": item.title,
        "title_detail": {"type": "text/plain"},
        "links": links,
        "author": item.author,
        "published": _iso(item.published),
        "content": [{"value": item.content, "type": "text/html"}] if item.content else [],
    }
    return article_from_entry(entry, 0, None, [], source)


def _fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in article.__dataclass_fields__}


Converted = tuple[list[Article], list[PreparedArticle]]

# From this many cached articles on, they are converted in worker processes, as a refresh
# parses feeds: the HTML, the word forms and the compression are most of the work.
PARALLEL_FROM = 2_000


def convert_items(items: list[CachedItem], source: str) -> Converted:
    """The feed's kept items as articles prepared for storing (``prepare.py``); the blocks
    travel once, in the prepared form, as ``parse_and_prepare`` sends them."""
    articles = [_article(item, source) for item in items]
    prepared = [prepare_article(article) for article in articles]
    return [Article(**{**_fields(a), "blocks": ()}) for a in articles], prepared


@contextmanager
def _converter(total: int) -> Iterator[Executor | None]:
    if total < PARALLEL_FROM:
        yield None
        return
    # forkserver, not fork, for the reason refresh.py gives.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["newsreader.feeds.ingest", "newsreader.store.prepare"])
    # One core fewer than there are: the store's writer, here, is as busy as the workers.
    workers = max(1, (os.cpu_count() or 1) - 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def _groups(store: Store, feed_id: int, names: tuple[str, ...]) -> bool:
    db = store.connection()
    have = [row[0] for row in db.execute(
        "SELECT name FROM feed_groups WHERE feed_id = ? ORDER BY position", (feed_id,)
    )]  # fmt: skip
    if have == list(names):
        return False
    db.execute("DELETE FROM feed_groups WHERE feed_id = ?", (feed_id,))
    db.executemany(
        "INSERT INTO feed_groups (feed_id, position, name, folded) VALUES (?, ?, ?, ?)",
        [(feed_id, n, name, fold(name)) for n, name in enumerate(names)],
    )
    return True


def _validators(store: Store, feed_id: int, cached: CachedFeed | None) -> bool:
    """newsboat's ETag and Last-Modified, unless a refresh here has left its own."""
    if cached is None or not (cached.etag or cached.last_modified):
        return False
    cursor = store.connection().execute(
        "INSERT INTO feed_state (feed_id, etag, last_modified) VALUES (?, ?, ?) "
        "ON CONFLICT (feed_id) DO UPDATE SET etag = excluded.etag, "
        "last_modified = excluded.last_modified "
        "WHERE feed_state.etag IS NULL AND feed_state.last_modified IS NULL "
        "AND feed_state.checked_at IS NULL",
        (feed_id, clean_line(cached.etag, limit=200) or None, _http_date(cached.last_modified)),
    )
    return cursor.rowcount > 0


def _other_flags(item: CachedItem) -> list[str]:
    """newsboat's flags other than s (starred), each once: they become tags flag-X."""
    return sorted({flag for flag in item.flags if flag.isascii() and flag.isalpha()} - {"s"})


def _items(store: Store, feed: ImportedFeed, items: list[CachedItem], converted: Converted) -> bool:
    db = store.connection()
    kept = [item for item in items if not item.deleted]
    gone = [item for item in items if item.deleted]
    known = {
        row[0] for row in db.execute("SELECT guid FROM articles WHERE feed_id = ?", (feed.id,))
    }
    articles, prepared = converted
    result = store.save_articles(feed.id, articles, prepared)
    feed.new, feed.unchanged = result.new, result.unchanged + result.updated
    changed = result.new > 0 or result.updated > 0
    # The stored guid is the sanitised one: match each item by its article's guid.
    fresh = [
        (item, article.guid) for item, article in zip(kept, articles, strict=True)
        if article.guid not in known
    ]  # fmt: skip
    ids = {row[0]: row[1] for row in db.execute(
        "SELECT guid, id FROM articles WHERE feed_id = ?", (feed.id,)
    )}  # fmt: skip
    db.executemany(
        "UPDATE articles SET read = ?, starred = ? WHERE id = ?",
        [(not item.unread, "s" in item.flags, ids[guid]) for item, guid in fresh if guid in ids],
    )
    tags = []
    for item, guid in fresh:
        flags = _other_flags(item)
        if flags and guid in ids:
            tags += [
                (ids[guid], READER_TAG_POSITION + n, f"flag-{flag}", fold(f"flag-{flag}"))
                for n, flag in enumerate(flags)
            ]
    db.executemany(
        "INSERT OR IGNORE INTO article_tags (article_id, position, tag, folded) "
        "VALUES (?, ?, ?, ?)",
        tags,
    )
    feed.flagged = sum(1 for item in kept if _other_flags(item))
    feed.read = sum(1 for item in kept if not item.unread)
    feed.starred = sum(1 for item in kept if "s" in item.flags)
    for item in gone:
        guid = clean_line(item.guid, limit=1_000)
        if not guid:
            continue
        cursor = db.execute(
            "INSERT OR IGNORE INTO removed_articles (feed_id, guid) VALUES (?, ?)", (feed.id, guid)
        )
        deleted = db.execute("DELETE FROM articles WHERE feed_id = ? AND guid = ?", (feed.id, guid))
        changed = changed or cursor.rowcount > 0 or deleted.rowcount > 0
        feed.deleted += 1
    return changed


def _feed(store: Store, entry: UrlsFeed, cached: CachedFeed | None) -> tuple[ImportedFeed, bool]:
    source = clean_line(entry.url, limit=2_000)
    before = (
        store.connection()
        .execute("SELECT title, link, hidden, own_title FROM feeds WHERE source = ?", (source,))
        .fetchone()
    )
    title = clean_line(entry.title or (cached.title if cached else "") or source, limit=200)
    own = clean_line(entry.title, limit=200) or None if entry.title else None
    link = link_url(cached.link) if cached else None
    if before is not None:
        known = store.connection().execute("SELECT id FROM feeds WHERE source = ?", (source,))
        found = store.feed(int(known.fetchone()[0]))
        assert found is not None
        feed, changed = found, False
    else:
        feed = store.add_feed(Feed(source=source, title=title, link=link))
        changed = True
    assert feed.id is not None
    changed = store.set_feed_options(feed.id, own_title=own, hidden=entry.hidden) or changed
    groups = tuple(clean_line(tag, limit=100) for tag in entry.tags if clean_line(tag, limit=100))
    changed = _groups(store, feed.id, groups) or changed
    folder = groups[:1]
    if folder and folders(store).get(feed.id, ()) == () and before is None:
        set_folder(store, feed.id, folder)  # the first tag, where the feed list shows folders
    changed = _validators(store, feed.id, cached) or changed
    final = store.feed(feed.id)
    assert final is not None
    return ImportedFeed(feed.id, source, final.title, groups, entry.hidden), changed


def _searches(store: Store, urls: UrlsFile, report: NewsboatImport) -> None:
    db = store.connection()
    for query in urls.queries:
        name = clean_line(query.name, limit=100)
        translation = translate(query.expression)
        expression = clean_line(query.expression, limit=500)  # shown: outside input
        if translation.query is None:
            report.searches.append(
                ImportedSearch(
                    name, expression, None, "skipped", clean_line(translation.problem, limit=500)
                )
            )
            continue
        row = db.execute("SELECT query FROM saved_searches WHERE name = ?", (name,)).fetchone()
        if row is not None:
            state = "unchanged" if row[0] == translation.query else "kept"
            reason = None if state == "unchanged" else "a saved search of this name exists"
        else:
            write_search(db, name, translation.query)
            state, reason = "saved", None
            report.changed = True
        report.searches.append(
            ImportedSearch(
                name,
                expression,
                translation.query,
                state,
                reason,
                tuple(clean_line(note, limit=500) for note in translation.notes),
            )
        )


def import_newsboat(
    store: Store,
    urls: UrlsFile,
    cache: NewsboatCache | None,
    *,
    dry_run: bool = False,
) -> NewsboatImport:
    """Subscribe to the urls file's feeds with the cache's articles, all or nothing."""
    report = NewsboatImport()
    for line in urls.skipped:
        report.skipped.append(
            Skipped("urls", line.line, clean_line(line.text, limit=200), line.reason)
        )
    by_feed: dict[str, list[CachedItem]] = {}
    for item in cache.items if cache else ():
        by_feed.setdefault(item.feed_url, []).append(item)
    listed = {entry.url for entry in urls.feeds}
    for url in sorted(set(by_feed) - listed):
        count = len(by_feed[url])
        report.skipped.append(
            Skipped("cache", None, clean_line(url, limit=200),
                    f"{count} cached articles of a feed the urls file no longer lists")
        )  # fmt: skip
    kept = {url: [item for item in items if not item.deleted] for url, items in by_feed.items()}
    try:
        with _converter(sum(map(len, kept.values()))) as pool, store.transaction():
            pending: dict[str, Future[Converted]] = {}
            if pool is not None:
                for entry in urls.feeds:
                    source = clean_line(entry.url, limit=2_000)
                    items = kept.get(entry.url, [])
                    pending[entry.url] = pool.submit(convert_items, items, source)
            for entry in urls.feeds:
                cached = cache.feeds.get(entry.url) if cache else None
                feed, changed = _feed(store, entry, cached)
                future = pending.get(entry.url)
                converted = (
                    future.result() if future else convert_items(kept.get(entry.url, []), feed.url)
                )
                items = by_feed.get(entry.url, [])
                changed = _items(store, feed, items, converted) or changed
                report.changed = report.changed or changed
                report.feeds.append(feed)
            # A story read or starred in one feed is so in all (stories.py keeps copies
            # alike): once for the whole import, not per feed.
            db = store.connection()
            for flag in ("read", "starred"):
                db.execute(
                    f"UPDATE articles SET {flag} = 1 WHERE {flag} = 0 AND story_id IN "
                    f"(SELECT story_id FROM articles WHERE {flag} = 1)"
                )
            _searches(store, urls, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
