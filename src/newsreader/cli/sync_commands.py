"""The sync commands: ``sync add|list|remove``, ``sync`` itself and ``mark``.

A failed sync is one line on stderr (the server's host and what went wrong, never a
password or an api key) and exit status 1; what the store held stays as it was.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsreader.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    complain,
    dump_json,
)
from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.sync import engine
from newsreader.sync.errors import SyncError
from newsreader.sync.http import host_of
from newsreader.text.sanitize import clean_line, openable_url


def _say(text: str) -> None:
    print(clean_line(text, limit=1_000))


def sync_command(args: argparse.Namespace, store: Store) -> int:
    """Route ``sync`` and its subcommands."""
    action = getattr(args, "sync_command", None)
    if action == "add":
        return add_account(args, store)
    if action == "list":
        return list_accounts(args, store)
    if action == "remove":
        return remove_account(args, store)
    return sync_all(args, store)


def add_account(args: argparse.Namespace, store: Store) -> int:
    """Remember an account after one login proves the address, user and password work."""
    url = openable_url(args.url)
    if url is None:
        raise CliError(f"not an http(s) address: {clean_line(args.url, limit=200)!r}")
    name = args.name or host_of(url)
    if sync_state.account(store, name) is not None:
        raise CliError(f"an account named {name!r} exists already (see: newsreader sync list)")
    probe = sync_state.Account(0, name, args.kind, url, args.user, args.password_command, 0, None)
    client = engine.make_client(probe)
    try:
        client.login()
    except SyncError as error:
        complain(f"{name}: {error}")
        return EXIT_FAILED
    finally:
        client.close()
    sync_state.add_account(store, name, args.kind, url, args.user, args.password_command)
    _say(f"Added {args.kind} account {name} ({url}); run: newsreader sync")
    return EXIT_OK


def account_json(account: sync_state.Account) -> dict[str, Any]:
    return {
        "name": account.name,
        "kind": account.kind,
        "url": account.url,
        "user": account.user,
        "feeds": account.feeds,
        "queued": account.queued,
        "last_sync": account.last_sync,
    }


def list_accounts(args: argparse.Namespace, store: Store) -> int:
    accounts = sync_state.accounts(store)
    if args.json:
        dump_json([account_json(account) for account in accounts], sys.stdout)
        return EXIT_OK
    if not accounts:
        _say("No accounts. Add one with: newsreader sync add ttrss|fever URL --user NAME ...")
    for account in accounts:
        last = account.last_sync or "never"
        _say(
            f"{account.name}  {account.kind}  {account.url}  user {account.user}  "
            f"{account.feeds} feeds  {account.queued} changes queued  last sync {last}"
        )
    return EXIT_OK


def remove_account(args: argparse.Namespace, store: Store) -> int:
    if not sync_state.remove_account(store, args.name):
        raise CliError(f"no account named {args.name!r} (see: newsreader sync list)")
    _say(f"Removed account {args.name} with its feeds and articles here (the server keeps them)")
    return EXIT_OK


def report_json(report: engine.SyncReport) -> dict[str, Any]:
    return {
        "account": report.account,
        "ok": report.error is None,
        "error": report.error,
        "feeds": report.feeds,
        "groups": report.groups,
        "new": report.new,
        "state_changes": report.state_changes,
        "pushed": report.pushed,
        "requests": report.requests,
    }


def _progress_line(name: str) -> engine.Progress:
    """A progress line on stderr, redrawn in place, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return lambda _what, _count: None

    def show(what: str, count: int) -> None:
        sys.stderr.write(f"\r\x1b[K{name}: {what} ({count} new)")
        sys.stderr.flush()

    return show


def sync_all(args: argparse.Namespace, store: Store) -> int:
    """Sync every account (or the one named); exit 1 if any failed."""
    names = [account.name for account in sync_state.accounts(store)]
    if args.account:
        if args.account not in names:
            raise CliError(f"no account named {args.account!r} (see: newsreader sync list)")
        names = [args.account]
    if not names and not args.json:
        _say("No accounts to sync. Add one with: newsreader sync add ttrss|fever URL ...")
    reports: list[engine.SyncReport] = []
    for name in names:
        progress = _progress_line(name) if not args.json else (lambda _w, _c: None)
        try:
            report = engine.sync_account(store, name, progress=progress)
        except SyncError as error:
            report = engine.SyncReport(name, error=str(error))
        finally:
            if sys.stderr.isatty() and not args.json:
                sys.stderr.write("\r\x1b[K")
        reports.append(report)
    if args.json:
        dump_json([report_json(report) for report in reports], sys.stdout)
    for report in reports:
        if report.error is not None:
            if not args.json:
                complain(f"{report.account}: {report.error}")
        elif not args.json:
            _say(
                f"{report.account}: {report.feeds} feeds, {report.new} new articles, "
                f"{report.state_changes} read/star changes pulled, {report.pushed} pushed"
            )
    return EXIT_FAILED if any(report.error for report in reports) else EXIT_OK


def mark(args: argparse.Namespace, store: Store) -> int:
    """Set read or star state; on a synced article the change is queued for the next sync."""
    field, value = {
        "read": ("read", True),
        "unread": ("read", False),
        "star": ("starred", True),
        "unstar": ("starred", False),
    }[args.state]
    missing = [article_id for article_id in args.ids if store.article(article_id) is None]
    if missing:
        raise CliError(f"no article with the id {missing[0]} (see: newsreader articles)")
    changed = 0
    queued_before = sum(account.queued for account in sync_state.accounts(store))
    for article_id in args.ids:
        if field == "read":
            changed += len(store.set_read(article_id, value))
        else:
            changed += len(store.set_starred(article_id, value))
    queued = sum(account.queued for account in sync_state.accounts(store)) - queued_before
    note = f"; {queued} queued for the next sync" if queued else ""
    _say(f"Marked {len(args.ids)} {'article' if len(args.ids) == 1 else 'articles'} "
         f"{args.state} ({changed} changed, copies included){note}")  # fmt: skip
    return EXIT_OK


def subscribe_through(args: argparse.Namespace, store: Store) -> int:
    """``add URL... --account NAME``: subscribe on the account's server, then sync."""
    if sync_state.account(store, args.account) is None:
        raise CliError(f"no account named {args.account!r} (see: newsreader sync list)")
    for source in args.sources:
        url = openable_url(source)
        if url is None:
            raise CliError(f"not an http(s) address: {clean_line(source, limit=200)!r}")
        try:
            report = engine.subscribe(store, args.account, url)
        except SyncError as error:
            complain(f"{args.account}: {error}")
            return EXIT_FAILED
        _say(f"Subscribed to {url} on {args.account}; {report.feeds} feeds there now")
    return EXIT_OK


def unsubscribe_through(store: Store, feed_id: int) -> int:
    """``remove FEED`` of a synced feed: unsubscribe on its server, then here."""
    try:
        engine.unsubscribe(store, feed_id)
    except SyncError as error:
        complain(str(error))
        return EXIT_FAILED
    return EXIT_OK
