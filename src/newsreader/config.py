"""The user's settings: a TOML file read once at start, validated key by key.

A bad config never stops the reader. ``load_config`` returns the defaults for every value
that is missing, malformed or unknown, and one message per problem that names the file, the
key and what is wrong, for the UI to show and for ``newsreader config show`` to print::

    config.toml: refresh.interval_minutes: must be a whole number of minutes from 0 (off)
    to 10080, not "soon"

The file is found by ``config_path``: the ``--config`` option, else ``$NEWSREADER_CONFIG``,
else ``config.toml`` in the platform's user config directory. ``render_toml`` writes the
effective settings back as TOML, and ``TEMPLATE`` is the commented file that
``newsreader config edit`` starts from. Neither Textual nor Rich is imported here.
"""

from __future__ import annotations

import difflib
import math
import re
import shlex
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from newsreader.feeds.fetch_settings import FetchSettings
from newsreader.paths import default_config_path

MIB: Final = 1024 * 1024
MAX_CONFIG_BYTES: Final = 1 * MIB  # a settings file is a few hundred bytes; this is not one
MAX_SHOWN_VALUE: Final = 60  # characters of a bad value quoted in a message
LANGUAGES: Final = ("en", "de")
_FETCH_DEFAULTS: Final = FetchSettings()
_SAMPLE_MOMENT: Final = datetime(2019, 3, 27, 13, 30, 5)
_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)
_BINDING_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}", re.ASCII)
_MAX_KEYS_LENGTH: Final = 100
_MAX_DATE_FORMAT_LENGTH: Final = 64
_MAX_ARGUMENTS: Final = 32
_MAX_ARGUMENT_LENGTH: Final = 1000
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


# The settings tree. Every value has a default, so ``Config()`` is a working configuration.


@dataclass(frozen=True, slots=True)
class RefreshConfig:
    """``[refresh]``: automatic background refresh while the reader runs."""

    interval_minutes: int = 0  # 0: off, refresh only when asked


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """``[fetch]``: how hard and how long feeds are fetched (see ``FetchSettings``)."""

    concurrency: int = _FETCH_DEFAULTS.max_connections
    per_host: int = _FETCH_DEFAULTS.max_per_host
    connect_timeout: float = _FETCH_DEFAULTS.connect_timeout
    timeout: float = _FETCH_DEFAULTS.timeout
    max_size_mib: int = _FETCH_DEFAULTS.max_body_bytes // MIB


@dataclass(frozen=True, slots=True)
class UiConfig:
    """``[ui]``: look and language of the full-screen reader."""

    theme: str = "textual-dark"  # a Textual theme name; the UI checks that it exists
    language: str = "en"  # of the reader's own labels, not of the feeds
    article_width: int = 90  # columns, at most: longer lines are hard to read
    date_format: str = "%Y-%m-%d %H:%M"  # strftime


@dataclass(frozen=True, slots=True)
class CommandsConfig:
    """``[commands]``: programs started for links and media, as argv lists (never a shell).

    ``None`` means not configured: links go to the system's web browser, media to mpv when
    it is installed, else to the browser.
    """

    browser: tuple[str, ...] | None = None
    player: tuple[str, ...] | None = None


def _no_bindings() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting, defaults filled in.

    Immutable: the keymap is a read-only mapping (which also makes a Config unhashable).
    """

    refresh: RefreshConfig = field(default_factory=RefreshConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    # Binding id -> keys ("ctrl+f" or "ctrl+f,f3"), as Textual's ``App.set_keymap`` takes it.
    keymap: Mapping[str, str] = field(default_factory=_no_bindings)
    commands: CommandsConfig = field(default_factory=CommandsConfig)

    @property
    def language(self) -> str:
        """The language of the reader's own labels: "en" or "de"."""
        return self.ui.language

    def fetch_settings(self) -> FetchSettings:
        """The fetcher's settings with this config's limits; everything else as default."""
        return replace(
            _FETCH_DEFAULTS,
            max_connections=self.fetch.concurrency,
            max_per_host=self.fetch.per_host,
            connect_timeout=self.fetch.connect_timeout,
            timeout=self.fetch.timeout,
            max_body_bytes=self.fetch.max_size_mib * MIB,
        )


