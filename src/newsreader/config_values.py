"""Checks for single setting values, and TOML literals to quote values in messages.

Each check returns the clean value or raises ``InvalidSetting`` with a sentence that says
what the value must be. ``config`` applies them key by key; nothing here knows the file.
"""

from __future__ import annotations

import math
import re
import shlex
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from newsreader.feeds.newsboat_config import NEWSBOAT_PRESET

MAX_SHOWN_VALUE: Final = 60  # characters of a bad value quoted in a message


LANGUAGES: Final = ("en", "de")
# "auto": a graphics protocol where the terminal has one, half-blocks where it has true
# colour, placeholders elsewhere; "on": pictures always (half-blocks at least); "off":
# one-line placeholders until asked.
IMAGE_MODES: Final = ("auto", "on", "off")


_SAMPLE_MOMENT: Final = datetime(2019, 3, 27, 13, 30, 5)


_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)


_MAX_KEYS_LENGTH: Final = 100


_MAX_DATE_FORMAT_LENGTH: Final = 64


_MAX_ARGUMENTS: Final = 32


_MAX_ARGUMENT_LENGTH: Final = 1000


_BINDING_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}", re.ASCII)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


class InvalidSetting(ValueError):
    """A value that cannot be used; the message says what it must be."""


Check = Callable[[object], Any]


def whole_number(low: int, high: int, what: str) -> Check:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidSetting(f"must be {what}, not {describe(value)}")
        return value

    return check


def seconds_up_to(high: float) -> Check:
    def check(value: object) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = float(value)
            if math.isfinite(seconds) and 0 < seconds <= high:
                return seconds
        raise InvalidSetting(
            f"must be a number of seconds above 0 and at most {high:g}, not {describe(value)}"
        )

    return check


def theme_name(value: object) -> str:
    if not isinstance(value, str) or not _THEME_NAME.fullmatch(value):
        raise InvalidSetting(
            'must be a Textual theme name such as "textual-dark" (letters, digits, '
            f"'-', '_' and '.'; at most 64), not {describe(value)}"
        )
    return value


def language_code(value: object) -> str:
    if isinstance(value, str) and value.lower() in LANGUAGES:
        return value.lower()
    choices = " or ".join(f'"{language}"' for language in LANGUAGES)
    raise InvalidSetting(f"must be {choices}, not {describe(value)}")


def image_mode(value: object) -> str:
    if isinstance(value, str) and value.lower() in IMAGE_MODES:
        return value.lower()
    choices = ", ".join(f'"{mode}"' for mode in IMAGE_MODES)
    raise InvalidSetting(f"must be one of {choices}, not {describe(value)}")


FULL_TEXT_MODES: Final = ("on-open", "prefetch", "off")


def full_text_mode(value: object) -> str:
    """When the web page of a teaser-only article is fetched for its full text."""
    if value not in FULL_TEXT_MODES:
        choices = ", ".join(f'"{mode}"' for mode in FULL_TEXT_MODES)
        raise InvalidSetting(f"must be one of {choices}, not {describe(value)}")
    return str(value)


def date_format(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSetting(
            f'must be a strftime format such as "%d.%m.%Y %H:%M", not {describe(value)}'
        )
    if len(value) > _MAX_DATE_FORMAT_LENGTH:
        raise InvalidSetting(f"must be at most {_MAX_DATE_FORMAT_LENGTH} characters long")
    if has_control(value):
        raise InvalidSetting(f"must not contain control characters, not {describe(value)}")
    try:
        sample = _SAMPLE_MOMENT.strftime(value)
    except ValueError as error:  # a lone surrogate, or a directive the platform rejects
        raise InvalidSetting(f"cannot format a date ({error}): {describe(value)}") from None
    if has_control(sample):  # %n and %t give a line break and a tab
        raise InvalidSetting(f"gives control characters (a line break or tab): {describe(value)}")
    if not sample.strip():
        raise InvalidSetting(f"gives no text for a date: {describe(value)}")
    return value


def command_argv(value: object) -> tuple[str, ...]:
    """A command as argv: a list of strings, or one string split as a POSIX shell would.

    The string form is only split (``shlex.split``); no shell ever runs it, so quotes group
    words but ``;``, ``|``, ``$(...)`` and globs are plain characters.
    """
    if isinstance(value, str):
        try:
            argv = shlex.split(value)
        except ValueError as error:
            raise InvalidSetting(
                f"cannot be split into words ({error}): {describe(value)}"
            ) from None
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        argv = list(value)
    else:
        raise InvalidSetting(
            'must be a list of strings such as ["mpv", "--really-quiet"], or one string '
            f"split into words like a shell would (no shell runs it), not {describe(value)}"
        )
    if not argv or not argv[0].strip():
        raise InvalidSetting("must name a program to run")
    if len(argv) > _MAX_ARGUMENTS:
        raise InvalidSetting(f"must have at most {_MAX_ARGUMENTS} words")
    if any("\x00" in part or len(part) > _MAX_ARGUMENT_LENGTH for part in argv):
        raise InvalidSetting(
            f"must not contain NUL or words over {_MAX_ARGUMENT_LENGTH} characters"
        )
    return tuple(argv)


def keys_string(value: object) -> str:
    """Textual keys for one binding: comma-separated key names such as "ctrl+f,f3"."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidSetting(f'must be keys such as "ctrl+f" or "ctrl+f,f3", not {describe(value)}')
    if len(value) > _MAX_KEYS_LENGTH:
        raise InvalidSetting(f"must be at most {_MAX_KEYS_LENGTH} characters long")
    keys = [key.strip() for key in value.split(",")]
    for key in keys:
        if not key:
            raise InvalidSetting(f"has an empty key between commas: {describe(value)}")
        if has_control(key) or any(char.isspace() for char in key):
            raise InvalidSetting(
                f"must not contain spaces or control characters: {describe(value)}"
            )
    return ",".join(keys)


def has_control(text: str) -> bool:
    return any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for char in text)


def describe(value: object) -> str:
    """A value as TOML would write it, shortened: how messages quote what the file said."""
    text = toml_value(value)
    if len(text) > MAX_SHOWN_VALUE:
        text = text[: MAX_SHOWN_VALUE - 1] + "…"
    return text


def toml_value(value: object) -> str:
    """A TOML literal for strings, numbers, booleans and lists; anything else as a string.

    Control, format and separator characters are escaped, so the text is safe on a terminal.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # TOML writes inf, -inf and nan as Python does
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    return _toml_string(value if isinstance(value, str) else str(value))


def toml_key(key: str) -> str:
    """A key bare when TOML allows it, else quoted."""
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"}:
            code = ord(char)
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# Key presets for ``[keymap] preset``: binding id -> keys.
KEY_PRESETS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {"newsboat": NEWSBOAT_PRESET}
)


