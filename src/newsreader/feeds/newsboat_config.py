"""newsboat's ``config`` file: its ``bind-key`` lines as our key bindings, the rest reported.

Only keys for operations newsreader has are taken; each goes to every binding id that does
that operation, beside the key newsboat has for it by default (a bind-key adds a key in
newsboat, the default stays). Colours, formats, macros, ``unbind-key`` and everything else
are listed as not imported, one line each. Lines are split by newsboat's own rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from newsreader.feeds.newsboat_urls import tokenize_quoted
from newsreader.text.sanitize import clean_line

# The ``newsboat`` key preset: newsboat's documented default keys on our binding ids. Where
# one of its keys is one of ours, newsboat's meaning wins: u lists the links (undo moves to
# U), q steps back out and Q quits.
NEWSBOAT_PRESET: Final[Mapping[str, str]] = MappingProxyType(
    {
        "next-feed": "J",
        "previous-feed": "K",
        "next-unread": "n",
        "previous-unread": "p",
        "play-media": "P",  # newsboat's p goes back to the previous unread
        "toggle-read": "N",
        "mark-all-read": "A",
        "open-link": "o",
        "links": "u",
        "undo-mark-read": "U",
        "search": "slash",
        "refresh": "r,R",
        "back-or-quit": "q",
        "quit": "Q",
        "help": "question_mark",
    }
)

# newsboat operation -> our binding ids that do it.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "open": ("list-open", "feeds-open", "sidebar-open", "results-open", "links-open"),
    "quit": ("back-or-quit",),  # newsboat's q leaves the article, then the list, then quits
    "hard-quit": ("quit",),
    "reload": ("refresh",),
    "reload-all": ("refresh",),
    "next-unread": ("next-unread",),
    "prev-unread": ("previous-unread",),
    "next-feed": ("next-feed",),
    "prev-feed": ("previous-feed",),
    "mark-feed-read": ("mark-all-read",),  # the view shown: the feed, when one is
    "toggle-article-read": ("toggle-read",),
    "open-in-browser": ("open-link",),
    "show-urls": ("links",),
    "open-search": ("search",),
    "help": ("help",),
    "up": ("list-previous", "feeds-previous", "article-up", "sidebar-previous", "links-previous"),
    "down": ("list-next", "feeds-next", "article-down", "sidebar-next", "links-next"),
    "pageup": ("list-page-up", "article-page-up"),
    "pagedown": ("list-page-down", "article-page-down"),
    "home": ("list-first", "feeds-first", "article-top"),
    "end": ("list-last", "feeds-last", "article-end"),
    "switch-focus": ("next-pane",),
}

# newsboat's default keys for those operations (its documentation), in its notation.
DEFAULT_KEYS: dict[str, str] = {
    "open": "ENTER", "quit": "q", "hard-quit": "Q", "reload": "r", "reload-all": "R",
    "next-unread": "n", "prev-unread": "p", "next-feed": "J", "prev-feed": "K",
    "mark-feed-read": "A",
    "toggle-article-read": "N", "open-in-browser": "o", "show-urls": "u", "open-search": "/",
    "help": "?", "up": "UP", "down": "DOWN", "pageup": "PPAGE", "pagedown": "NPAGE",
    "home": "HOME", "end": "END", "switch-focus": "TAB",
}  # fmt: skip

_NAMED = {
    "ENTER": "enter", "SPACE": "space", "ESC": "escape", "TAB": "tab", "BACKSPACE": "backspace",
    "UP": "up", "DOWN": "down", "LEFT": "left", "RIGHT": "right", "PPAGE": "pageup",
    "NPAGE": "pagedown", "HOME": "home", "END": "end", "DEL": "delete", "INS": "insert",
}  # fmt: skip
_PUNCTUATION = {
    "/": "slash", "?": "question_mark", "#": "number_sign", ",": "comma", ".": "full_stop",
    ":": "colon", ";": "semicolon", "|": "vertical_line", "$": "dollar_sign",
    "!": "exclamation_mark",
    "[": "left_square_bracket", "]": "right_square_bracket", "-": "minus", "+": "plus",
    "=": "equals_sign", "<": "less_than_sign", ">": "greater_than_sign", "'": "apostrophe",
    "*": "asterisk", "&": "ampersand", "@": "at", "~": "tilde", "_": "underscore",
}  # fmt: skip


def textual_key(key: str) -> str | None:
    """newsboat's key notation (``^R``, ``ENTER``, ``F5``, ``J``) as Textual's; None if unknown."""
    if key in _NAMED:
        return _NAMED[key]
    if len(key) == 2 and key[0] == "^" and key[1].isalpha():
        return "ctrl+" + key[1].lower()
    if key[:1] == "F" and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        return "f" + key[1:]
    if len(key) == 1 and key.isascii() and key.isalnum():
        return key
    if len(key) == 1 and key in _PUNCTUATION:
        return _PUNCTUATION[key]
    return None


@dataclass(frozen=True, slots=True)
class ConfigSkipped:
    line: int
    text: str
    reason: str


@dataclass(slots=True)
class NewsboatKeys:
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> Textual keys
    skipped: list[ConfigSkipped] = field(default_factory=list)


def parse_config(text: str) -> NewsboatKeys:
    """The bind-key lines as keymap entries over the newsboat preset, and what was left."""
    bound: dict[str, list[str]] = {}
    result = NewsboatKeys()
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = tokenize_quoted(line)
        if not tokens:
            continue
        shown = clean_line(line, limit=120)  # the file is outside input: never raw
        if tokens[0] != "bind-key":
            result.skipped.append(ConfigSkipped(number, shown, f"{tokens[0]}: not imported"))
            continue
        if len(tokens) < 3:
            result.skipped.append(
                ConfigSkipped(number, shown, "bind-key needs a key and an operation")
            )
            continue
        key, operation = tokens[1], tokens[2]
        if operation not in OPERATIONS:
            reason = f"bind-key: newsreader has no {operation!r}"
            result.skipped.append(ConfigSkipped(number, shown, reason))
            continue
        translated = textual_key(key)
        if translated is None:
            result.skipped.append(ConfigSkipped(number, shown, f"bind-key: unknown key {key!r}"))
            continue
        keys = bound.setdefault(operation, [])
        if translated not in keys:
            keys.append(translated)
    # Each id keeps the preset's keys (newsboat's defaults) and gains the bound ones.
    preset = NEWSBOAT_PRESET
    for operation, keys in bound.items():
        default = textual_key(DEFAULT_KEYS[operation])
        for binding_id in OPERATIONS[operation]:
            start = result.keymap.get(binding_id) or preset.get(binding_id) or default or ""
            merged = [key for key in (*start.split(","), *keys) if key]
            result.keymap[binding_id] = ",".join(dict.fromkeys(merged))
    return result