@dataclass(frozen=True, slots=True)
class ConfigResult:
    """What ``load_config`` found: a usable config, and what it had to ignore to get it."""

    config: Config
    problems: list[str]
    path: Path | None = None


# Finding and loading the file.


def config_path(option: Path | str | None = None) -> Path:
    """The config file in effect: ``--config``, else ``$NEWSREADER_CONFIG``, else the default."""
    if option is not None and str(option):
        return Path(option).expanduser()
    return default_config_path()


def load_config(path: Path) -> ConfigResult:
    """Read and validate ``path``. Never raises: every problem becomes a message.

    A missing file means the defaults and no problems. An unreadable file, or one that is
    not valid TOML, means the defaults and one problem.
    """
    name = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return ConfigResult(Config(), [], path)
    except IsADirectoryError:
        return _unusable(path, "is a directory, not a config file")
    except OSError as error:
        return _unusable(path, f"cannot be read ({error.strerror or error})")
    if len(data) > MAX_CONFIG_BYTES:
        return _unusable(path, f"is larger than {MAX_CONFIG_BYTES // MIB} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _unusable(path, "is not UTF-8 text")
    result = parse_config(text, name)
    return ConfigResult(result.config, result.problems, path)


def parse_config(text: str, source: str = "config.toml") -> ConfigResult:
    """Validate TOML text; ``source`` names it in the messages."""
    import tomllib  # only when there is a settings file: most starts have none

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return ConfigResult(Config(), [f"{source}: not valid TOML ({error}); using the defaults"])
    problems: list[str] = []
    config = _validate(
        document, lambda key, message: problems.append(f"{source}: {key}: {message}")
    )
    return ConfigResult(config, problems)


def _unusable(path: Path, why: str) -> ConfigResult:
    return ConfigResult(Config(), [f"{path}: {why}; using the defaults"], path)


# Validation. Each check returns the clean value or raises _Invalid with the reason.


class _Invalid(ValueError):
    """A value that cannot be used; the message says what it must be."""


Check = Callable[[object], Any]


def _whole(low: int, high: int, what: str) -> Check:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Invalid(f"must be {what}, not {describe(value)}")
        return value

    return check


def _seconds(high: float) -> Check:
    def check(value: object) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = float(value)
            if math.isfinite(seconds) and 0 < seconds <= high:
                return seconds
        raise _Invalid(
            f"must be a number of seconds above 0 and at most {high:g}, not {describe(value)}"
        )

    return check


def _theme(value: object) -> str:
    if not isinstance(value, str) or not _THEME_NAME.fullmatch(value):
        raise _Invalid(
            'must be a Textual theme name such as "textual-dark" (letters, digits, '
            f"'-', '_' and '.'; at most 64), not {describe(value)}"
        )
    return value


def _language(value: object) -> str:
    if isinstance(value, str) and value.lower() in LANGUAGES:
        return value.lower()
    choices = " or ".join(f'"{language}"' for language in LANGUAGES)
    raise _Invalid(f"must be {choices}, not {describe(value)}")


def _date_format(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f'must be a strftime format such as "%d.%m.%Y %H:%M", not {describe(value)}')
    if len(value) > _MAX_DATE_FORMAT_LENGTH:
        raise _Invalid(f"must be at most {_MAX_DATE_FORMAT_LENGTH} characters long")
    if _has_control(value):
        raise _Invalid(f"must not contain control characters, not {describe(value)}")
    try:
        sample = _SAMPLE_MOMENT.strftime(value)
    except ValueError as error:  # a lone surrogate, or a directive the platform rejects
        raise _Invalid(f"cannot format a date ({error}): {describe(value)}") from None
    if _has_control(sample):  # %n and %t give a line break and a tab
        raise _Invalid(f"gives control characters (a line break or tab): {describe(value)}")
    if not sample.strip():
        raise _Invalid(f"gives no text for a date: {describe(value)}")
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
            raise _Invalid(f"cannot be split into words ({error}): {describe(value)}") from None
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        argv = list(value)
    else:
        raise _Invalid(
            'must be a list of strings such as ["mpv", "--really-quiet"], or one string '
            f"split into words like a shell would (no shell runs it), not {describe(value)}"
        )
    if not argv or not argv[0].strip():
        raise _Invalid("must name a program to run")
    if len(argv) > _MAX_ARGUMENTS:
        raise _Invalid(f"must have at most {_MAX_ARGUMENTS} words")
    if any("\x00" in part or len(part) > _MAX_ARGUMENT_LENGTH for part in argv):
        raise _Invalid(f"must not contain NUL or words over {_MAX_ARGUMENT_LENGTH} characters")
    return tuple(argv)


def keys_string(value: object) -> str:
    """Textual keys for one binding: comma-separated key names such as "ctrl+f,f3"."""
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f'must be keys such as "ctrl+f" or "ctrl+f,f3", not {describe(value)}')
    if len(value) > _MAX_KEYS_LENGTH:
        raise _Invalid(f"must be at most {_MAX_KEYS_LENGTH} characters long")
    keys = [key.strip() for key in value.split(",")]
    for key in keys:
        if not key:
            raise _Invalid(f"has an empty key between commas: {describe(value)}")
        if _has_control(key) or any(char.isspace() for char in key):
            raise _Invalid(f"must not contain spaces or control characters: {describe(value)}")
    return ",".join(keys)


