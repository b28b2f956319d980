"""newsboat's ``urls`` file, read by newsboat's own rules: feeds, tags, titles, query feeds.

Lines are split as newsboat splits them (``utils::tokenize_quoted``): blanks separate
tokens, a double-quoted token may hold blanks and backslash escapes, and a ``#`` that starts
a token ends the line. The first token is the feed's URL, the rest are its tags; a tag
``~Title`` names the feed, the tag ``!`` hides it. ``query:Name:expression`` is a query
feed. ``exec:`` and ``filter:`` lines name programs newsboat would run: this module only
reports them, it never runs or keeps them. Nothing here touches the network or the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DELIMITERS = " \r\n\t"
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "`": "\\`"}

EXEC_REASON = (
    "exec: runs a program to make the feed; newsreader never runs programs named in an "
    "imported file (see CVE-2017-12904), so it was not imported"
)
FILTER_REASON = (
    "filter: pipes the feed through a program; newsreader never runs programs named in an "
    "imported file (see CVE-2017-12904), so it was not imported"
)


@dataclass(frozen=True, slots=True)
class UrlsFeed:
    """A subscription: its URL, its tags (groups), its own title and whether it is hidden."""

    url: str
    tags: tuple[str, ...] = ()
    title: str | None = None
    hidden: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class UrlsQuery:
    """A query feed: a name and an expression in newsboat's filter language."""

    name: str
    expression: str
    tags: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class UrlsSkipped:
    """A line that is not imported, and why."""

    line: int
    text: str
    reason: str


@dataclass(slots=True)
class UrlsFile:
    feeds: list[UrlsFeed] = field(default_factory=list)
    queries: list[UrlsQuery] = field(default_factory=list)
    skipped: list[UrlsSkipped] = field(default_factory=list)


def _extract_token(line: str) -> tuple[str | None, str]:
    """One token and the rest of the line, as newsboat's ``extract_token_quoted``."""
    start = 0
    while start < len(line) and line[start] in DELIMITERS:
        start += 1
    line = line[start:]
    if not line or line.startswith("#"):
        return None, ""
    if line.startswith('"'):
        token: list[str] = []
        index = 1
        while index < len(line):
            char = line[index]
            if char == '"':
                return "".join(token), line[index + 1 :]
            if char == "\\":
                index += 1
                if index < len(line):
                    escaped = line[index]
                    token.append(_ESCAPES.get(escaped, escaped))
            else:
                token.append(char)
            index += 1
        return "".join(token), ""
    end = 0
    while end < len(line) and line[end] not in DELIMITERS:
        end += 1
    return line[:end], line[end:]


def tokenize_quoted(line: str) -> list[str]:
    """The tokens of one line; comments dropped."""
    tokens: list[str] = []
    rest = line
    while rest:
        token, rest = _extract_token(rest)
        if token is not None:
            tokens.append(token)
    return tokens


def _query(url: str, tags: list[str], number: int) -> UrlsQuery | UrlsSkipped:
    # newsboat splits at colons, dropping empty pieces, and joins the rest back: a range in
    # the expression ("age between 0:7") keeps its colon.
    pieces = [piece for piece in url.split(":") if piece]
    if len(pieces) < 3:
        return UrlsSkipped(number, url, "a query feed needs query:Name:expression")
    return UrlsQuery(pieces[1], ":".join(pieces[2:]), tuple(tags), number)


def parse_urls(text: str) -> UrlsFile:
    """Every line of a urls file, sorted into feeds, query feeds and skipped lines."""
    result = UrlsFile()
    by_url: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        tokens = tokenize_quoted(line)
        if not tokens:
            continue
        url, tags = tokens[0], tokens[1:]
        if url.startswith("query:"):
            query = _query(url, tags, number)
            if isinstance(query, UrlsQuery):
                result.queries.append(query)
            else:
                result.skipped.append(query)
            continue
        if url.startswith("exec:"):
            result.skipped.append(UrlsSkipped(number, url, EXEC_REASON))
            continue
        if url.startswith("filter:"):
            result.skipped.append(UrlsSkipped(number, url, FILTER_REASON))
            continue
        if not url.lower().startswith(("http://", "https://")):
            result.skipped.append(UrlsSkipped(number, url, "not an http(s) feed"))
            continue
        if url in by_url:  # newsboat merges the tags of a URL listed twice
            earlier = result.feeds[by_url[url]]
            merged = list(_raw_tags(earlier))
            merged += [tag for tag in tags if tag not in merged]
            result.feeds[by_url[url]] = _feed(url, merged, earlier.line)
            continue
        by_url[url] = len(result.feeds)
        result.feeds.append(_feed(url, tags, number))
    return result


def _raw_tags(feed: UrlsFeed) -> list[str]:
    raw = list(feed.tags)
    if feed.title is not None:
        raw.insert(0, "~" + feed.title)  # stays the first title
    if feed.hidden:
        raw.append("!")
    return raw


def _feed(url: str, tags: list[str], number: int) -> UrlsFeed:
    """As newsboat's RssFeed reads its tags: the first ``~title`` names the feed, any tag
    starting with ``!`` hides it, and neither kind is a group."""
    titles = [tag[1:] for tag in tags if tag.startswith("~")]
    kept: list[str] = []
    for tag in tags:
        if not tag.startswith(("~", "!")) and tag not in kept:
            kept.append(tag)
    hidden = any(tag.startswith("!") for tag in tags)
    return UrlsFeed(url, tuple(kept), titles[0] if titles and titles[0] else None, hidden, number)
