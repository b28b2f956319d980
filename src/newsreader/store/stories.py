"""The same story in several feeds: which stored articles are copies of one another.

Every article belongs to a story, named by ``articles.story_id``: the id of the copy
the lists show, its best (``choose_first_copy``); an article alone in its story has
its own id. Copies come from different feeds
and share either a link (normalised: no scheme, ``www.``, fragment or tracking parameters) or
a title (case, accents and punctuation folded) together with nearly the same text, within a
few days. Storing an article looks up the two keys in an index; only when one of them
collides is any text compared, so saving stays cheap.

All copies of a story share their read and star flags, so lists across feeds show the
story once (its first copy) and name the other feeds.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsreader.models import Article
from newsreader.store.rows import inflate, sort_time

# A view across feeds lists one row per story: its first copy. (Copies are few, so the
# time index serves such a view as well as a partial index would, at no cost to storing.)
FIRST_OF_STORY = "articles.story_id = articles.id"
# The titles of the other feeds carrying the row's story, as a JSON array (page queries).
ALSO_IN_COLUMN = (
    "(SELECT json_group_array(copy_feeds.title) FROM articles AS copies "
    "JOIN feeds AS copy_feeds ON copy_feeds.id = copies.feed_id "
    "WHERE copies.story_id = articles.story_id AND copies.id != articles.id) AS also_in"
)

# How save_articles stores a new article straight into its story: these columns, set from
# ``story_place`` and the id the row is about to get.
NEW_STORY_COLUMNS = "url_key, title_key, read, starred, story_id, id"
NEW_STORY_VALUES = (
    "?, ?, ?, ?, COALESCE(?, fresh.id), fresh.id "
    "FROM (SELECT COALESCE(MAX(id), 0) + 1 AS id FROM articles) AS fresh"
)

# Copies found by title must be this close in time (seconds): a title like "Weather"
# comes back every day with other text.
TITLE_MATCH_WINDOW = 3 * 24 * 3600
# Share of the shorter text's word triples that the longer one must contain.
NEAR_IDENTICAL_SHARE = 0.8
SHINGLE_WORDS = 3
# Title matches compared at most per stored article; a common title has many.
TITLE_CANDIDATES = 20

# Query parameters that only say where a reader clicked, never which story it is.
_TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "xtor",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "wt_mc",
        "wt.mc_id",
        "_ga",
        "ref_src",
    }
)
_TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_LETTERS = re.compile(r"[\W_]+")
# Most links: http(s), a plain host name, maybe a port, path, query and fragment.
_PLAIN_LINK = re.compile(
    r"(https?)://([a-z0-9.-]+)(?::(\d{1,5}))?(/[^?#]*)?(?:\?([^#]*))?(?:#.*)?", re.IGNORECASE
)


def without_accents(text: str) -> str:
    """The text with its combining accents taken off, as the full-text index reads words."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Lower case without accents, every run of non-letters and non-digits one space."""
    return _NOT_LETTERS.sub(" ", without_accents(text).casefold()).strip()


