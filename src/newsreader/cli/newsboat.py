"""``newsreader import newsboat``: move in from newsboat, and say what came over and what not.

The store changes in one transaction (none with ``--dry-run``). newsboat's bind-key lines
go into the settings file's ``[keymap]``, with the newsboat preset, only when that file has
no ``[keymap]`` yet; otherwise the lines to add are printed and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

from rich.text import Text

from newsreader.cli.output import EXIT_FAILED, EXIT_OK, CliError, make_console
from newsreader.config import config_path
from newsreader.config_values import toml_key, toml_value
from newsreader.feeds.newsboat_cache import NewsboatCache, NewsboatCacheError, read_cache
from newsreader.feeds.newsboat_config import parse_config
from newsreader.feeds.newsboat_import import (
    NewsboatImport,
    Skipped,
    default_files,
    import_newsboat,
)
from newsreader.feeds.newsboat_urls import parse_urls
from newsreader.store.database import Store

MAX_TEXT_BYTES = 4 * 1024 * 1024


def _read_text(path: Path, what: str) -> str:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TEXT_BYTES + 1)
    except FileNotFoundError:
        raise CliError(f"{path}: no newsboat {what} file here", status=EXIT_FAILED) from None
    except OSError as error:
        raise CliError(f"{path}: {error.strerror or error}", status=EXIT_FAILED) from None
    if len(data) > MAX_TEXT_BYTES:
        raise CliError(f"{path}: larger than a {what} file can be", status=EXIT_FAILED)
    return data.decode("utf-8", "replace")


def _keymap_lines(keymap: dict[str, str]) -> list[str]:
    return ['preset = "newsboat"', *(f"{toml_key(k)} = {toml_value(v)}" for k, v in keymap.items())]


def _write_keymap(path: Path, keymap: dict[str, str]) -> str:
    """Append ``[keymap]`` to the settings file unless it has one: "written", "present"
    (it holds these bindings already) or "kept" (it has a keymap of its own)."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "kept"
    if "keymap" in document:
        wanted = {"preset": "newsboat", **keymap}
        have = document["keymap"]
        return "present" if all(have.get(k) == v for k, v in wanted.items()) else "kept"
    block = "\n".join(["[keymap]", *_keymap_lines(keymap)]) + "\n"
    separator = "\n" if text and not text.endswith("\n\n") else ""
    if text and not text.endswith("\n"):
        separator = "\n\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(separator + block)
    return "written"


def _print(line: Text) -> None:
    make_console(sys.stdout).print(line, soft_wrap=True)


def _print_report(report: NewsboatImport, *, dry_run: bool, keys: str, settings: Path) -> None:
    verb = "Would import" if dry_run else "Imported"
    new = sum(feed.new for feed in report.feeds)
    _print(Text(f"{verb} {len(report.feeds)} feeds with {new} new articles:"))
    for feed in report.feeds:
        details = [f"{feed.new} new", f"{feed.read} read", f"{feed.starred} starred"]
        if feed.flagged:
            details.append(f"{feed.flagged} flagged")
        if feed.deleted:
            details.append(f"{feed.deleted} deleted stay deleted")
        if feed.groups:
            details.append("groups: " + ", ".join(feed.groups))
        if feed.hidden:
            details.append("hidden")
        _print(Text.assemble("  ", (feed.title, "bold"), f" <{feed.url}>: " + "; ".join(details)))
    for search in report.searches:
        if search.query is None:
            _print(
                Text.assemble("  query ", (search.name, "bold"), f": not imported: {search.reason}")
            )
            continue
        _print(
            Text.assemble("  query ", (search.name, "bold"), f": {search.state} as {search.query}")
        )
        for note in search.notes:
            _print(Text(f"    note: {note}"))
    if keys == "present":
        _print(Text(f"Key bindings: already in {settings}."))
    elif report.keymap or keys == "written":
        where = {"written": "written to", "kept": "add these to [keymap] in"}.get(keys, "for")
        _print(Text(f"Key bindings {where} {settings}:"))
        for line in _keymap_lines(report.keymap):
            _print(Text("  " + line))
    if report.skipped:
        _print(Text(f"Not imported ({len(report.skipped)}):"))
    for item in report.skipped:
        where = f"{item.source}:{item.line}" if item.line else item.source
        _print(Text(f"  {where}: {item.text}: {item.reason}"))
    if not dry_run and not report.changed:
        _print(Text("Nothing changed: everything was imported before."))


def import_newsboat_command(args: argparse.Namespace, store: Store) -> int:
    """Read newsboat's files where newsboat keeps them, unless named."""
    found = default_files()
    urls_path = Path(args.urls).expanduser() if args.urls else found.urls
    cache_path = Path(args.cache).expanduser() if args.cache else found.cache
    config_file = Path(args.newsboat_config).expanduser() if args.newsboat_config else found.config
    urls = parse_urls(_read_text(urls_path, "urls"))
    cache: NewsboatCache | None = None
    if args.cache or cache_path.exists():
        try:
            cache = read_cache(cache_path)
        except NewsboatCacheError as error:
            raise CliError(str(error), status=EXIT_FAILED) from None
    config_text = None
    if args.newsboat_config or config_file.exists():
        config_text = _read_text(config_file, "config")
    report = import_newsboat(store, urls, cache, dry_run=args.dry_run)
    if config_text is not None:
        keys = parse_config(config_text)
        report.keymap = keys.keymap
        report.skipped += [Skipped("config", s.line, s.text, s.reason) for s in keys.skipped]
    settings = config_path(args.config)
    keymap_state = "none"
    if config_text is not None and not args.dry_run:
        keymap_state = _write_keymap(settings, report.keymap)
    if args.json:
        written = keymap_state == "written"
        sys.stdout.write(report_json(report, dry_run=args.dry_run, keymap_written=written) + "\n")
    else:
        _print_report(report, dry_run=args.dry_run, keys=keymap_state, settings=settings)
    return EXIT_OK


def report_json(report: NewsboatImport, *, dry_run: bool, keymap_written: bool) -> str:
    """The import as the CLI's ``--json`` prints it (fields documented in the README)."""
    return json.dumps(
        {
            "dry_run": dry_run,
            "changed": report.changed and not dry_run,
            "feeds": [
                {
                    "id": None if dry_run else feed.id,
                    "url": feed.url,
                    "title": feed.title,
                    "groups": list(feed.groups),
                    "hidden": feed.hidden,
                    "new": feed.new,
                    "unchanged": feed.unchanged,
                    "read": feed.read,
                    "starred": feed.starred,
                    "flagged": feed.flagged,
                    "deleted": feed.deleted,
                }
                for feed in report.feeds
            ],
            "searches": [
                {
                    "name": search.name,
                    "expression": search.expression,
                    "query": search.query,
                    "state": search.state,
                    "reason": search.reason,
                    "notes": list(search.notes),
                }
                for search in report.searches
            ],
            "keymap": report.keymap,
            "keymap_written": keymap_written,
            "skipped": [
                {"file": s.source, "line": s.line, "text": s.text, "reason": s.reason}
                for s in report.skipped
            ],
        },
        ensure_ascii=False,
        indent=2,
    )
