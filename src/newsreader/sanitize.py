"""The one sanitising path for untrusted text.

Every string that comes from a feed, an HTTP response or an OPML file passes through
here before it is stored, printed or drawn. The rules:

* C0 and C1 control characters and DEL are removed (newline and tab survive only in
  multi-line text), so nothing can reach the terminal as an escape sequence.
* Bidi overrides, zero-width and other invisible format characters are removed, so a
  title or URL cannot pose as another.
* Lone surrogates become U+FFFD, so SQLite and the terminal only ever see valid UTF-8.
* Over-long values are cut, so a single field cannot swamp a screen or the store.

All functions are idempotent: cleaning clean text changes nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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


_LINE_TABLE = _build_table(keep_layout=False)
_TEXT_TABLE = _build_table(keep_layout=True)
_SPACES = re.compile(r"[^\S\n\t]+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUNS = re.compile(r"\n{3,}")


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def clean_line(value: object, *, limit: int = MAX_LINE_LENGTH) -> str:
    """A single line of display text: titles, names, labels, error messages."""
    if value is None:
        return ""
    text = str(value)
    if len(text) > limit * 4:
        # Bound the work on absurd inputs; whitespace collapse can only shrink it.
        text = text[: limit * 4]
    text = " ".join(text.translate(_LINE_TABLE).split())
    return _cut(text, limit)


def clean_text(value: object, *, limit: int = MAX_TEXT_LENGTH) -> str:
    """Multi-line text such as a paragraph or a body: newlines and tabs survive."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > limit * 4:
        text = text[: limit * 4]
    text = text.translate(_TEXT_TABLE)
    text = _SPACES.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_RUNS.sub("\n\n", text).strip()
    return _cut(text, limit).strip()


def clean_url(value: object) -> str | None:
    """A URL as text: no controls, no invisible characters, no whitespace at all."""
    text = "".join(clean_line(value, limit=MAX_URL_LENGTH * 2).split())
    if not text or len(text) > MAX_URL_LENGTH:
        return None
    return text


def openable_url(value: object) -> str | None:
    """The URL if it may be opened or made clickable (http and https only), else None."""
    url = clean_url(value)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in OPENABLE_SCHEMES or not parts.netloc:
        return None
    return url


def contains_control(text: str, *, allow_layout: bool = False) -> bool:
    """True if ``text`` holds a character the sanitiser would have removed."""
    allowed = {"\n", "\t"} if allow_layout else set()
    return any((ord(char) in _LINE_TABLE and char not in allowed and char != " ") for char in text)
