"""The ``newsreader`` command: start the app, or subscribe, refresh, list, show and search.

Anything a user can get wrong ends in one line on stderr and exit status 2, never a
traceback or a usage dump; a feed that cannot be fetched or parsed gives exit status 1.
Each path imports only what it needs: starting the app loads the store and Textual, not
the fetcher, the feed parser or the console output of the subcommands; the subcommands
load those in their handlers and never load Textual, so they stay quick and work where no
full-screen terminal is available.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from newsreader import __version__

if TYPE_CHECKING:
    from newsreader.store import Store

# The same values as in cli_output, which is not loaded to start the app.
PROG = "newsreader"
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 1
EXIT_INTERRUPTED = 130
DEFAULT_ARTICLE_LIMIT = 500
DEFAULT_SEARCH_LIMIT = 50
FEED_HELP = "a feed's id, its exact URL or path, or its title (in any case)"
EXIT_STATUS_HELP = """exit status:
  0  everything worked (a feed skipped or not modified counts as working)
  1  a feed or file could not be fetched, read or parsed
  2  a mistake on the command line: an unknown command, option or FEED, a missing file"""
CONFIG_EXIT_HELP = """exit status:
  0  done; `show` lists problems with the file on stderr and still exits 0
  1  `edit`: the edited file has problems (listed on stderr), or the editor failed
  2  a mistake on the command line, or the editor could not be started"""
HELP_LAYOUT = argparse.RawDescriptionHelpFormatter
SEARCH_HELP = """Words are ANDed; "a phrase", prefix*, a OR b and -exclude also work.
Words also find their other forms and spellings: Werke finds Werk, Strasse finds Straße.
Filters (put - before one to negate it):
  title:WORD            the word in the title
  feed:NAME             feeds whose title or address contains NAME ("quote spaces")
  author:NAME  tag:TAG  by author, by the feed's category
  is:unread  is:read  is:starred
  since:7d  before:2019-03-01    also 2w, 3m, 1y