def preset_bindings(
    table: dict[str, Any], report: Callable[[str, str], None]
) -> tuple[dict[str, str], dict[str, Any]]:
    """The bindings of the table's ``preset`` (reported if unknown), and the rest of it."""
    bindings: dict[str, str] = {}
    preset = table.get("preset")
    if preset is not None:
        if isinstance(preset, str) and preset in KEY_PRESETS:
            bindings.update(KEY_PRESETS[preset])
        else:
            names = ", ".join(f'"{name}"' for name in KEY_PRESETS)
            report("keymap.preset", f"must be one of {names}, not {describe(preset)}")
    return bindings, {key: value for key, value in table.items() if key != "preset"}


# Tables whose keys are the user's own: binding ids, feed URLs.


def keymap_table(table: dict[str, Any], report: Callable[[str, str], None]) -> Mapping[str, str]:
    """``[keymap]``: binding id -> keys, each checked; the problems go to ``report``."""
    bindings, table = preset_bindings(table, report)  # the keymap's own entries win
    for binding_id, keys in table.items():
        where = f"keymap.{toml_key(binding_id)}"
        if not _BINDING_ID.fullmatch(binding_id):
            report(
                where, "binding ids are lower-case letters, digits and '-' (see the help screen)"
            )
            continue
        try:
            bindings[binding_id] = keys_string(keys)
        except InvalidSetting as problem:
            report(where, str(problem))
    return MappingProxyType(bindings)


def feeds_table(table: dict[str, Any], report: Callable[[str, str], None]) -> Mapping[str, str]:
    """``[feeds."URL"]`` tables: the one per-feed setting, ``full_text``."""
    modes: dict[str, str] = {}
    for url, settings in table.items():
        where = f"feeds.{toml_key(url)}"
        if has_control(url) or not url.strip():
            report(where, "a feed is named by its URL or path, without control characters")
            continue
        if not isinstance(settings, dict):
            report(where, f'must be a table (full_text = "…"), not {describe(settings)}')
            continue
        for key, value in settings.items():
            if key != "full_text":
                report(
                    f"{where}.{toml_key(key)}", "unknown setting, ignored (feeds have full_text)"
                )
                continue
            try:
                modes[url] = full_text_mode(value)
            except InvalidSetting as problem:
                report(f"{where}.full_text", str(problem))
    return MappingProxyType(modes)


FEEDS_DOC: Final = (
    "Settings of single feeds: a table per feed, named by its URL, such as\n"
    '[feeds."https://example.org/feed.xml"], with full_text ("on-open", "prefetch" or\n'
    '"off") in it, which overrides [reading] for that feed.'
)


def feeds_toml(feeds: Mapping[str, str]) -> list[str]:
    """The ``[feeds."URL"]`` tables as TOML lines, after a comment that explains them."""
    lines = [f"# {line}" for line in FEEDS_DOC.splitlines()]
    for url, mode in sorted(feeds.items()):
        lines += [f"[feeds.{toml_key(url)}]", f"full_text = {toml_value(mode)}"]
    return lines


KEYMAP_DOC: Final = (
    "Keys for the reader's actions, by binding id (the help screen lists them).\n"
    'Several keys are separated by commas: search = "ctrl+f,f3".'
)


def keymap_toml(keymap: Mapping[str, str], *, template: bool) -> list[str]:
    """The ``[keymap]`` table's lines under its header: a comment, an example, the keys."""
    lines = [f"# {line}" for line in KEYMAP_DOC.splitlines()]
    if template or not keymap:
        lines.append('# search = "ctrl+f"')
    return lines + [f"{toml_key(k)} = {toml_value(v)}" for k, v in sorted(keymap.items())]