def url_key(url: str | None) -> str | None:
    """The link as two feeds would both write it; None if it names no single story.

    A bare site address (path ``/`` and no query) is not a story's address: some feeds
    link every entry to their home page.
    """
    if not url:
        return None
    text = url.strip()
    plain = _PLAIN_LINK.fullmatch(text)
    if plain is not None:
        scheme, host, port_text, path, query = plain.groups()
        port = int(port_text) if port_text else None
    else:
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            return None
        scheme, host, path, query = parts.scheme, parts.hostname, parts.path, parts.query
    host = (host or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host:
        return None
    if port is not None and port != _DEFAULT_PORTS.get(scheme.lower()):
        host = f"{host}:{port}"
    path = (path or "").rstrip("/")
    kept = sorted(
        (name, value)
        for name, value in parse_qsl(query or "", keep_blank_values=True)
        if name.lower() not in _TRACKING_PARAMETERS
        and not name.lower().startswith(_TRACKING_PREFIXES)
    )
    if not path and not kept:
        return None
    return f"{host}{path}?{urlencode(kept)}" if kept else host + path


def title_key(title: str) -> str | None:
    """The title folded and without punctuation; None if no letter or digit is left."""
    return fold(title) or None


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = fold(text).split()
    if len(words) <= SHINGLE_WORDS:
        return {tuple(words)} if words else set()
    return {tuple(words[n : n + SHINGLE_WORDS]) for n in range(len(words) - SHINGLE_WORDS + 1)}


def near_identical(first: str, second: str) -> bool:
    """Whether two texts tell the same story in nearly the same words.

    Most of the shorter text's word triples must occur in the longer one, so a feed that
    carries only the opening paragraph still matches one that carries the whole text.
    Two empty texts are the same; an empty text and a full one cannot be told apart.
    """
    ours, theirs = _shingles(first), _shingles(second)
    if not ours or not theirs:
        return not ours and not theirs
    shared = len(ours & theirs)
    return shared >= NEAR_IDENTICAL_SHARE * min(len(ours), len(theirs))


def _text(teaser: str, body: str) -> str:
    return f"{teaser}\n\n{body}"


def register_story_functions(connection: sqlite3.Connection) -> None:
    """SQL functions for keying articles stored before stories existed (migration 7)."""
    connection.create_function("nr_url_key", 1, url_key, deterministic=True)
    connection.create_function("nr_title_key", 1, title_key, deterministic=True)


def story_keys(article: Article) -> tuple[str | None, str | None]:
    """The article's link and title as stories compare them (``url_key``, ``title_key``)."""
    return url_key(article.url), title_key(article.title)


def _matching_story(
    db: sqlite3.Connection,
    article_id: int | None,
    feed_id: int,
    article: Article,
    body: str,
    keys: tuple[str | None, str | None],
) -> sqlite3.Row | None:
    """The first stored copy of this article's story in another feed, if there is one."""
    link, title = keys
    if article_id is None:
        article_id = 0  # not stored yet: no id to leave out
    found: list[sqlite3.Row] = []
    if link is not None:
        found += db.execute(
            "SELECT id, story_id, read, starred FROM articles "
            "WHERE url_key = ? AND feed_id != ? AND id != ? ORDER BY story_id",
            (link, feed_id, article_id),
        ).fetchall()
    if title is not None:
        stamp = sort_time(article)
        window: tuple[int, ...] = ()
        if stamp is not None:
            window = (stamp - TITLE_MATCH_WINDOW, stamp + TITLE_MATCH_WINDOW)
        rows = db.execute(
            "SELECT id, story_id, read, starred, teaser, body_z FROM articles "
            "WHERE title_key = ? AND feed_id != ? AND id != ? "
            + ("AND (sort_time IS NULL OR sort_time BETWEEN ? AND ?) " if window else "")
            + "ORDER BY story_id LIMIT ?",
            (title, feed_id, article_id, *window, TITLE_CANDIDATES),
        ).fetchall()
        if rows:
            text = _text(article.teaser, body)
            found += [
                row
                for row in rows
                if near_identical(text, _text(row["teaser"], inflate(row["body_z"])))
            ]
    for row in sorted(found, key=lambda row: row["story_id"]):
        # A story has at most one copy per feed: a feed that lists two entries says
        # they are two stories.
        taken = db.execute(
            "SELECT 1 FROM articles WHERE story_id = ? AND feed_id = ? AND id != ?",
            (row["story_id"], feed_id, article_id),
        ).fetchone()
        if taken is None:
            return row
    return None


def _has_copies(db: sqlite3.Connection, article_id: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM articles WHERE story_id = (SELECT story_id FROM articles WHERE id = ?) "
        "AND id != ? LIMIT 1",
        (article_id, article_id),
    ).fetchone()
    return row is not None


def story_place(
    db: sqlite3.Connection,
    feed_id: int,
    article: Article,
    body: str,
    keys: tuple[str | None, str | None],
) -> tuple[str | None, str | None, int, int, int | None]:
    """Where a new article goes, as the values of NEW_STORY_COLUMNS before the ids.

    Its keys, the read and star flags it arrives with, and the story it joins (None for a
    story of its own). A new copy of a story takes the story's flags, so a story already
    read in one feed arrives read in another.
    """
    story = _matching_story(db, None, feed_id, article, body, keys)
    if story is None:
        return (*keys, 0, 0, None)
    return (*keys, story["read"], story["starred"], story["story_id"])


def update_story(
    db: sqlite3.Connection,
    article_id: int,
    feed_id: int,
    article: Article,
    body: str,
    keys: tuple[str | None, str | None],
) -> None:
    """After an article changed: one that was alone in its story may now join another.

    (The schema's trigger has keyed it again.) One that shares its story keeps it. An
    article the reader had read or starred brings that to the story it joins.
    """
    if _has_copies(db, article_id):
        return
    story = _matching_story(db, article_id, feed_id, article, body, keys)
    if story is None:
        return
    db.execute(
        "UPDATE articles SET story_id = ?, read = MAX(read, ?), starred = MAX(starred, ?) "
        "WHERE id = ?",
        (story["story_id"], story["read"], story["starred"], article_id),
    )
    for flag in ("read", "starred"):
        db.execute(
            f"UPDATE articles SET {flag} = 1 WHERE story_id = ? AND {flag} = 0 "
            f"AND EXISTS (SELECT 1 FROM articles WHERE id = ? AND {flag} = 1)",
            (story["story_id"], article_id),
        )


# How much longer another copy's text must be for its row to show that one.
FULLER = 1.25


def choose_first_copy(db: sqlite3.Connection, article_id: int) -> None:
    """Make the story's best copy the one its row shows: one with a date of its own before
    one without, then the fuller text, then the first stored.

    A story is named by the id of the copy that lists it (``FIRST_OF_STORY``), so this
    renames the story after that copy. The text counts only when it is clearly fuller.
    """
    rows = db.execute(
        "SELECT id, story_id, published, updated, teaser, body_z FROM articles "
        "WHERE story_id = (SELECT story_id FROM articles WHERE id = ?)",
        (article_id,),
    ).fetchall()
    if len(rows) < 2:
        return

    def dated(row: sqlite3.Row) -> bool:
        return row["published"] is not None or row["updated"] is not None

    def length(row: sqlite3.Row) -> int:
        return len(row["teaser"]) + len(inflate(row["body_z"]))

    story_id = rows[0]["story_id"]
    best = next((row for row in rows if row["id"] == story_id), rows[0])
    for row in sorted(rows, key=lambda row: row["id"]):
        if dated(row) != dated(best):
            if dated(row):
                best = row
        elif length(row) > FULLER * length(best):  # not for a corrected word or two
            best = row
    if best["id"] != story_id:
        db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (best["id"], story_id))


