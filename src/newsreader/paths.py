"""Every path newsreader uses, in one place.

Defaults follow the platform's conventions (platformdirs); each can be overridden by an
environment variable and, in the CLI, by an option.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "newsreader"
DB_ENV = "NEWSREADER_DB"
CONFIG_ENV = "NEWSREADER_CONFIG"
CACHE_ENV = "NEWSREADER_CACHE_DIR"
IMAGE_CACHE_ENV = "NEWSREADER_IMAGE_CACHE_DIR"

_dirs = PlatformDirs(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The store: ``$NEWSREADER_DB``, else ``newsreader.sqlite3`` in the user data dir."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return Path(_dirs.user_data_dir) / "newsreader.sqlite3"


def default_config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(_dirs.user_config_dir) / "config.toml"


def cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    return Path(_dirs.user_cache_dir)


def image_cache_dir(option: Path | None = None) -> Path:
    """Fetched pictures: ``--image-cache``, else ``$NEWSREADER_IMAGE_CACHE_DIR``, else
    ``images`` in the cache dir."""
    if option is not None and str(option):
        return Path(option).expanduser()
    override = os.environ.get(IMAGE_CACHE_ENV)
    if override:
        return Path(override).expanduser()
    return cache_dir() / "images"
