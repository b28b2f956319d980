"""What the reader chose in the app itself and finds again on the next start: the theme
and whether a pane was zoomed.

The choice is kept in a small JSON file, ``ui-state.json`` in newsreader's cache directory
(``paths.cache_dir()``, which ``$NEWSREADER_CACHE_DIR`` moves). It is never written into
the user's ``config.toml``. Losing the file costs nothing but the remembered theme.

Which theme the app starts with:

1. the theme last chosen in the app (command palette), if that theme still exists and
   ``ui.theme`` in the config file has not changed since it was chosen: the palette's
   choice wins, as the palette promises;
2. else ``ui.theme`` from the config file, when it names a theme other than the default
   ("textual-dark"): a theme written into the config file after the choice wins;
3. else the default.

A theme chosen in the app applies at once either way, and is remembered together with
the config's theme at that moment (``theme_config``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from newsreader.config import UiConfig
from newsreader.paths import cache_dir

STATE_FILE: Final = "ui-state.json"
MAX_STATE_BYTES: Final = 64 * 1024
DEFAULT_THEME: Final = UiConfig().theme


@dataclass(frozen=True, slots=True)
class UiState:
    """The reader's choices made in the app. None: nothing chosen yet."""

    theme: str | None = None
    zoomed: bool = False
    theme_config: str | None = None  # the config's ui.theme when ``theme`` was chosen


def state_path() -> Path:
    return cache_dir() / STATE_FILE


def load_state(path: Path) -> UiState:
    """The state in ``path``; an empty state if it is missing, unreadable or malformed."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_STATE_BYTES + 1)
        if len(data) > MAX_STATE_BYTES:
            return UiState()
        document = json.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return UiState()
    if not isinstance(document, dict):
        return UiState()
    theme = document.get("theme")
    zoomed = document.get("zoomed") is True
    under = document.get("theme_config")
    return UiState(
        theme=theme if isinstance(theme, str) and theme else None,
        zoomed=zoomed,
        theme_config=under if isinstance(under, str) and under else None,
    )


def save_state(path: Path, state: UiState) -> None:
    """Write ``state`` whole or not at all (a temporary file renamed over the old one).

    Raises OSError when the directory cannot be made or written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"theme": state.theme, "zoomed": state.zoomed, "theme_config": state.theme_config}
    text = json.dumps(document, indent=2) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=".ui-state-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class StartTheme:
    """The theme to start with; ``unknown`` is a config theme that does not exist."""

    name: str
    unknown: str | None = None


def start_theme(
    configured: str,
    remembered: str | None,
    available: Collection[str],
    chosen_under: str | None = None,
) -> StartTheme:
    """Apply the precedence above to the themes the app has; ``chosen_under`` is the
    config's theme when ``remembered`` was chosen."""
    unknown = configured if configured not in available else None
    config_unchanged = configured in (DEFAULT_THEME, chosen_under)
    if remembered is not None and remembered in available and config_unchanged:
        return StartTheme(remembered, unknown)
    if configured != DEFAULT_THEME and unknown is None:
        return StartTheme(configured)
    if remembered is not None and remembered in available:
        return StartTheme(remembered, unknown)
    return StartTheme(DEFAULT_THEME, unknown)