A query of filters alone lists the newest articles that pass them."""

Handler = Callable[[argparse.Namespace, "Store"], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        from newsreader.cli_output import CliError

        raise CliError(message)


def _feeds_command(name: str) -> Handler:
    """The ``cli_feeds`` command ``name``, imported when it runs: it loads the fetcher."""

    def handler(args: argparse.Namespace, store: Store) -> int:
        from newsreader import cli_feeds

        command: Handler = getattr(cli_feeds, name)
        return command(args, store)

    return handler


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
        epilog=EXIT_STATUS_HELP,
        formatter_class=HELP_LAYOUT,
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the store file (default: $NEWSREADER_DB, else one in the user data directory)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="the settings file (default: $NEWSREADER_CONFIG, else config.toml in the user "
        "config directory)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # Subcommands accept --db and --config too, without overriding ones given before them.
    shared = _Parser(add_help=False)
    shared.add_argument(
        "--db", type=Path, metavar="PATH", default=argparse.SUPPRESS, help="the store file"
    )
    shared.add_argument(
        "--config", type=Path, metavar="PATH", default=argparse.SUPPRESS, help="the settings file"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    add = commands.add_parser(
        "add",
        parents=[shared],
        help="subscribe to feeds and fetch them",
        description="Subscribe to RSS or Atom feeds at http(s) URLs or in local files, and "
        "fetch them at once, under each feed's own title. A source that cannot be fetched "
        "or parsed is reported and not subscribed; adding a feed again refreshes it.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=HELP_LAYOUT,
    )
    add.add_argument("sources", nargs="+", metavar="SOURCE", help="a feed URL or file")
    add.set_defaults(handler=_feeds_command("add"))

    refresh = commands.add_parser(
        "refresh",
        parents=[shared],
        help="fetch every subscription, or the named ones",
        description="Fetch feeds concurrently and say, per feed, how many articles were new, "
        "updated or unchanged, or why it failed. A progress bar shows on a terminal.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=HELP_LAYOUT,
    )
    refresh.add_argument("feeds", nargs="*", metavar="FEED", help=FEED_HELP)
    refresh.add_argument("--json", action="store_true", help="print the summary as JSON")
    refresh.set_defaults(handler=_feeds_command("refresh_command"))

    remove = commands.add_parser(
        "remove",
        parents=[shared],
        help="unsubscribe from a feed",
        description="Unsubscribe from a feed; its articles go with it.",
    )
    remove.add_argument("feed", metavar="FEED", help=FEED_HELP)
    remove.set_defaults(handler=_feeds_command("remove"))

    opml = commands.add_parser(
        "opml", parents=[shared], help="import or export subscriptions as OPML"
    )
    opml_commands = opml.add_subparsers(dest="opml_command", metavar="ACTION", required=True)
    opml_import = opml_commands.add_parser(
        "import",
        parents=[shared],
        help="subscribe to the feeds in an OPML file",
        description="Subscribe to every http(s) feed an OPML file lists, folders included. "
        "Nothing is fetched until the next refresh. Other outlines are listed and ignored.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=HELP_LAYOUT,
    )
    opml_import.add_argument("file", metavar="FILE", help='an OPML file ("-": stdin)')
    opml_import.set_defaults(handler=_feeds_command("opml_import"))
    opml_export = opml_commands.add_parser(
        "export",
        parents=[shared],
        help="write every http(s) subscription as OPML",
        description="Write the http(s) subscriptions and their folders as OPML 2.0. "
        "Local files are left out: other readers could not open them.",
    )
    opml_export.add_argument(
        "file", nargs="?", metavar="FILE", help="where to write it (default: stdout)"
    )
    opml_export.set_defaults(handler=_feeds_command("opml_export"))

    feeds = commands.add_parser(
        "feeds", parents=[shared], help="list subscriptions with unread counts"
    )
    feeds.add_argument("--json", action="store_true", help="print JSON")
    feeds.set_defaults(handler=_feeds)

    articles = commands.add_parser("articles", parents=[shared], help="list articles, newest first")
    articles.add_argument("--feed", type=_positive, metavar="ID", help="only this feed's")
    articles.add_argument("--unread", action="store_true", help="only unread articles")
    articles.add_argument("--starred", action="store_true", help="only starred articles")
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
        description=SEARCH_HELP,
        formatter_class=HELP_LAYOUT,
    )
    search.add_argument("query", metavar="QUERY", help="what to look for (quote it in the shell)")
    search.add_argument(
        "--sort",
        choices=("relevance", "date"),
        default="relevance",
        help="best matches first (the default), or newest first",
    )
    search.add_argument(
        "--save", metavar="NAME", help="also keep the query as a saved search called NAME"
    )
    search.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_SEARCH_LIMIT,
        metavar="N",
        help=f"at most N hits (default {DEFAULT_SEARCH_LIMIT})",
    )
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(handler=_search)

    searches = commands.add_parser(
        "searches",
        parents=[shared],
        help="list saved searches with unread counts, or remove one",
        description="Saved searches (made with `search --save NAME`) and how many articles "
        "match each now, unread and in all.",
    )
    searches.add_argument("--json", action="store_true", help="print JSON")
    searches_commands = searches.add_subparsers(dest="searches_command", metavar="ACTION")
    searches_remove = searches_commands.add_parser(
        "remove", parents=[shared], help="remove a saved search"
    )
    searches_remove.add_argument("name", metavar="NAME", help="the saved search's name")
    searches.set_defaults(handler=_searches)

    config = commands.add_parser(
        "config",
        parents=[shared],
        help="print, check or edit the settings file",
        description="path: print the settings file's path. show: print the settings in "
        "effect as TOML, then any problems with the file. edit: open the file in $VISUAL "
        "or $EDITOR (a commented template if it is new), then check it.",
        epilog=CONFIG_EXIT_HELP,
        formatter_class=HELP_LAYOUT,
    )
    config.add_argument(
        "config_action",
        choices=("path", "show", "edit"),
        metavar="ACTION",
        help="path, show or edit",
    )

    programme = commands.add_parser(
        "programme",
        parents=[shared],
        help="list the broadcasts the stories name, or export them as a calendar",
        description="List every slot on air that a story names, upcoming and past. "
        "With --ics, write them as an iCalendar file instead, times in Europe/Berlin, "
        "each 30 minutes long.",
    )
    programme_output = programme.add_mutually_exclusive_group()
    programme_output.add_argument(
        "--ics", metavar="FILE", help='write an iCalendar (.ics) file ("-": stdout)'
    )
    programme_output.add_argument("--json", action="store_true", help="print JSON")
    programme.set_defaults(handler=_programme)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    # Starting makes many objects and next to no garbage, and the cycle collector would
    # walk them all again and again meanwhile: tens of milliseconds before the reader's
    # first screen. It is off until a command starts its work, or the first screen is up.
    collecting = gc.isenabled()
    gc.disable()
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except SystemExit as leaving:  # --help and --version
        return leaving.code if isinstance(leaving.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        return _report(error)
    finally:
        if collecting:
            gc.enable()


def _report(error: Exception) -> int:
    """Complain in one line about a problem the user can act on; anything else is a bug."""
    from newsreader.cli_output import CliError, complain
    from newsreader.ingest import FeedError  # loaded by then if a feed failed to parse
    from newsreader.schema import NewerStoreError
    from newsreader.search import QuerySyntaxError

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
            return _run_app(store, getattr(args, "config", None))
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
        from newsreader.cli_output import CliError

        raise CliError(f"{path}: is a directory, not a store file")
    from newsreader.store import Store

    try:
        _announce_upgrade(path)
        return Store(path)
    except (sqlite3.Error, OSError) as error:
        from newsreader.cli_output import CliError

        raise CliError(f"{path}: cannot open the store: {error}") from None


# Stores at least this big say so before an upgrade, which takes about 0.2 ms an article.
UPGRADE_NOTICE_ARTICLES = 5_000


def _announce_upgrade(path: Path) -> None:
    """One line on stderr before a long upgrade of an existing store, so a wait is explained."""
    if not path.is_file():
        return
    from newsreader.schema import upgrade_pending

    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        if not upgrade_pending(connection):
            return
        count = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return  # Store() reports what is wrong with the file
    finally:
        connection.close()
    if count >= UPGRADE_NOTICE_ARTICLES:
        print(
            f"newsreader: updating the store of {count:,} articles for this version; "
            "this happens once and can take a minute…",
            file=sys.stderr,
            flush=True,
        )


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _run_app(store: Store, config_option: Path | None = None) -> int:
    """Start the full-screen reader on ``store`` with the settings file in effect.

    A bad settings file does not stop it: the app starts with the defaults for whatever it
    could not use, and says what that was.
    """
    from newsreader.config import config_path, load_config

    if not store.has_feeds():
        from newsreader.subscriptions import ensure_bundled_feed  # loads the feed parser

        ensure_bundled_feed(store)
    from newsreader.ui import first_screen

    first_screen.begin(store)  # the newest articles are read while Textual loads
    from newsreader.ui.app import NewsreaderApp  # Textual is loaded only for the app

    loaded = load_config(config_path(config_option))
    app = NewsreaderApp(store=store, config=loaded.config, config_problems=loaded.problems)
    app.run()
    return app.return_code or EXIT_OK


# Subcommands. Each returns the exit status; problems are raised as CliError. Each imports
# the console output and the rest of what it needs itself, off the app's start-up path.


def _feeds(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli_output import dump_json, emit, make_console
    from newsreader.cli_status import feeds_json, feeds_table
    from newsreader.fetchstate import feed_states
    from newsreader.subscriptions import ensure_bundled_feed

    ensure_bundled_feed(store)
    feeds = store.feeds()
    states = feed_states(store)
    if args.json:
        dump_json(feeds_json(feeds, states), sys.stdout)
    else:
        emit(make_console(sys.stdout), feeds_table(feeds, states))
    return EXIT_OK


def _articles(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli_output import (
        CliError,
        articles_json,
        articles_table,
        dump_json,
        emit,
        make_console,
    )
    from newsreader.subscriptions import ensure_bundled_feed

    ensure_bundled_feed(store)
    if args.feed is not None and store.feed(args.feed) is None:
        raise CliError(f"no feed with id {args.feed} (see: {PROG} feeds)")
    articles = store.articles(
        feed_id=args.feed, unread_only=args.unread, starred_only=args.starred, limit=args.limit
    )
    if args.json:
        dump_json(articles_json(articles), sys.stdout)
    elif articles:
        emit(make_console(sys.stdout), articles_table(articles))
    return EXIT_OK


def _show(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli_output import (
        CliError,
        article_json,
        article_renderables,
        dump_json,
        emit,
        make_console,
    )
    from newsreader.subscriptions import ensure_bundled_feed

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
    from newsreader.cli_output import dump_json, emit, hits_json, hits_renderables, make_console
    from newsreader.search import SortOrder
    from newsreader.subscriptions import ensure_bundled_feed

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
    from newsreader.cli_output import CliError
    from newsreader.search import QuerySyntaxError

    try:
        saved = store.save_search(name, query)
    except QuerySyntaxError:
        raise  # reported as a query problem
    except ValueError as error:  # no name
        raise CliError(str(error)) from None
    print(f"Saved as {saved.name!r}.", file=sys.stderr)


def _searches(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli_output import (
        CliError,
        dump_json,
        emit,
        make_console,
        saved_searches_json,
        saved_searches_table,
    )

    if args.searches_command == "remove":
        if not store.delete_search(args.name):
            raise CliError(f"no saved search named {args.name!r} (see: {PROG} searches)")
        return EXIT_OK
    saved = store.saved_searches()
    if args.json:
        dump_json(saved_searches_json(saved), sys.stdout)
    elif saved:
        emit(make_console(sys.stdout), saved_searches_table(saved))
    else:
        print(
            f"No saved searches (save one with: {PROG} search QUERY --save NAME).", file=sys.stderr
        )
    return EXIT_OK


def _config(args: argparse.Namespace) -> int:
    from newsreader.cli_config import config_command

    try:
        return config_command(args)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _programme(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli_config import programme_command

    return programme_command(args, store)
