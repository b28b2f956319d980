"""What a refresh needs of ingest without loading a parser: its errors, local feed files.

A refresh parses in worker processes, and a refresh of feeds that did not change parses
nothing at all; so the process that fetches and stores never needs feedparser or the
fast path, and this module keeps them out of its start.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsreader.feeds.entries import MAX_FEED_BYTES
from newsreader.text.sanitize import clean_line

NOT_A_FEED = "not a readable RSS or Atom feed"
A_WEB_PAGE = "a web page"  # the end of the message for an HTML page (see ``discover``)
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_XML_POSITION = re.compile(r"^<[^>]*>:(\d+):(\d+): ")


def looks_like_html(data: bytes) -> bool:
    """True if the document starts as an HTML page does (doctype or <html>)."""
    return _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def where_it_breaks(problem: object) -> str:
    """The parser's complaint in a reader's words: "line 2, column 109: mismatched tag".

    The XML parser names its input "<unknown>" and counts columns from 0; neither is
    anything a user can act on.
    """
    text = clean_line(str(problem), limit=200)
    found = _XML_POSITION.match(text)
    if found is None:
        return text
    line, column = int(found[1]), int(found[2]) + 1
    return f"line {line}, column {column}: {text[found.end() :]}"


class FeedError(Exception):
    """A feed that cannot be read. The message is sanitised and fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message, limit=300))


def read_feed_file(path: Path) -> bytes:
    """The bytes of a local feed file, with errors a user can act on.

    At most MAX_FEED_BYTES are read, whatever the file claims: a pipe or a device such
    as /dev/zero has no size and no end.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FEED_BYTES + 1)
    except FileNotFoundError:
        raise FeedError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FeedError(f"{path}: is a directory") from None
    except OSError as error:
        raise FeedError(f"{path}: {error.strerror or error}") from None
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"{path}: larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
    return data
