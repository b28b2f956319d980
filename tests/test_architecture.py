"""The core must stay usable without the UI toolkit."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "newsreader.models",
    "newsreader.text.sanitize",
    "newsreader.text.htmltext",
    "newsreader.feeds.extension",
    "newsreader.feeds.ingest",
    "newsreader.store.schema",
    "newsreader.store.database",
    "newsreader.store.query",
    "newsreader.paths",
    "newsreader.feeds.bundled",
    "newsreader.feeds.subscriptions",
    "newsreader.store.rows",
    "newsreader.feeds.fetch",
    "newsreader.feeds.fetchstate",
    "newsreader.feeds.refresh",
    "newsreader.feeds.opml",
    "newsreader.config",
    "newsreader.launch",
    "newsreader.store.programme",
    "newsreader.text.wordforms",
    "newsreader.store.snippets",
    "newsreader.store.search",
    "newsreader.store.item_search",
    "newsreader.store.saved",
    "newsreader.store.related",
    "newsreader.store.stories",
    "newsreader.store.prepare",
    "newsreader.store.grouped_writes",
    "newsreader.feeds.fetch_settings",
]


def test_core_modules_import_neither_textual_nor_rich() -> None:
    imports = "; ".join(f"import {module}" for module in CORE_MODULES)
    check = (
        f"{imports}; import sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'} "
        "or m.startswith('newsreader.ui')); print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_first_screen_read_starts_before_textual_is_loaded() -> None:
    """``first_screen`` reads the newest articles while Textual loads: it cannot, if
    importing it loads Textual first."""
    check = (
        "import newsreader.ui.first_screen, sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}); "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


# What the reader's first screen does without: each is imported where it is first used.
NOT_ON_THE_START_UP_PATH = [
    "newsreader.feeds.fetch",  # the fetcher: a refresh
    "newsreader.feeds.refresh",
    "newsreader.feeds.ingest",  # the feed parser
    "feedparser",
    "newsreader.store.prepare",  # storing articles
    "newsreader.store.related",  # the sidebar's similar stories, in a worker
    "httpx",
    "hashlib",
    "tomllib",  # only when there is a settings file
    "newsreader.ui.screens.search",  # the other screens: when they open
    "newsreader.ui.screens.help",
    "newsreader.ui.screens.links",
]


def test_starting_the_reader_leaves_refresh_parsing_and_storing_unloaded() -> None:
    check = (
        "import newsreader.cli.main, newsreader.config, newsreader.ui.first_screen, "
        "newsreader.ui.app, sys; "
        "from newsreader.config import Config; from newsreader.store.database import Store; "
        "import tempfile, pathlib; "
        "store = Store(pathlib.Path(tempfile.mkdtemp()) / 'start.sqlite3'); "
        "newsreader.ui.app.NewsreaderApp(store=store, config=Config()); "
        f"loaded = sorted(m for m in {NOT_ON_THE_START_UP_PATH!r} if m in sys.modules); "
        "print(loaded); raise SystemExit(1 if loaded else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
