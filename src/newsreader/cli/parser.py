"""The ``newsreader`` command line as argparse reads it: every command and option.

Built only when the command line asks for more than starting the reader (``cli`` reads
a plain start itself), since argparse and a dozen subcommands cost a start about 15 ms.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from newsreader import __version__
from newsreader.cli.output import PROG
from newsreader.cli.sync_parser import add_sync_parsers

if TYPE_CHECKING:
    from newsreader.store.database import Store

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
SEARCH_HELP = """The query is the rest of the line, so it needs no quotes: search vw -amazon.
Words are ANDed (a AND b says so); "a phrase", prefix*, a OR b and -exclude also work.
Words also find their other forms and spellings: Werke finds Werk, Strasse finds Straße.
Filters (put - before one to negate it):
  title:WORD            the word in the title
  feed:NAME             feeds whose title or address contains NAME ("quote spaces")
  author:NAME  tag:TAG  by author, by the feed's category
  folder:NAME           feeds in that folder or group (newsboat's tags)
  is:unread  is:read  is:starred
  since:7d  before:2019-03-01    also 2w, 3m, 1y
A query of filters alone lists the newest articles that pass them."""

Handler = Callable[[argparse.Namespace, "Store"], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        from newsreader.cli.output import CliError

        raise CliError(message)


def _feeds_command(name: str) -> Handler:
    """The ``cli_feeds`` command ``name``, imported when it runs: it loads the fetcher."""

    def handler(args: argparse.Namespace, store: Store) -> int:
        from newsreader.cli import feeds as cli_feeds

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


# The search command's own options; every other word after "search" is the query.
_SEARCH_VALUED = frozenset({"--sort", "--save", "--limit", "--db", "--config"})
_SEARCH_FLAGS = frozenset({"--json", "-h", "--help"})
_GLOBAL_VALUED = frozenset({"--db", "--config"})


def query_as_one_argument(args: list[str]) -> list[str]:
    """``args`` with the words of a ``search`` query joined into one argument after "--".

    The query is everything after ``search`` that is not one of its own options, so
    ``search -is:read`` and ``search vw -amazon --json`` need no quoting and no "--".
    Several words are joined with spaces; one that held spaces when the shell passed it
    ("industrial cloud") stays a phrase. Other commands' arguments pass unchanged.
    """
    position = 0
    while position < len(args):
        token = args[position]
        if token in _GLOBAL_VALUED:
            position += 2
        elif token.startswith("-"):
            position += 1
        else:
            break
    if position >= len(args) or args[position] != "search":
        return args
    options: list[str] = []
    words: list[str] = []
    rest = args[position + 1 :]
    index = 0
    while index < len(rest):
        token = rest[index]
        if token == "--":
            words += rest[index + 1 :]
            break
        if token in _SEARCH_FLAGS or ("=" in token and token.partition("=")[0] in _SEARCH_VALUED):
            options.append(token)
        elif token in _SEARCH_VALUED:
            options += rest[index : index + 2]
            index += 1
        else:
            words.append(token)
        index += 1
    if not words:
        return args[: position + 1] + options
    if len(words) > 1:
        words = [_as_phrase(word) for word in words]
    return [*args[: position + 1], *options, "--", " ".join(words)]


def _as_phrase(word: str) -> str:
    """A word the shell passed with spaces in it, quoted as a phrase unless it has quotes."""
    if '"' in word or len(word.split()) < 2:
        return word
    return f'"{word}"'


def build_parser(handlers: Mapping[str, Handler]) -> argparse.ArgumentParser:
    """The command line; ``--db`` is accepted before or after the subcommand.

    ``handlers`` run the commands that ``cli`` runs itself, by name.
    """
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
    parser.add_argument(
        "--image-cache",
        type=Path,
        metavar="DIR",
        help="where the reader keeps fetched pictures (default: $NEWSREADER_IMAGE_CACHE_DIR, "
        "else images/ in the user cache directory)",
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
    add.add_argument(
        "--account", metavar="NAME", help="subscribe through this sync account's server"
    )
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
        description="Unsubscribe from a feed; its articles go with it. A synced feed is "
        "unsubscribed on its server first.",
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

    _add_import(commands)

    feeds = commands.add_parser(
        "feeds", parents=[shared], help="list subscriptions with unread counts"
    )
    feeds.add_argument("--json", action="store_true", help="print JSON")
    feeds.set_defaults(handler=handlers["feeds"])

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
    articles.set_defaults(handler=handlers["articles"])

    show = commands.add_parser("show", parents=[shared], help="print one article")
    show.add_argument("article_id", type=_positive, metavar="ARTICLE_ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument(
        "--full",
        action="store_true",
        help="fetch the full text from the article's web page first, if the feed sent "
        "only a teaser and it is not stored yet",
    )
    show.set_defaults(handler=handlers["show"])

    search = commands.add_parser(
        "search",
        parents=[shared],
        help="full-text search",
        description=SEARCH_HELP,
        formatter_class=HELP_LAYOUT,
    )
    search.add_argument(
        "query",
        metavar="QUERY",
        help="what to look for: the rest of the line, -negations included",
    )
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
    search.set_defaults(handler=handlers["search"])

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
    searches.set_defaults(handler=handlers["searches"])

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
    programme.set_defaults(handler=handlers["programme"])
    add_sync_parsers(commands, shared, _Parser)
    return parser


def _import_newsboat(args: argparse.Namespace, store: Store) -> int:
    from newsreader.cli.newsboat import import_newsboat_command

    return import_newsboat_command(args, store)


def _add_import(commands: Any) -> None:
    """``import newsboat``: its own --config names newsboat's config file."""
    importer = commands.add_parser("import", help="move in from another reader (newsboat)")
    sources = importer.add_subparsers(dest="import_source", metavar="READER", required=True)
    newsboat = sources.add_parser(
        "newsboat",
        help="subscriptions, articles, read state, query feeds and keys from newsboat",
        description="Import newsboat's urls file (feeds, tags as groups, ~titles, hidden "
        "feeds, query feeds as saved searches), its cache (articles, read state, flags, "
        "deletions, ETag and Last-Modified) and the bind-key lines of its config. Without "
        "options the files are found where newsboat looks (~/.newsboat/, else the XDG "
        "directories). exec: and filter: lines are never run nor imported. newsreader's "
        "own settings file is named before the command: newsreader --config PATH import ...",
        epilog=EXIT_STATUS_HELP,
        formatter_class=HELP_LAYOUT,
    )
    newsboat.add_argument(
        "--db", type=Path, metavar="PATH", default=argparse.SUPPRESS, help="the store file"
    )
    newsboat.add_argument("--urls", metavar="FILE", help="newsboat's urls file")
    newsboat.add_argument("--cache", metavar="FILE", help="newsboat's cache.db")
    newsboat.add_argument(
        "--config", dest="newsboat_config", metavar="FILE", help="newsboat's config file"
    )
    newsboat.add_argument("--dry-run", action="store_true", help="show what would change")
    newsboat.add_argument("--json", action="store_true", help="print the report as JSON")
    newsboat.set_defaults(handler=_import_newsboat)