def set_story_flag(db: sqlite3.Connection, article_id: int, flag: str, value: bool) -> list[int]:
    """Set ``read`` or ``starred`` on every copy of the article's story.

    Returns the ids of the articles whose flag changed, ascending.
    """
    if flag not in ("read", "starred"):
        raise ValueError(f"not a story flag: {flag}")
    rows = db.execute(
        f"UPDATE articles SET {flag} = ? WHERE story_id = "
        f"(SELECT story_id FROM articles WHERE id = ?) AND {flag} != ? RETURNING id",
        (int(value), article_id, int(value)),
    ).fetchall()
    return sorted(row[0] for row in rows)


def story_copies(db: sqlite3.Connection, article_id: int) -> list[int]:
    """The ids of every copy of the article's story, itself included, ascending."""
    rows = db.execute(
        "SELECT id FROM articles WHERE story_id = (SELECT story_id FROM articles WHERE id = ?) "
        "ORDER BY id",
        (article_id,),
    )
    return [row[0] for row in rows]


def feed_titles(titles: Iterable[str]) -> tuple[str, ...]:
    """Feed titles for "also in", each once, in alphabetical order."""
    return tuple(sorted(set(titles), key=lambda title: (title.casefold(), title)))


def also_in(db: sqlite3.Connection, article_id: int) -> tuple[str, ...]:
    """The titles of the other feeds carrying the article's story."""
    rows = db.execute(
        "SELECT feeds.title FROM articles JOIN feeds ON feeds.id = articles.feed_id "
        "WHERE articles.story_id = (SELECT story_id FROM articles WHERE id = ?) "
        "AND articles.id != ?",
        (article_id, article_id),
    )
    return feed_titles(row[0] for row in rows)


def also_in_from_json(value: Sequence[str] | None) -> tuple[str, ...]:
    """``also_in`` from the page queries' JSON array (None when the story has one copy)."""
    return feed_titles(value or ())
