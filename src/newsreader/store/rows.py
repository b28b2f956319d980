"""Converting between model objects and the store's rows and columns."""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import UTC, date, datetime

from newsreader.models import Article, Block, BlockKind, Feed, ImageRef, Link
from newsreader.text.wordforms import article_language, fold, index_forms, item_forms

BLOCK_SEPARATOR = "\n\n"
_KIND_CODES = {
    BlockKind.PARAGRAPH: "p",
    BlockKind.HEADING: "h",
    BlockKind.QUOTE: "q",
    BlockKind.LIST_ITEM: "l",
    BlockKind.PREFORMATTED: "r",
}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}


def deflate(text: str | None) -> bytes:
    """Bodies are stored compressed: about 2.5 times smaller on disk."""
    return zlib.compress((text or "").encode("utf-8"), 1)


def inflate(data: bytes | None) -> str:
    return zlib.decompress(data).decode("utf-8") if data else ""


def layout_of(blocks: tuple[Block, ...]) -> str:
    """The body's block structure as kind codes and lengths, e.g. ``p120 h31 p804``.

    The text itself lives once, in the compressed body; this is enough to cut it apart.
    """
    return " ".join(f"{_KIND_CODES[block.kind]}{len(block.text)}" for block in blocks)


def blocks_from(body: str, layout: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    position = 0
    for entry in layout.split():
        length = int(entry[1:])
        blocks.append(Block(_CODE_KINDS[entry[0]], body[position : position + length]))
        position += length + len(BLOCK_SEPARATOR)
    return tuple(blocks)


def links_from(links_json: str | None) -> tuple[Link, ...]:
    return tuple(Link(text, url) for text, url in json.loads(links_json or "[]"))


def layout_from_json(blocks_json: str | None) -> str:
    """For migrating stores that kept blocks as JSON ``[[kind, text], ...]``."""
    pairs = json.loads(blocks_json or "[]")
    return layout_of(tuple(Block(BlockKind(kind), text) for kind, text in pairs))


def register_functions(connection: sqlite3.Connection) -> None:
    """SQL functions the schema relies on (the search index reads bodies through them)."""
    connection.create_function("nr_inflate", 1, inflate, deterministic=True)
    connection.create_function("nr_deflate", 1, deflate, deterministic=True)
    connection.create_function("nr_layout_from_json", 1, layout_from_json, deterministic=True)
    connection.create_function("nr_forms", 2, index_forms, deterministic=True)
    connection.create_function("nr_item_forms", 1, item_forms, deterministic=True)
    connection.create_function("nr_language", 4, _language, deterministic=True)
    connection.create_function("nr_fold", 1, _fold, deterministic=True)


def _language(language: str | None, title: str, teaser: str, body_z: bytes | None) -> str:
    """The language an article is stemmed in, from the row alone (``article_language``)."""
    return article_language(language, title, teaser, lambda: inflate(body_z))


def _fold(text: str | None) -> str:
    return fold(text) if text else ""


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def seen_at(seconds: int | None) -> datetime | None:
    """A time stored as seconds since the epoch (``sort_time``, ``first_seen``), in UTC."""
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def listed_time(published: str | None, updated: str | None, sort: int | None) -> datetime | None:
    """The time a list shows: the last update, else publication, else when first seen."""
    return parse_datetime(updated or published) or seen_at(sort)


def sort_time(article: Article) -> int | None:
    stamp = article.stamp
    if stamp is None:
        return None
    try:
        return int(stamp.timestamp())
    except (OverflowError, OSError, ValueError):
        return None


def _field(value: object) -> str:
    return "" if value is None else str(value)


def content_hash(article: Article, body: str | None = None, layout: str | None = None) -> str:
    """A fingerprint of everything a feed can change, to tell updated from unchanged.

    Fields are joined with the ASCII unit and record separators, which the sanitiser
    removes from every stored string, so no two different articles join the same way.
    ``body`` and ``layout`` are the article's, when the caller has made them already.
    """
    labels = article.labels
    parts = [
        article.title,
        _field(article.kicker),
        article.teaser,
        layout if layout is not None else layout_of(article.blocks),
        body if body is not None else article.body,
        _field(article.url),
        _field(article.author),
        _field(iso(article.published)),
        _field(iso(article.updated)),
        "\x1e".join(
            f"{i.title}\x1d{i.teaser}\x1d{_field(iso(i.date))}\x1d{_field(i.url)}"
            for i in article.related
        ),
        "\x1e".join(
            f"{s.station}\x1d{s.programme}\x1d{_field(iso(s.start))}" for s in article.programme
        ),
        "\x1e".join(
            f"{m.title}\x1d{_field(m.duration_seconds)}\x1d{_field(m.url)}\x1d{m.kind}"
            # only when given, so that stored media items without them stay unchanged
            + (
                f"\x1d{_field(m.mime_type)}\x1d{_field(m.length)}"
                if m.mime_type or m.length
                else ""
            )
            for m in article.media
        ),
        "\x1d".join(
            _field(label)
            for label in (labels.related, labels.programme, labels.media, labels.stamp)
        ),
        "\x1e".join(f"{link.text}\x1d{link.url}" for link in article.links),
    ]
    if article.tags:  # only then, so that stored articles without tags stay unchanged
        parts.append("\x1e".join(article.tags))
    if article.images:  # the same: articles stored before pictures were kept stay unchanged
        parts.append("\x1c" + images_json(article.images))
    import hashlib  # only storing needs it: loading OpenSSL stays off the start-up path

    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def article_values(article: Article, digest: str, body_z: bytes, layout: str) -> tuple[object, ...]:
    """The articles row's values, in the order the store's INSERT and UPDATE name them."""
    labels = json.dumps(
        {
            "related": article.labels.related,
            "programme": article.labels.programme,
            "media": article.labels.media,
            "stamp": article.labels.stamp,
        }
    )
    return (
        article.title,
        article.kicker,
        article.teaser,
        body_z,
        layout,
        article.url,
        article.author,
        article.language,
        iso(article.published),
        iso(article.updated),
        sort_time(article),
        labels,
        json.dumps([[link.text, link.url] for link in article.links], ensure_ascii=False),
        images_json(article.images),
        digest,
    )


def images_json(images: tuple[ImageRef, ...]) -> str:
    """The article's pictures as stored: JSON [[url, alt, caption, title, position, lead]]."""
    return json.dumps(
        [[i.url, i.alt, i.caption, i.title, i.position, i.lead] for i in images],
        ensure_ascii=False,
    )


def images_from(images_json: str | None) -> tuple[ImageRef, ...]:
    return tuple(
        ImageRef(url, alt, caption, title, int(position), bool(lead))
        for url, alt, caption, title, position, lead in json.loads(images_json or "[]")
    )


# Tags from this position on were given by the reader, not the feed (flags brought over
# from newsboat): a new version of the article replaces the feed's tags and keeps these.
READER_TAG_POSITION = 1000


def save_parts(
    db: sqlite3.Connection, article_id: int | None, article: Article, *, replace: bool
) -> None:
    """The sidebar parts of an article; ``replace`` drops what an earlier version had."""
    if replace:
        # Items found on the article's web page stay (page_texts.py); the feed's go, and
        # so do its tags, but not those the reader keeps (flags moved in from newsboat).
        for table in ("related_items", "programme_slots", "media_items"):
            db.execute(f"DELETE FROM {table} WHERE article_id = ? AND from_page = 0", (article_id,))
        db.execute(
            "DELETE FROM article_tags WHERE article_id = ? AND position < ?",
            (article_id, READER_TAG_POSITION),
        )
    if article.tags:
        db.executemany(
            "INSERT INTO article_tags (article_id, position, tag, folded) VALUES (?, ?, ?, ?)",
            [(article_id, n, tag, fold(tag)) for n, tag in enumerate(article.tags)],
        )
    if not (article.related or article.programme or article.media):
        return
    db.executemany(
        "INSERT INTO related_items (article_id, position, title, teaser, day, url) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (article_id, n, item.title, item.teaser, iso(item.date), item.url)
            for n, item in enumerate(article.related)
        ],
    )
    db.executemany(
        "INSERT INTO programme_slots (article_id, position, station, programme, start) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (article_id, n, slot.station, slot.programme, iso(slot.start))
            for n, slot in enumerate(article.programme)
        ],
    )
    db.executemany(
        "INSERT INTO media_items"
        " (article_id, position, title, duration_seconds, url, kind, mime_type, length)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article_id,
                n,
                item.title,
                item.duration_seconds,
                item.url,
                item.kind,
                item.mime_type,
                item.length,
            )
            for n, item in enumerate(article.media)
        ],
    )


def feed_from_row(row: sqlite3.Row) -> Feed:
    """A ``feeds`` row as the model (with the sync account's columns where joined)."""
    columns = row.keys()  # a Row's ``in`` looks at its values, not its column names
    return Feed(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        link=row["link"],
        language=row["language"],
        hidden=bool(row["hidden"]),
        account=row["account"] if "account" in columns else None,
        group=row["group_name"] if "group_name" in columns else None,
    )
