"""The ``newsreader`` command: start the app, or subscribe, list, show and search from a shell.

Anything a user can get wrong ends in one line on stderr and exit status 2, never a
traceback or a usage dump. Textual is imported only when the app starts, so the
subcommands stay quick and work where no full-screen terminal is available.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from rich.text import Text

from newsreader import __version__
from newsreader.cli_output import (
    article_json,
    article_renderables,
    articles_json,
    articles_table,
    dump_json,
    emit,
    feeds_json,
    feeds_table,
    hits_json,
    hits_renderables,
    make_console,
)
from newsreader.ingest import FeedError
from newsreader.paths import default_db_path
from newsreader.sanitize import clean_line
from newsreader.schema import NewerStoreError
from newsreader.search import QuerySyntaxError
from newsreader.store import Store
from newsreader.subscriptions import ImportResult, ensure_bundled_feed, import_feed_file

PROG = "newsreader"
EXIT_OK = 0
EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 1
EXIT_INTERRUPTED = 130
DEFAULT_ARTICLE_LIMIT = 500
DEFAULT_SEARCH_LIMIT = 50
REMOTE_SCHEMES = frozenset({"http", "https"})


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise CliError(message)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line; ``--db`` is accepted before or after the subcommand."""
    parser = _Parser(
        prog=PROG,
        description="A terminal news reader. Without a command, the reader starts.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the store file (default: $NEWSREADER_DB, else one in the user data directory)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # Subcommands accept --db too, without overriding one given before them.
    shared = _Parser(add_help=False)
    shared.add_argument(
        "--db", type=Path, metavar="PATH", default=argparse.SUPPRESS, help="the store file"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    add = commands.add_parser(
        "add",
        parents=[shared],
        help="subscribe to feed files",
        description="Subscribe to local RSS or Atom files; adding one again refreshes it.",
    )
    add.add_argument("sources", nargs="+", metavar="PATH", help="a feed file")
    add.set_defaults(handler=_add)

    feeds = commands.add_parser("feeds", parents=[shared], help="list subscriptions")
    feeds.add_argument("--json", action="store_true", help="print JSON")
    feeds.set_defaults(handler=_feeds)

    articles = commands.add_parser("articles", parents=[shared], help="list articles, newest first")
    articles.add_argument("--feed", type=_positive, metavar="ID", help="only this feed's")
    articles.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_ARTICLE_LIMIT,
        metavar="N",
        help=f"at most N articles (default {DEFAULT_ARTICLE_LIMIT})",
    )
    articles.add_argument("--json", action="store_true", help="print JSON")
    articles.set_defaults(handler=_articles)

    show = commands.add_parser("show", parents=[shared], help="print one article")
    show.add_argument("article_id", type=_positive, metavar="ARTICLE_ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=_show)

    search = commands.add_parser(
        "search",
        parents=[shared],
        help="full-text search",
        description='Words are ANDed; "a phrase", prefix*, a OR b and -exclude also work.',
    )
    search.add_argument("query", metavar="QUERY", help="what to look for (quote it in the shell)")
    search.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_SEARCH_LIMIT,
        metavar="N",
        help=f"at most N hits (default {DEFAULT_SEARCH_LIMIT})",
    )
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(handler=_search)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except CliError as error:
        _fail(str(error))
    except QuerySyntaxError as error:
        _fail(f"query: {error}")
    except (FeedError, NewerStoreError) as error:
        _fail(str(error))
    except sqlite3.Error as error:
        _fail(f"the store could not be read: {error}")
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"{where}{error.strerror or error}")
    except SystemExit as leaving:  # --help and --version
        return leaving.code if isinstance(leaving.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return EXIT_ERROR


def _fail(message: str) -> None:
    """The one line a user sees when something went wrong."""
    print(f"{PROG}: error: {clean_line(message, limit=500)}", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    path: Path = args.db if args.db is not None else default_db_path()
    store = _open_store(path)
    try:
        handler: Callable[[argparse.Namespace, Store], int] | None = getattr(args, "handler", None)
        if handler is None:
            return _run_app(store)
        try:
            return handler(args, store)
        except BrokenPipeError:
            # The reader of our output went away (``| head``): not worth a complaint.
            # Status 1, as Rich gives when its own writes hit the closed pipe.
            _silence_stdout()
            return EXIT_BROKEN_PIPE
    finally:
        store.close()


def _open_store(path: Path) -> Store:
    path = path.expanduser()
    if path.is_dir():
        raise CliError(f"{path}: is a directory, not a store file")
    try:
        return Store(path)
    except (sqlite3.Error, OSError) as error:
        raise CliError(f"{path}: cannot open the store: {error}") from None


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _run_app(store: Store) -> int:
    """Start the full-screen reader on ``store``."""
    from newsreader.ui.app import NewsreaderApp  # Textual is loaded only for the app

    ensure_bundled_feed(store)
    app = NewsreaderApp(store=store)
    app.run()
    return app.return_code or EXIT_OK


# Subcommands. Each returns the exit status; problems are raised as CliError.


def _is_remote(source: str) -> bool:
    return urlsplit(source).scheme.lower() in REMOTE_SCHEMES


def _import(store: Store, source: str) -> ImportResult:
    """Subscribe to one source. New kinds of source (such as URLs) plug in here."""
    if _is_remote(source):
        raise FeedError(f"{source}: only local feed files can be added by this version")
    return import_feed_file(store, Path(source))


def _add(args: argparse.Namespace, store: Store) -> int:
    console = make_console(sys.stdout)
    status = EXIT_OK
    for source in args.sources:
        try:
            result = _import(store, source)
        except FeedError as error:
            _fail(str(error))
            status = EXIT_ERROR
            continue
        saved = result.saved
        console.print(
            Text.assemble(
                (result.feed.title, "bold"),
                f": {saved.new} new, {saved.updated} updated, {saved.unchanged} unchanged"
                f" (feed {result.feed.id})",
            )
        )
        if result.warning:
            print(f"{PROG}: warning: {result.feed.title}: {result.warning}", file=sys.stderr)
    return status


def _feeds(args: argparse.Namespace, store: Store) -> int:
    ensure_bundled_feed(store)
    feeds = store.feeds()
    if args.json:
        dump_json(feeds_json(feeds), sys.stdout)
    else:
        emit(make_console(sys.stdout), feeds_table(feeds))
    return EXIT_OK


def _articles(args: argparse.Namespace, store: Store) -> int:
    ensure_bundled_feed(store)
    if args.feed is not None and store.feed(args.feed) is None:
        raise CliError(f"no feed with id {args.feed} (see: {PROG} feeds)")
    articles = store.articles(feed_id=args.feed, limit=args.limit)
    if args.json:
        dump_json(articles_json(articles), sys.stdout)
    elif articles:
        emit(make_console(sys.stdout), articles_table(articles))
    return EXIT_OK


def _show(args: argparse.Namespace, store: Store) -> int:
    ensure_bundled_feed(store)
    article = store.article(args.article_id)
    if article is None:
        raise CliError(f"no article with id {args.article_id} (see: {PROG} articles)")
    if args.json:
        dump_json(article_json(article), sys.stdout)
    else:
        console = make_console(sys.stdout)
        for part in article_renderables(article):
            emit(console, part)
    return EXIT_OK


def _search(args: argparse.Namespace, store: Store) -> int:
    ensure_bundled_feed(store)
    hits = store.search(args.query, limit=args.limit)
    if args.json:
        dump_json(hits_json(hits), sys.stdout)
        return EXIT_OK
    console = make_console(sys.stdout)
    if not hits:
        print("No matches.", file=sys.stderr)
    for part in hits_renderables(hits, styled=console.is_terminal):
        emit(console, part)
    return EXIT_OK