@dataclass(frozen=True, slots=True)
class _Setting:
    section: str
    key: str
    check: Check
    doc: str
    example: str | None = None  # for settings without a default value


_SETTINGS: Final = (
    _Setting(
        "refresh",
        "interval_minutes",
        _whole(0, 7 * 24 * 60, "a whole number of minutes from 0 (off) to 10080"),
        "Minutes between automatic refreshes while the reader runs; 0 turns them off.",
    ),
    _Setting(
        "fetch",
        "concurrency",
        _whole(1, 256, "a whole number of connections from 1 to 256"),
        "Feeds fetched at the same time, at most.",
    ),
    _Setting(
        "fetch",
        "per_host",
        _whole(1, 64, "a whole number of connections from 1 to 64"),
        "Feeds fetched at the same time from one host, at most.",
    ),
    _Setting(
        "fetch",
        "connect_timeout",
        _seconds(600),
        "Seconds to wait for a server to accept the connection.",
    ),
    _Setting(
        "fetch",
        "timeout",
        _seconds(3600),
        "Seconds one feed may take in all: redirects and the whole body.",
    ),
    _Setting(
        "fetch",
        "max_size_mib",
        _whole(1, 1024, "a whole number of MiB from 1 to 1024"),
        "Largest feed accepted, in MiB after decompression.",
    ),
    _Setting(
        "ui",
        "theme",
        _theme,
        'A Textual theme, e.g. "textual-dark", "textual-light", "nord", "gruvbox".',
    ),
    _Setting("ui", "language", _language, 'Language of the reader\'s labels: "en" or "de".'),
    _Setting(
        "ui",
        "article_width",
        _whole(40, 200, "a whole number of columns from 40 to 200"),
        "Widest an article's text gets, in columns.",
    ),
    _Setting(
        "ui",
        "date_format",
        _date_format,
        'How dates are written, as a strftime format: "%d.%m.%Y %H:%M" gives 27.03.2019 13:30.',
    ),
    _Setting(
        "commands",
        "browser",
        command_argv,
        "Program for links, as a list of words; the URL is added as the last word.\n"
        "Unset: the system's web browser.",
        example='["firefox", "--new-tab"]',
    ),
    _Setting(
        "commands",
        "player",
        command_argv,
        "Program for audio and video, as a list of words; the URL is added as the last word.\n"
        "Unset: mpv if it is installed, else the web browser.",
        example='["mpv", "--really-quiet"]',
    ),
)
_SECTIONS: Final = ("refresh", "fetch", "ui", "keymap", "commands")
_KEYMAP_DOC: Final = (
    "Keys for the reader's actions, by binding id (the help screen lists them).\n"
    'Several keys are separated by commas: search = "ctrl+f,f3".'
)


