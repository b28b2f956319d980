"""The core must stay usable without the UI toolkit."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "newsreader.models",
    "newsreader.sanitize",
    "newsreader.htmltext",
    "newsreader.extension",
    "newsreader.ingest",
    "newsreader.schema",
    "newsreader.store",
    "newsreader.search",
    "newsreader.paths",
    "newsreader.bundled",
    "newsreader.subscriptions",
    "newsreader.store_rows",
    "newsreader.fetch",
    "newsreader.fetchstate",
    "newsreader.refresh",
    "newsreader.opml",
    "newsreader.config",
    "newsreader.launch",
    "newsreader.programme",
    "newsreader.wordforms",
    "newsreader.snippets",
    "newsreader.store_search",
    "newsreader.item_search",
    "newsreader.store_saved",
    "newsreader.related",
    "newsreader.stories",
    "newsreader.prepare",
    "newsreader.grouped_writes",
    "newsreader.fetch_settings",
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
    "newsreader.fetch",  # the fetcher: a refresh
    "newsreader.refresh",
    "newsreader.ingest",  # the feed parser
    "feedparser",
    "newsreader.prepare",  # storing articles
    "newsreader.related",  # the sidebar's similar stories, in a worker
    "httpx",
    "hashlib",
    "tomllib",  # only when there is a settings file
    "newsreader.ui.screens.search",  # the other screens: when they open
    "newsreader.ui.screens.help",
    "newsreader.ui.screens.links",
]


def test_starting_the_reader_leaves_refresh_parsing_and_storing_unloaded() -> None:
    check = (
        "import newsreader.cli, newsreader.config, newsreader.ui.first_screen, "
        "newsreader.ui.app, sys; "
        "from newsreader.config import Config; from newsreader.store import Store; "
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
