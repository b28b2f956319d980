"""The subscription commands: ``add``, ``refresh``, ``remove`` and ``opml import|export``.

Fetching goes through ``newsreader.feeds.refresh``, which fetches every feed at once and parses
in worker processes. While it runs, a progress bar is drawn on stderr, but only when stderr
is a terminal: logs and pipes get the summary and nothing else. A feed that fails makes the
exit status 1; a command the user got wrong (an unknown FEED, a missing file) makes it 2.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from newsreader.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    CliError,
    complain,
    dump_json,
    make_console,
)
from newsreader.cli.status import outcome_line, outcomes_json, progress_bar
from newsreader.feeds.feedfile import A_WEB_PAGE
from newsreader.feeds.fetch import FetchError, FetchSettings
from newsreader.feeds.opml import MAX_OPML_BYTES, OpmlError, export_opml, import_opml
from newsreader.feeds.refresh import (
    FeedOutcome,
    normalise_source,
    refresh,
    remove_feed,
    source_kind,
    subscribe,
)
from newsreader.feeds.subscriptions import ensure_bundled_feed
from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.text.sanitize import clean_line, openable_url

STDIO = "-"


def fetch_settings(config_file: Path | None = None) -> FetchSettings:
    """How the commands fetch and parse: the config file's fetch settings.

    A bad setting is reported as a warning and its default used, as everywhere else.
    """
    from newsreader.config import config_path, load_config

    loaded = load_config(config_path(config_file))
    for problem in loaded.problems:
        print(f"{PROG}: warning: {clean_line(problem, limit=500)}", file=sys.stderr)
    return loaded.config.fetch_settings()


def with_full_text(store: Store, article: Article, config_file: Path | None) -> tuple[Article, int]:
    """``show --full``: the article with its page's text, fetched now if the feed sent only
    a teaser, and the exit status. A page without an article is told on stderr, and the
    teaser is still worth printing."""
    from newsreader.feeds.full_text import fetch_full_text, teaser_only
    from newsreader.feeds.page_error import PageError

    if article.id is None or not teaser_only(article):
        return article, EXIT_OK
    try:
        return fetch_full_text(store, article.id, fetch_settings(config_file)), EXIT_OK
    except PageError as error:
        complain(f"full text: {error.message}")
        return store.article(article.id) or article, EXIT_FAILED


def prefetch_pages(
    store: Store, outcomes: list[FeedOutcome], settings: FetchSettings, config_file: Path | None
) -> int:
    """After a refresh: the full text of the unread teaser-only articles of the feeds set to
    ``full_text = "prefetch"``; returns how many articles gained it."""
    from newsreader.config import config_path, load_config

    config = load_config(config_path(config_file)).config  # its problems were told already
    wanted = [
        outcome.feed.id
        for outcome in outcomes
        if outcome.feed.id is not None
        and not outcome.failed
        and config.full_text_for(outcome.feed.source) == "prefetch"
    ]
    if not wanted:
        return 0
    import asyncio

    from newsreader.feeds.full_text import prefetch_full_texts

    return asyncio.run(prefetch_full_texts(store, wanted, settings))


# Naming feeds on the command line.


def resolve_feed(store: Store, name: str) -> Feed:
    """The feed a FEED argument names: its id, its exact source, or its title (any case)."""
    return resolve_feeds(store, [name])[0]


def resolve_feeds(store: Store, names: Iterable[str]) -> list[Feed]:
    """Each named feed once, in the order named. Raises CliError for a name that fits none."""
    feeds = [summary.feed for summary in store.feeds()]
    chosen: dict[int, Feed] = {}
    for name in names:
        feed = _match(feeds, name)
        assert feed.id is not None
        chosen.setdefault(feed.id, feed)
    return list(chosen.values())


def _match(feeds: Sequence[Feed], name: str) -> Feed:
    text = name.strip()
    if text.isascii() and text.isdigit():
        for feed in feeds:
            if feed.id == int(text):
                return feed
    # As typed, then as it would be stored: "feeds/x.rss" means the same file as its full path.
    sources = {text, normalise_source(text)} if text else set()
    for feed in feeds:
        if feed.source in sources:
            return feed
    wanted = text.casefold()
    titled = [feed for feed in feeds if feed.title.casefold() == wanted] if wanted else []
    if len(titled) == 1:
        return titled[0]
    if titled:
        ids = ", ".join(str(feed.id) for feed in titled)
        raise CliError(f"{len(titled)} feeds are titled {name!r} (ids {ids}); name one by its id")
    raise CliError(f"no feed has the id, source or title {name!r} (see: {PROG} feeds)")


def _print_line(line: Text, console: Console | None = None) -> None:
    """One line per feed, never wrapped: easy to grep, and the terminal wraps it anyway.

    A command that prints many lines passes one console for them all: making one takes
    longer than printing a line.
    """
    (console or make_console(sys.stdout)).print(line, soft_wrap=True)


# The commands. Each returns the exit status; mistakes are raised as CliError.


# "example.org/feed.xml": a host name with a dot, then a path or nothing.
_HOST_AND_PATH = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?::\d+)?(?:/\S*)?")


_FILE_ENDINGS = frozenset({"xml", "rss", "atom", "rdf", "opml", "json", "txt", "html", "htm"})


def _looks_like_address(text: str) -> bool:
    """True for "example.org" or "example.org/feed.xml", not for "feed.xml"."""
    if not _HOST_AND_PATH.fullmatch(text):
        return False
    host = text.partition("/")[0].partition(":")[0]
    return host.rpartition(".")[2].lower() not in _FILE_ENDINGS


def _source_problem(source: str) -> str | None:
    """Why ``source`` is not worth trying, if it is a mistake on the command line."""
    kind = source_kind(source.strip())
    if kind == "unsupported":
        return f"{source}: only http and https URLs and local feed files can be added"
    if kind == "file":
        path = Path(normalise_source(source))
        if not path.exists():
            if _looks_like_address(source.strip()):
                return f"{source}: no such file; did you mean https://{source.strip()}?"
            return f"{path}: no such file"
        if path.is_dir():
            return f"{path}: is a directory"
    return None


def add(args: argparse.Namespace, store: Store) -> int:
    """Subscribe and fetch; sources that are plain mistakes are refused before any fetch."""
    status = EXIT_OK
    sources: list[str] = []
    for source in args.sources:
        problem = _source_problem(source)
        if problem is None:
            sources.append(source)
        else:
            complain(problem)
            status = EXIT_USAGE
    if not sources:
        return status
    settings = fetch_settings(getattr(args, "config", None))
    with progress_bar(sys.stderr, len(sources)) as hook:
        outcomes = subscribe(store, sources, settings=settings, progress=hook)
    for outcome in outcomes:
        if outcome.failed and outcome.message.endswith(A_WEB_PAGE):
            status = max(status, _add_from_page(store, outcome.feed.source, settings))
        else:
            status = max(status, _report_added(outcome))
    return status


def _report_added(outcome: FeedOutcome) -> int:
    """The line for one feed that ``add`` subscribed to, or the reason it could not."""
    if not outcome.failed:
        _print_line(outcome_line(outcome, with_id=True))
        return EXIT_OK
    reason = outcome.message
    if not reason.startswith(outcome.feed.source):
        reason = f"{outcome.feed.source}: {reason}"
    complain(reason)
    return EXIT_FAILED


def _add_from_page(store: Store, url: str, settings: FetchSettings) -> int:
    """A web page was given: subscribe to the one feed it names, or list those it names."""
    from newsreader.feeds.discover import discover_feeds

    try:
        links = asyncio.run(discover_feeds(url, settings))
    except FetchError as error:
        complain(f"{url}: {error}")
        return EXIT_FAILED
    if not links:
        complain(f"{url}: a web page that names no feed")
        return EXIT_FAILED
    if len(links) > 1:
        complain(f"{url}: a web page that offers {len(links)} feeds; add one of them:")
        for link in links:
            title = f"  ({link.title})" if link.title else ""
            print(f"  {PROG} add {link.url}{title}", file=sys.stderr)
        return EXIT_FAILED
    _print_line(Text(f"{url}: a web page; its feed is {links[0].url}"))
    status = EXIT_OK
    for outcome in subscribe(store, [links[0].url], settings=settings):
        status = max(status, _report_added(outcome))
    return status


def refresh_command(args: argparse.Namespace, store: Store) -> int:
    """Fetch all feeds or the named ones, then one line (or one JSON object) per feed."""
    ensure_bundled_feed(store)
    feeds = resolve_feeds(store, args.feeds) if args.feeds else None
    total = len(feeds) if feeds is not None else len(store.feeds())
    settings = fetch_settings(getattr(args, "config", None))
    with progress_bar(sys.stderr, total, show=not args.json) as hook:
        outcomes = refresh(store, feeds, settings=settings, progress=hook)
    failed = sum(outcome.failed for outcome in outcomes)
    if args.json:
        dump_json(outcomes_json(outcomes), sys.stdout)
    else:
        console = make_console(sys.stdout)
        for outcome in outcomes:
            _print_line(outcome_line(outcome), console)
        if failed:
            complain(f"{failed} of {len(outcomes)} feeds could not be refreshed")
    # After the report: the feeds' own work is done and told before any page is fetched.
    gained = prefetch_pages(store, outcomes, settings, getattr(args, "config", None))
    if gained and not args.json:
        counted = "1 article" if gained == 1 else f"{gained} articles"
        _print_line(Text(f"Full text from the web page for {counted}"))
    return EXIT_FAILED if failed else EXIT_OK


def remove(args: argparse.Namespace, store: Store) -> int:
    """Unsubscribe from one feed and say what went with it."""
    ensure_bundled_feed(store)
    feed = resolve_feed(store, args.feed)
    articles = store.count_articles(feed.id)
    if not remove_feed(store, feed):
        raise CliError(f"feed {feed.id} is already gone")
    counted = "1 article" if articles == 1 else f"{articles} articles"
    _print_line(Text.assemble("Removed ", (feed.title, "bold"), f" (feed {feed.id}) and {counted}"))
    return EXIT_OK


def _read_opml(name: str) -> bytes:
    """The file's bytes, or stdin's for "-"; one byte past the limit is enough to refuse."""
    if name == STDIO:
        return sys.stdin.buffer.read(MAX_OPML_BYTES + 1)
    path = Path(name).expanduser()
    if path.is_dir():
        raise CliError(f"{path}: is a directory")
    with path.open("rb") as file:
        return file.read(MAX_OPML_BYTES + 1)


def opml_import(args: argparse.Namespace, store: Store) -> int:
    """Subscribe only: fetching many new feeds is left to an explicit ``refresh``."""
    data = _read_opml(args.file)
    try:
        result = import_opml(store, data)
    except OpmlError as error:
        raise CliError(f"{args.file}: {error}", status=EXIT_FAILED) from None
    listed = len(result.feeds)
    known = listed - result.added
    line = f"Subscribed to {result.added} new feed{'' if result.added == 1 else 's'}"
    if known:
        line += f" ({known} of the {listed} listed already subscribed)"
    if result.added:
        line += f"; `{PROG} refresh` fetches them"
    _print_line(Text(line + "."))
    for feed, before, after in result.moved:
        old = " / ".join(before) if before else "no folder"
        _print_line(
            Text.assemble("Moved ", (feed.title, "bold"), f" from {old} to {' / '.join(after)}.")
        )
    if result.ignored:
        count = len(result.ignored)
        _print_line(Text(f"Ignored {count} outline{'' if count == 1 else 's'}:"))
        for item in result.ignored:
            title = item.title or "(untitled)"
            _print_line(Text.assemble("  ", (title, "bold"), f" <{item.url}>: {item.reason}"))
    return EXIT_OK


def opml_export(args: argparse.Namespace, store: Store) -> int:
    """The OPML document to stdout (for pipes) or, in one piece, to a file."""
    document = export_opml(store)
    if args.file in (None, STDIO):
        sys.stdout.flush()
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
        return EXIT_OK
    path = Path(args.file).expanduser()
    _write_whole(path, document)
    feeds = [summary.feed for summary in store.feeds()]
    exported = sum(openable_url(feed.source) is not None for feed in feeds)
    line = f"Exported {exported} feed{'' if exported == 1 else 's'} to {path}"
    if left_out := len(feeds) - exported:
        line += f" ({left_out} local feed{'' if left_out == 1 else 's'} left out)"
    _print_line(Text(line))
    return EXIT_OK


def _write_whole(path: Path, data: bytes) -> None:
    """Write beside the target and rename: a failed export never leaves half a file."""
    if path.is_dir():
        raise CliError(f"{path}: is a directory")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, _new_file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_file_mode(path: Path) -> int:
    """The mode the file has, or the one a plain new file would get under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask
