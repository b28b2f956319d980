"""The command line of ``sync`` and ``mark``: read here, run in ``sync_commands``.

Kept light: the sync machinery (httpx, the clients) loads only when a command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.store.database import Store

SYNC_HELP = """Pull from each account's server its feeds (categories become groups), new
articles and read/starred state, then push the read, unread, star and unstar changes
made here. A change made here that the server has not got yet wins over the server's
state for that article.

exit status:
  0  every account synced
  1  an account could not be synced (wrong password, server gone, an error answer...)
  2  a mistake on the command line"""

PASSWORD_HELP = (
    "a command that prints the password on its standard output; split like shell words "
    "but never run by a shell. The password is never stored."
)


def _run(name: str) -> Any:
    def handler(args: argparse.Namespace, store: Store) -> int:
        from newsreader.cli import sync_commands

        command: Any = getattr(sync_commands, name)
        result: int = command(args, store)
        return result

    return handler


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def add_sync_parsers(commands: Any, shared: argparse.ArgumentParser, parser_class: Any) -> None:
    """Add ``sync`` (with add, list and remove) and ``mark`` to the subcommands."""
    sync = commands.add_parser(
        "sync",
        parents=[shared],
        help="sync with Tiny Tiny RSS or Fever accounts",
        description=SYNC_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sync.add_argument("--json", action="store_true", help="print the summary as JSON")
    sync.add_argument("--account", metavar="NAME", help="sync only this account")
    sync.set_defaults(handler=_run("sync_command"))
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION", parser_class=parser_class)
    add = actions.add_parser("add", parents=[shared], help="add an account")
    add.add_argument("kind", choices=("ttrss", "fever"), help="ttrss or fever")
    add.add_argument("url", metavar="URL", help="the server's address (for Fever, the API's)")
    add.add_argument("--user", required=True, help="the user name (Fever: the email)")
    add.add_argument("--password-command", required=True, metavar="CMD", help=PASSWORD_HELP)
    add.add_argument("--name", help="what to call the account (default: the server's host)")
    listing = actions.add_parser("list", parents=[shared], help="list the accounts")
    listing.add_argument("--json", action="store_true", help="print JSON")
    remove = actions.add_parser(
        "remove", parents=[shared], help="forget an account and what was synced from it"
    )
    remove.add_argument("name", metavar="NAME")

    mark = commands.add_parser(
        "mark",
        parents=[shared],
        help="mark articles read, unread, starred or not",
        description="Set articles' state. On a synced article the change is queued and "
        "the next sync pushes it to the server.",
    )
    mark.add_argument("ids", nargs="+", type=_positive, metavar="ID")
    state = mark.add_mutually_exclusive_group(required=True)
    for name in ("read", "unread", "star", "unstar"):
        state.add_argument(
            f"--{name}", dest="state", action="store_const", const=name, help=f"mark {name}"
        )
    mark.set_defaults(handler=_run("mark"))
