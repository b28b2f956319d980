"""The ``newsreader`` command: start the app, or subscribe, refresh, list, show and search.

Anything a user can get wrong ends in one line on stderr and exit status 2, never a
traceback or a usage dump; a feed that cannot be fetched or parsed gives exit status 1.
Each path imports only what it needs: starting the app loads the store and Textual, not
the fetcher, the feed parser or the console output of the subcommands; the subcommands
load those in their handlers and never load Textual, so they stay quick and work where no
full-screen terminal is available.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import argparse

    from newsreader.cli.parser import Handler
    from newsreader.store.database import Store

# The same values as in cli_output, which is not loaded to start the app.
PROG = "newsreader"
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 1
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    # Starting makes many objects and next to no garbage, and the cycle collector would
    # walk them all again and again meanwhile: tens of milliseconds before the reader's
    # first screen. It is off until a command starts its work, or the first screen is up.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _dispatch(_parse(argv))
    except SystemExit as leaving:  # --help and --version
        return leaving.code if isinstance(leaving.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        return _report(error)
    finally:
        if collecting:
            gc.enable()


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's arguments: a plain start of the reader read here, the rest by
    argparse (``cli_parser``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    plain = _plain_start(args)
    if plain is not None:
        return plain
    from newsreader.cli.parser import query_as_one_argument

    return full_parser().parse_args(query_as_one_argument(args))


def full_parser() -> argparse.ArgumentParser:
    """The whole command line, with the handlers of the commands run here."""
    from newsreader.cli.parser import build_parser

    handlers: dict[str, Handler] = {
        "feeds": _feeds,
        "articles": _articles,
        "show": _show,
        "search": _search,
        "searches": _searches,
        "programme": _programme,
    }
    return build_parser(handlers)


def _plain_start(args: list[str]) -> argparse.Namespace | None:
    """What argparse makes of a command line that only starts the reader, with at most
    ``--db PATH``, ``--config PATH`` and ``--image-cache DIR``; None for any other (argparse
    then reads it).

    Most starts are such, and building the full command line would cost them 15 ms.
    """
    options: dict[str, Path | None] = {"db": None, "config": None, "image_cache": None}
    rest = list(args)
    while rest:
        option, equals, value = rest.pop(0).partition("=")
        if option not in ("--db", "--config", "--image-cache"):
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None
        options[option.removeprefix("--").replace("-", "_")] = Path(value)
    # The attributes argparse would give; its Namespace class is not loaded for this.
    return cast("argparse.Namespace", SimpleNamespace(command=None, **options))


def _report(error: Exception) -> int:
    """Complain in one line about a problem the user can act on; anything else is a bug."""
    from newsreader.cli.output import CliError, complain
    from newsreader.feeds.feedfile import FeedError
    from newsreader.store.query import QuerySyntaxError
    from newsreader.store.schema import NewerStoreError

    if isinstance(error, CliError):
        complain(str(error))
        return error.status
    if isinstance(error, QuerySyntaxError):
        complain(f"query: {error}")
    elif isinstance(error, FeedError | NewerStoreError):
        complain(str(error))
    elif isinstance(error, sqlite3.Error):
        complain(f"the store could not be read: {error}")
    elif isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        complain(f"{where}{error.strerror or error}")
    else:
        raise error
    return EXIT_USAGE


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "config":  # needs no store, so never creates one or fails on one
        return _config(args)
    from newsreader.paths import default_db_path

    path: Path = args.db if args.db is not None else default_db_path()
    store = _open_store(path)
    try:
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            return _run_app(store, getattr(args, "config", None), args.image_cache)
        gc.enable()  # started: a command such as a refresh makes garbage of its own
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
        from newsreader.cli.output import CliError

        raise CliError(f"{path}: is a directory, not a store file")
    from newsreader.store.database import Store

    try:
        progress = None
        if _announce_upgrade(path):
            from newsreader.cli.upgrade_line import UpgradeLine

            progress = UpgradeLine()
        store = Store(path, upgrade_progress=progress)
        if progress is not None:
            progress.finish()
        return store
    except (sqlite3.Error, OSError) as error:
        from newsreader.cli.output import CliError

        raise CliError(f"{path}: cannot open the store: {error}") from None


# Stores at least this big say so before an upgrade, which takes about 0.2 ms an article.
UPGRADE_NOTICE_ARTICLES = 5_000


def _announce_upgrade(path: Path) -> bool:
    """One line on stderr before a long upgrade of an existing store, so a wait is
    explained; whether it was said (the upgrade then shows its progress)."""
    if not path.is_file():
        return False
    from newsreader.store.schema import upgrade_pending

    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        if not upgrade_pending(connection):
            return False
        count = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return False  # Store() reports what is wrong with the file
    finally:
        connection.close()
    if count >= UPGRADE_NOTICE_ARTICLES:
        print(
            f"newsreader: updating the store of {count:,} articles for this version; "
            "this happens once and can take a minute…",
            file=sys.stderr,
            flush=True,
        )
        return True
    return False


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _run_app(
    store: Store, config_option: Path | None = None, image_cache: Path | None = None
) -> int:
    """Start the full-screen reader on ``store`` with the settings file in effect.

    A bad settings file does not stop it: the app starts with the defaults for whatever it
    could not use, and says what that was.
    """
    from newsreader.config import config_path, load_config

    if not store.has_feeds():
        from newsreader.feeds.subscriptions import ensure_bundled_feed  # loads the feed parser

        ensure_bundled_feed(store)
    from newsreader.ui import first_screen

    first_screen.begin(store)  # the newest articles are read while Textual loads
    from newsreader.ui.app import NewsreaderApp  # Textual is loaded only for the app
    from newsreader.ui.graphics import probe_graphics

    loaded = load_config(config_path(config_option))
    # Asked before the app starts, which would take the terminal's answer for keys.
    graphics = probe_graphics(loaded.config.ui.images, os.environ)
    app = NewsreaderApp(
        store=store,
        config=loaded.config,
        config_problems=loaded.problems,
        graphics=graphics,
        image_cache=image_cache,
    )
    app.run()
    return app.return_code or EXIT_OK


# Subcommands. Each returns the exit status; problems are raised as CliError. Each imports
# the console output and the rest of what it needs itself, off the app's start-up path.


def _feeds(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.output import PIPE_TABLE_WIDTH, dump_json, emit, make_console
    from newsreader.cli.status import feeds_json, feeds_table
    from newsreader.feeds.fetchstate import feed_states
    from newsreader.feeds.subscriptions import ensure_bundled_feed

    ensure_bundled_feed(store)
    feeds = store.feeds()
    states = feed_states(store)
    if args.json:
        dump_json(feeds_json(feeds, states), sys.stdout)
    else:
        console = make_console(sys.stdout)
        width = console.width if console.is_terminal else PIPE_TABLE_WIDTH
        emit(console, feeds_table(feeds, states, width), rows=True)
    return EXIT_OK


def _articles(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.output import (
        CliError,
        articles_json,
        dump_json,
        emit,
        make_console,
    )
    from newsreader.cli.tables import articles_table
    from newsreader.feeds.subscriptions import ensure_bundled_feed

    ensure_bundled_feed(store)
    if args.feed is not None and store.feed(args.feed) is None:
        raise CliError(f"no feed with id {args.feed} (see: {PROG} feeds)")
    articles = store.articles(
        feed_id=args.feed, unread_only=args.unread, starred_only=args.starred, limit=args.limit
    )
    if args.json:
        dump_json(articles_json(articles), sys.stdout)
    elif articles:
        emit(make_console(sys.stdout), articles_table(articles), rows=True)
    return EXIT_OK


def _show(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.output import (
        CliError,
        article_json,
        article_renderables,
        dump_json,
        emit,
        make_console,
    )
    from newsreader.feeds.subscriptions import ensure_bundled_feed

    ensure_bundled_feed(store)
    article = store.article(args.article_id)
    if article is None:
        raise CliError(f"no article with id {args.article_id} (see: {PROG} articles)")
    status = EXIT_OK
    if args.full and article.body_source == "feed":
        from newsreader.cli.feeds import with_full_text

        article, status = with_full_text(store, article, getattr(args, "config", None))
    similar = [
        item
        for item in store.similar_articles(args.article_id)  # as many as the sidebar lists
        if item.article_id is not None
    ]
    if args.json:
        dump_json(article_json(article, similar), sys.stdout)
    else:
        console = make_console(sys.stdout)
        for part in article_renderables(article, similar):
            emit(console, part)
    return status


def _search(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.output import dump_json, emit, hits_json, hits_renderables, make_console
    from newsreader.feeds.subscriptions import ensure_bundled_feed
    from newsreader.store.query import SortOrder

    ensure_bundled_feed(store)
    hits = store.search(args.query, limit=args.limit, sort=SortOrder(args.sort))
    if args.save is not None:
        _save_search(store, args.save, args.query)
    if args.json:
        dump_json(hits_json(hits), sys.stdout)
        return EXIT_OK
    console = make_console(sys.stdout)
    if not hits:
        print("No matches.", file=sys.stderr)
    for part in hits_renderables(hits, styled=console.is_terminal):
        emit(console, part)
    return EXIT_OK


def _save_search(store: Store, name: str, query: str) -> None:
    from newsreader.cli.output import CliError
    from newsreader.store.query import QuerySyntaxError
    from newsreader.text.sanitize import clean_line

    wanted = clean_line(name).casefold()
    before = next((s for s in store.saved_searches() if s.name.casefold() == wanted), None)
    try:
        saved = store.save_search(name, query)
    except QuerySyntaxError:
        raise  # reported as a query problem
    except ValueError as error:  # no name
        raise CliError(str(error)) from None
    if before is None:
        print(f"Saved as {saved.name!r}.", file=sys.stderr)
    elif before.query == saved.query:
        print(
            f"Saved as {saved.name!r} (the same query was saved under it already).", file=sys.stderr
        )
    else:
        print(
            f"Saved as {saved.name!r}, replacing the saved search {before.name!r} "
            f"that was {before.query!r}.",
            file=sys.stderr,
        )


def _searches(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.output import (
        CliError,
        dump_json,
        emit,
        make_console,
        saved_searches_json,
    )
    from newsreader.cli.tables import saved_searches_table

    if args.searches_command == "remove":
        if not store.delete_search(args.name):
            raise CliError(f"no saved search named {args.name!r} (see: {PROG} searches)")
        return EXIT_OK
    saved = store.saved_searches()
    if args.json:
        dump_json(saved_searches_json(saved), sys.stdout)
    elif saved:
        emit(make_console(sys.stdout), saved_searches_table(saved), rows=True)
    else:
        print(
            f"No saved searches (save one with: {PROG} search QUERY --save NAME).", file=sys.stderr
        )
    return EXIT_OK


def _config(args: argparse.Namespace) -> int:
    from newsreader.cli.config_commands import config_command

    try:
        return config_command(args)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _programme(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.config_commands import programme_command

    return programme_command(args, store)
