"""The one sanitising path for untrusted text.

Every string that comes from a feed, an HTTP response or an OPML file passes through
here before it is stored, printed or drawn. The rules:

* C0 and C1 control characters and DEL are removed (newline and tab survive only in
  multi-line text), so nothing can reach the terminal as an escape sequence.
* Bidi overrides, zero-width and other invisible format characters are removed, so a
  title or URL cannot pose as another.
* Lone surrogates become U+FFFD, so SQLite and the terminal only ever see valid UTF-8.
* Runs of combining marks keep at most a few per letter (``marks``), before anything is
  cut, so "Zalgo" text keeps its words.
* Over-long values are cut, so a single field cannot swamp a screen or the store.
* Only http and https URLs can be opened (``openable_url``); links a feed hands out are
  stored only if they qualify (``link_url``), so javascript:, file: and data: never are.
* Times that ``datetime`` cannot convert (year 1 or 9999 pushed over the edge by a time
  zone) become unknown (``clean_datetime``), so sorting and showing them never raises.

All functions are idempotent: cleaning clean text changes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from newsreader.text.marks import collapse_marks

ELLIPSIS = "…"
MAX_LINE_LENGTH = 2_000
MAX_TEXT_LENGTH = 2_000_000
MAX_URL_LENGTH = 4_096

OPENABLE_SCHEMES = frozenset({"http", "https"})

_CONTROL_CODES = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_INVISIBLE_CODES = [
    0x00AD,  # soft hyphen: invisible, and a favourite for splitting look-alike words
    0x034F,  # combining grapheme joiner
    0x061C,  # Arabic letter mark
    0x115F,
    0x1160,  # Hangul fillers render as blank space
    0x180E,  # Mongolian vowel separator
    *range(0x200B, 0x2010),  # zero-width space/joiners, LRM, RLM
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2060, 0x2070),  # word joiner, invisible operators, bidi isolates
    0x3164,  # Hangul filler
    0xFEFF,  # zero-width no-break space / BOM
    0xFFA0,
    *range(0xFFF9, 0xFFFC),  # interlinear annotation controls
    *range(0xE0000, 0xE0080),  # tag characters, used to smuggle hidden text
]
_SURROGATE_CODES = range(0xD800, 0xE000)


def _build_table(*, keep_layout: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {code: None for code in _CONTROL_CODES}
    table.update({code: None for code in _INVISIBLE_CODES})
    table.update({code: "\N{REPLACEMENT CHARACTER}" for code in _SURROGATE_CODES})
    if keep_layout:
        table[ord("\n")] = "\n"
        table[ord("\t")] = "\t"
        table[0x2028] = "\n"
        table[0x2029] = "\n"
    else:
        for code in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x2028, 0x2029):
            table[code] = " "
    return table


LINE_TABLE = _build_table(keep_layout=False)
_TEXT_TABLE = _build_table(keep_layout=True)
_SPACES = re.compile(r"[^\S\n\t]+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUNS = re.compile(r"\n{3,}")
_LINE_END_SPACE = re.compile(r"[^\S\n]+(?=\n|\Z)")


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def clean_line(value: object, *, limit: int = MAX_LINE_LENGTH) -> str:
    """A single line of display text: titles, names, labels, error messages."""
    if value is None:
        return ""
    text = str(value).translate(LINE_TABLE)
    if not text.isascii():
        # Before any cut: marks stacked by the thousand must not crowd out the words.
        text = collapse_marks(text)
    if len(text) > limit * 4:
        # Bound the work on absurd inputs; whitespace collapse can only shrink it.
        text = text[: limit * 4]
    text = " ".join(text.split())
    return _cut(text, limit)


def clean_text(value: object, *, limit: int = MAX_TEXT_LENGTH, keep_spaces: bool = False) -> str:
    """Multi-line text such as a paragraph or a body: newlines and tabs survive.

    Runs of spaces collapse and blank-line runs shrink to one, unless ``keep_spaces`` (for
    preformatted text such as code, where indentation and blank lines mean something);
    then only trailing space on each line and blank lines at either end go.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").translate(_TEXT_TABLE)
    if not text.isascii():
        text = collapse_marks(text)  # before any cut, as in clean_line
    if len(text) > limit * 4:
        text = text[: limit * 4]
    if keep_spaces:
        text = _LINE_END_SPACE.sub("", text).strip("\n")
        return _cut(text, limit).rstrip()
    text = _SPACES.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_RUNS.sub("\n\n", text).strip()
    return _cut(text, limit).strip()


_URL_LAYOUT = re.compile(r"[\t\n\r]")
_URL_SPACE = re.compile(r"\s")


def clean_url(value: object) -> str | None:
    """A URL as text: no controls, no invisible characters, no raw whitespace.

    As in browsers, tabs and line breaks inside a URL are dropped (feeds wrap long links)
    and surrounding space is trimmed; any other space is percent-encoded, so the URL stays
    one word and still points where it pointed.
    """
    if value is None:
        return None
    text = _URL_LAYOUT.sub("", str(value)[: MAX_URL_LENGTH * 4])
    text = clean_line(text, limit=MAX_URL_LENGTH * 2)
    text = _URL_SPACE.sub(lambda space: quote(space.group()), text)
    if not text or len(text) > MAX_URL_LENGTH:
        return None
    return text


def openable_url(value: object) -> str | None:
    """The URL if it may be opened or made clickable, else None.

    Only absolute http and https URLs with a host qualify; whitespace, controls and
    invisible characters are gone first, so "java\tscript:" or " JAVASCRIPT:" cannot pass.
    """
    url = clean_url(value)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return None
    if parts.scheme.lower() not in OPENABLE_SCHEMES or not parts.hostname or not port_ok:
        return None
    return url


def link_url(value: object) -> str | None:
    """A link taken from a feed if it is worth storing, else None.

    It must be openable and have no user name in front of the host, since
    "https://bank.example@evil.example/" poses as the bank. (A subscription address the
    user typed may carry credentials; the links a feed hands out may not.)
    """
    url = openable_url(value)
    if url is None or "@" in urlsplit(url).netloc:
        return None
    return url


def clean_datetime(value: datetime | None) -> datetime | None:
    """The time if every layer can sort and show it, else None (unknown).

    Near year 1 or year 9999 a time zone can push the moment outside what ``datetime``
    can hold, and then ``timestamp()`` and ``astimezone()`` raise.
    """
    if value is None:
        return None
    try:
        value.timestamp()
        value.astimezone(UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return value


def contains_control(text: str, *, allow_layout: bool = False) -> bool:
    """True if ``text`` holds a character the sanitiser would have removed."""
    allowed = {"\n", "\t"} if allow_layout else set()
    return any((ord(char) in LINE_TABLE and char not in allowed and char != " ") for char in text)
