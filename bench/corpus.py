"""A deterministic feed corpus: 200 feeds x 50 entries of about 2 KB of HTML each.

Half the feeds are German, half English; they alternate between RSS 2.0 and Atom. The same
seed always gives the same bytes, so runs on different days compare like with like.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store

GERMAN = (
    "Regierung Landtag Hannover Wolfsburg Braunschweig Volkswagen Werk Kooperation Digitalisierung "
    "Verkehr Bahn Hafen Schule Universität Forschung Klima Energie Windkraft Küste Nordsee Stadt "
    "Gemeinde Haushalt Gericht Polizei Feuerwehr Wetter Sturm Ernte Landwirtschaft Mittelstand "
    "Arbeitsplätze Tarif Gewerkschaft Betriebsrat Vorstand Übernahme Straße München Bürger "
    "Gesundheit Krankenhaus Pflege Kultur Theater Museum Fußball Verein Meisterschaft Zukunft"
).split()
ENGLISH = (
    "government council parliament city harbour railway school university research climate "
    "energy wind coast river budget court police weather storm harvest farming business jobs "
    "union board takeover street citizens health hospital care culture theatre museum football "
    "club league future cloud software partnership factory market investors election report "
    "transport bridge festival library science policy housing"
).split()
GLUE_DE = "der die das und mit für auf über nach bei von zu im am ein eine ist sind wird".split()
GLUE_EN = "the a and with for on over after at of to in is are will was has".split()
BASE_TIME = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)


def _sentence(rng: random.Random, words: list[str], glue: list[str], length: int) -> str:
    picked = [rng.choice(words) if rng.random() < 0.55 else rng.choice(glue) for _ in range(length)]
    return " ".join(picked).capitalize() + "."


def _entry_html(rng: random.Random, words: list[str], glue: list[str]) -> str:
    parts: list[str] = []
    size = 0
    while size < 2000:
        kind = rng.random()
        if kind < 0.12:
            chunk = f"<h2>{escape(_sentence(rng, words, glue, 4))}</h2>"
        elif kind < 0.2:
            link = f"https://example.org/{rng.choice(words).lower()}/{rng.randrange(10**6)}"
            chunk = f'<p>{escape(_sentence(rng, words, glue, 8))} <a href="{link}">mehr</a></p>'
        else:
            sentences = " ".join(_sentence(rng, words, glue, rng.randint(8, 18)) for _ in range(3))
            chunk = f"<p>{escape(sentences)} <em>{escape(rng.choice(words))}</em></p>"
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


def _feed(index: int, entries: int, seed: int) -> bytes:
    rng = random.Random(seed * 100_003 + index)
    german = index % 2 == 0
    words, glue = (GERMAN, GLUE_DE) if german else (ENGLISH, GLUE_EN)
    language = "de" if german else "en"
    title = f"{'Nachrichten' if german else 'News'} {index:03d}"
    items = []
    for number in range(entries):
        stamp = BASE_TIME - timedelta(minutes=37 * number + index)
        headline = escape(_sentence(rng, words, glue, rng.randint(5, 9)).rstrip("."))
        teaser = escape(_sentence(rng, words, glue, 14))
        body = escape(_entry_html(rng, words, glue))
        guid = f"https://example.org/feed{index:03d}/story{number:03d}"
        if index % 4 < 2:
            items.append(
                f"<item><title>{headline}</title><link>{guid}</link><guid>{guid}</guid>"
                f"<pubDate>{format_datetime(stamp)}</pubDate><description>{teaser}</description>"
                f"<content:encoded>{body}</content:encoded></item>"
            )
        else:
            items.append(
                f"<entry><title>{headline}</title><id>{guid}</id>"
                f'<link href="{guid}"/><updated>{stamp.isoformat()}</updated>'
                f'<summary>{teaser}</summary><content type="html">{body}</content></entry>'
            )
    if index % 4 < 2:
        document = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{title}</title><link>https://example.org/feed{index:03d}</link>"
            f"<description>{title}</description><language>{language}</language>"
            + "".join(items)
            + "</channel></rss>\n"
        )
    else:
        document = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">'
            f"<title>{title}</title><id>https://example.org/feed{index:03d}</id>"
            f"<updated>{BASE_TIME.isoformat()}</updated>" + "".join(items) + "</feed>\n"
        )
    return document.encode("utf-8")


def generate_corpus(feeds: int = 200, entries: int = 50, seed: int = 1) -> dict[str, bytes]:
    """File name -> feed bytes."""
    return {f"feed-{index:03d}.xml": _feed(index, entries, seed) for index in range(feeds)}


def write_corpus(directory: Path, feeds: int = 200, entries: int = 50, seed: int = 1) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in generate_corpus(feeds, entries, seed).items():
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _blocks(rng: random.Random, words: list[str], glue: list[str]) -> tuple[Block, ...]:
    """About 2 KB of body text as paragraphs and subheadings, like the feed corpus's HTML."""
    blocks: list[Block] = []
    size = 0
    while size < 2000:
        if rng.random() < 0.12:
            block = Block(BlockKind.HEADING, _sentence(rng, words, glue, 4))
        else:
            text = " ".join(_sentence(rng, words, glue, rng.randint(8, 18)) for _ in range(3))
            block = Block(BlockKind.PARAGRAPH, text)
        blocks.append(block)
        size += len(block.text)
    return tuple(blocks)


def generate_articles(count: int, seed: int = 2, feeds: int = 50) -> Iterator[tuple[int, Article]]:
    """``count`` articles spread over ``feeds`` feeds, as (feed number, Article), oldest first.

    For filling a large store without going through XML: the body has the same mix of
    German and English words, headings and paragraphs as the feed corpus.
    """
    rng = random.Random(seed)
    for number in range(count):
        feed = number % feeds
        german = feed % 2 == 0
        words, glue = (GERMAN, GLUE_DE) if german else (ENGLISH, GLUE_EN)
        yield (
            feed,
            Article(
                guid=f"bench-{number}",
                title=_sentence(rng, words, glue, rng.randint(5, 9)).rstrip("."),
                teaser=_sentence(rng, words, glue, 14),
                blocks=_blocks(rng, words, glue),
                url=f"https://example.org/{feed}/{number}",
                language="de" if german else "en",
                published=BASE_TIME + timedelta(minutes=number),
            ),
        )


def fill_store(
    store: Store,
    count: int,
    seed: int = 2,
    feeds: int = 50,
    batch: int = 2_000,
    *,
    progress: bool = False,
) -> None:
    """Subscribe ``feeds`` made-up feeds and store ``count`` articles among them, through
    ``save_articles`` as a refresh stores them (``progress``: a line on stderr per 5%)."""
    feed_ids = [
        store.add_feed(Feed(source=f"https://example.org/bench/{n}", title=f"Bench {n:02d}")).id
        for n in range(feeds)
    ]
    pending: dict[int, list[Article]] = {}
    for index, (feed, article) in enumerate(generate_articles(count, seed, feeds), start=1):
        pending.setdefault(feed, []).append(article)
        if index % batch == 0 or index == count:
            for number, articles in pending.items():
                feed_id = feed_ids[number]
                assert feed_id is not None
                store.save_articles(feed_id, articles)
            pending.clear()
            if progress and index % max(batch, count // 20) < batch:
                print(f"  {index:,} of {count:,} articles stored", file=sys.stderr, flush=True)
