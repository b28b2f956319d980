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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from newsreader.config_values import (
    Check,
    InvalidSetting,
    command_argv,
    date_format,
    describe,
    feeds_table,
    feeds_toml,
    full_text_mode,
    image_mode,
    keymap_table,
    keymap_toml,
    language_code,
    seconds_up_to,
    theme_name,
    toml_key,
    toml_value,
    whole_number,
)
from newsreader.feeds.fetch_settings import FetchSettings
from newsreader.paths import default_config_path

MIB: Final = 1024 * 1024
MAX_CONFIG_BYTES: Final = 1 * MIB  # a settings file is a few hundred bytes; this is not one
_FETCH_DEFAULTS: Final = FetchSettings()


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
    images: str = "auto"  # IMAGE_MODES: how the article's pictures are shown
    image_cache_mib: int = 200  # the disk cache of fetched pictures, at most


@dataclass(frozen=True, slots=True)
class CommandsConfig:
    """``[commands]``: programs started for links and media, as argv lists (never a shell).

    ``None`` means not configured: links go to the system's web browser, media to mpv when
    it is installed, else to the browser.
    """

    browser: tuple[str, ...] | None = None
    player: tuple[str, ...] | None = None
    image_viewer: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ReadingConfig:
    """``[reading]``: how articles are read."""

    full_text: str = "on-open"  # from the web page, for teasers: or "prefetch", "off"


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
    reading: ReadingConfig = field(default_factory=ReadingConfig)
    feeds: Mapping[str, str] = field(default_factory=_no_bindings)

    def full_text_for(self, source: str | None) -> str:
        """The full-text setting of the feed read from ``source``, else the global one."""
        return self.feeds.get(source or "", self.reading.full_text)

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


# Validation. Each check returns the clean value or raises InvalidSetting with the reason.


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
        whole_number(0, 7 * 24 * 60, "a whole number of minutes from 0 (off) to 10080"),
        "Minutes between automatic refreshes while the reader runs; 0 turns them off.",
    ),
    _Setting(
        "fetch",
        "concurrency",
        whole_number(1, 256, "a whole number of connections from 1 to 256"),
        "Feeds fetched at the same time, at most.",
    ),
    _Setting(
        "fetch",
        "per_host",
        whole_number(1, 64, "a whole number of connections from 1 to 64"),
        "Feeds fetched at the same time from one host, at most.",
    ),
    _Setting(
        "fetch",
        "connect_timeout",
        seconds_up_to(600),
        "Seconds to wait for a server to accept the connection.",
    ),
    _Setting(
        "fetch",
        "timeout",
        seconds_up_to(3600),
        "Seconds one feed may take in all: redirects and the whole body.",
    ),
    _Setting(
        "fetch",
        "max_size_mib",
        whole_number(1, 1024, "a whole number of MiB from 1 to 1024"),
        "Largest feed accepted, in MiB after decompression.",
    ),
    _Setting(
        "ui",
        "theme",
        theme_name,
        'A Textual theme, e.g. "textual-dark", "textual-light", "nord", "gruvbox".',
    ),
    _Setting("ui", "language", language_code, 'Language of the reader\'s labels: "en" or "de".'),
    _Setting(
        "ui",
        "article_width",
        whole_number(40, 200, "a whole number of columns from 40 to 200"),
        "Widest an article's text gets, in columns.",
    ),
    _Setting(
        "ui",
        "date_format",
        date_format,
        'How dates are written, as a strftime format: "%d.%m.%Y %H:%M" gives 27.03.2019 13:30.',
    ),
    _Setting(
        "ui",
        "images",
        image_mode,
        'Pictures in articles: "auto" (graphics, else half-blocks in true colour, else\n'
        'placeholders), "on" (always, half-blocks at least) or "off" (placeholders; i loads).',
    ),
    _Setting(
        "ui",
        "image_cache_mib",
        whole_number(1, 10240, "a whole number of MiB from 1 to 10240"),
        "Disk space for fetched pictures, in MiB; the least recently used go first.",
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
    _Setting(
        "commands",
        "image_viewer",
        command_argv,
        "Program for pictures, as a list of words; the picture's URL is added as the last word.\n"
        "Unset: the web browser.",
        example='["imv"]',
    ),
    _Setting(
        "reading",
        "full_text",
        full_text_mode,
        'Full text from the web page for teaser-only feeds: "on-open", "prefetch" or "off".',
    ),
)
_SECTIONS: Final = ("refresh", "fetch", "ui", "reading", "feeds", "keymap", "commands")


def _validate(document: dict[str, Any], report: Callable[[str, str], None]) -> Config:
    sections: dict[str, Any] = {name: getattr(Config(), name) for name in _SECTIONS}
    for name, table in document.items():
        if name not in _SECTIONS:
            report(toml_key(name), _unknown(name, None, table=isinstance(table, dict)))
        elif not isinstance(table, dict):
            report(name, f"must be a table ([{name}]), not {describe(table)}")
        elif name == "keymap":
            sections[name] = keymap_table(table, report)
        elif name == "feeds":
            sections[name] = feeds_table(table, report)
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
        except InvalidSetting as problem:
            report(f"{name}.{key}", str(problem))
    return replace(defaults, **values)


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


# Writing TOML: the effective settings, and the template a new file starts from.


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
            lines += keymap_toml(config.keymap, template=template)
            continue
        if name == "feeds":
            lines[-1:] = feeds_toml(config.feeds)  # tables of their own: [feeds."URL"]
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