def _validate(document: dict[str, Any], report: Callable[[str, str], None]) -> Config:
    sections: dict[str, Any] = {name: getattr(Config(), name) for name in _SECTIONS}
    for name, table in document.items():
        if name not in _SECTIONS:
            report(toml_key(name), _unknown(name, None, table=isinstance(table, dict)))
        elif not isinstance(table, dict):
            report(name, f"must be a table ([{name}]), not {describe(table)}")
        elif name == "keymap":
            sections[name] = _keymap(table, report)
        else:
            sections[name] = _section(name, table, sections[name], report)
    return Config(**sections)


def _section(
    name: str, table: dict[str, Any], defaults: Any, report: Callable[[str, str], None]
) -> Any:
    settings = {setting.key: setting for setting in _SETTINGS if setting.section == name}
    values: dict[str, Any] = {}
    for key, value in table.items():
        setting = settings.get(key)
        if setting is None:
            report(f"{name}.{toml_key(key)}", _unknown(key, name))
            continue
        try:
            values[key] = setting.check(value)
        except _Invalid as problem:
            report(f"{name}.{key}", str(problem))
    return replace(defaults, **values)


def _keymap(table: dict[str, Any], report: Callable[[str, str], None]) -> Mapping[str, str]:
    bindings: dict[str, str] = {}
    for binding_id, keys in table.items():
        where = f"keymap.{toml_key(binding_id)}"
        if not _BINDING_ID.fullmatch(binding_id):
            report(
                where, "binding ids are lower-case letters, digits and '-' (see the help screen)"
            )
            continue
        try:
            bindings[binding_id] = keys_string(keys)
        except _Invalid as problem:
            report(where, str(problem))
    return MappingProxyType(bindings)


def _unknown(key: str, section: str | None, *, table: bool = False) -> str:
    """Unknown: say so, and suggest what was probably meant."""
    candidates: dict[str, str]
    if section is not None:
        what, known = "unknown setting", f"[{section}] has {', '.join(_keys_of(section))}"
        candidates = {s.key: f"{s.section}.{s.key}" for s in _SETTINGS if s.section == section}
    elif table:
        what, known = "unknown section", f"sections are {', '.join(_SECTIONS)}"
        candidates = {name: name for name in _SECTIONS}
    else:
        what, known = "unknown setting", f"settings go in a section: {', '.join(_SECTIONS)}"
        candidates = {s.key: f"{s.section}.{s.key}" for s in _SETTINGS}
    close = difflib.get_close_matches(key, list(candidates), n=1)
    if close:
        return f"{what}, ignored (did you mean {candidates[close[0]]}?)"
    return f"{what}, ignored ({known})"


def _keys_of(section: str) -> list[str]:
    return [setting.key for setting in _SETTINGS if setting.section == section]


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for char in text)


# Writing TOML: the effective settings, and the template a new file starts from.


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


def render_toml(config: Config) -> str:
    """The settings as a TOML file that loads back to the same ``config``, with comments."""
    return _render(config, template=False)


def _render(config: Config, *, template: bool) -> str:
    lines: list[str] = []
    for name in _SECTIONS:
        if lines:
            lines.append("")
        lines.append(f"[{name}]")
        if name == "keymap":
            lines += _comment(_KEYMAP_DOC)
            if template or not config.keymap:
                lines.append('# search = "ctrl+f"')
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in sorted(config.keymap.items())]
            continue
        section = getattr(config, name)
        for setting in (s for s in _SETTINGS if s.section == name):
            lines += _comment(setting.doc)
            value = getattr(section, setting.key)
            if value is None:
                lines.append(f"# {setting.key} = {setting.example}")
            else:
                prefix = "# " if template else ""
                lines.append(f"{prefix}{setting.key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in text.splitlines()]


TEMPLATE: Final = (
    "# newsreader settings (TOML). Remove the '# ' in front of a setting to change it;\n"
    "# every setting left out keeps its default. `newsreader config show` checks this file.\n"
    "\n" + _render(Config(), template=True)
)
