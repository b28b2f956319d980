"""Computed related articles over a store of 100,000 articles: ``Store.similar_articles``.

    python -m bench.related [--articles 100000] [--sample 200] [--stored 5000]

Target: at most 30 ms per article. The cached store's generated articles all share one
small vocabulary, so every one of them takes the path for articles without distinctive
words. Topical articles are added to a copy of it (built once): each about one of a few
hundred topics, with words from a long-tailed vocabulary and some copies of the same
story in a second feed, as real news has. Both kinds are measured.

Also measured: what putting each stored article into its story (stories.py) adds to storing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import newsreader.store.database as store_module
from bench.corpus import BASE_TIME, ENGLISH, GERMAN, GLUE_DE, GLUE_EN, generate_articles
from bench.stores import RESULTS, large_store
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.store.schema import LATEST_VERSION
from newsreader.store.stories import story_place

TOPICAL = 5_000
TOPICS = 300
VOCABULARY = 20_000
COPY_SHARE = 0.1
STORY_INDEXES = (
    "articles_by_url_key",
    "articles_by_title_key",
    "articles_by_story",
)
SYLLABLES = "ka lo mi ne ru sa te vi bor den gel han kur lin mar nos pel rik sten wal".split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


@dataclass
class _Writer:
    """Sentences about a topic, with words from a long-tailed vocabulary."""

    rng: random.Random
    vocabulary: list[str]
    cumulative: list[float]

    def sentence(self, length: int, topic: list[str], common: list[str], glue: list[str]) -> str:
        words = []
        for _ in range(length):
            pick = self.rng.random()
            if pick < 0.15:
                words.append(self.rng.choice(topic))
            elif pick < 0.45:
                words.append(self.rng.choices(self.vocabulary, cum_weights=self.cumulative)[0])
            elif pick < 0.7:
                words.append(self.rng.choice(common))
            else:
                words.append(self.rng.choice(glue))
        return " ".join(words).capitalize() + "."


def _topical_articles(seed: int = 3) -> list[tuple[int, Article]]:
    """(feed number, article): topical stories, oldest first, some stored twice."""
    rng = random.Random(seed)
    vocabulary = sorted({_word(rng) for _ in range(VOCABULARY * 2)})[:VOCABULARY]
    rng.shuffle(vocabulary)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    writer = _Writer(rng, vocabulary, cumulative)
    topics = [rng.sample(vocabulary[2_000:], 8) for _ in range(TOPICS)]
    made: list[tuple[int, Article]] = []
    for number in range(TOPICAL):
        german = number % 2 == 0
        common, glue = (GERMAN, GLUE_DE) if german else (ENGLISH, GLUE_EN)
        words = (topics[rng.randrange(TOPICS)], common, glue)
        paragraphs = []
        for _ in range(5):
            sentences = [writer.sentence(rng.randint(8, 16), *words) for _ in range(4)]
            paragraphs.append(Block(BlockKind.PARAGRAPH, " ".join(sentences)))
        article = Article(
            guid=f"topical-{number}",
            title=writer.sentence(rng.randint(5, 8), *words).rstrip("."),
            teaser=writer.sentence(14, *words),
            blocks=tuple(paragraphs),
            url=f"https://example.org/topical/{number}",
            language="de" if german else "en",
            published=BASE_TIME + timedelta(days=1, minutes=7 * number),
        )
        feed = number % 10
        made.append((feed, article))
        if rng.random() < COPY_SHARE:
            copy = Article(
                guid=f"topical-copy-{number}",
                title=article.title,
                teaser=article.teaser,
                blocks=article.blocks,
                url=f"{article.url}?utm_source=feed",
                language=article.language,
                published=article.published,
            )
            made.append((10 + feed, copy))
    return made


def related_store(count: int) -> Path:
    """A copy of the cached store with the topical articles added, built once."""
    path = RESULTS / f"related-{count}-v{LATEST_VERSION}.sqlite3"
    if path.exists():
        return path
    source = large_store(count)
    partial = path.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    print(f"adding {TOPICAL} topical articles to a copy (once) …", file=sys.stderr)
    with sqlite3.connect(source) as original, sqlite3.connect(partial) as target:
        original.backup(target)
    store = Store(partial)
    feeds = [
        store.add_feed(Feed(source=f"https://example.org/topical/{n}", title=f"Topical {n:02d}"))
        for n in range(20)
    ]
    for feed, article in _topical_articles():
        feed_id = feeds[feed].id
        assert feed_id is not None
        store.save_articles(feed_id, [article])
    store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    partial.rename(path)
    return path


@dataclass(frozen=True)
class StoringCost:
    """Microseconds of processor time per stored article."""

    with_stories: float
    without: float
    lookup: float  # of which keying the article and looking for its story


def storing_cost(count: int, rounds: int = 5) -> StoringCost:
    """What putting each stored article into its story costs.

    Without: no keys, no lookup and none of the story indexes, the rest alike. Processor
    time, the best of a few rounds of each, alternating, on a fresh store each time: wall
    time on a shared machine varies more than the difference.
    """
    articles = list(generate_articles(count))
    best = {True: float("inf"), False: float("inf")}
    lookup = float("inf")
    with tempfile.TemporaryDirectory() as directory:
        for round_number in range(rounds):
            for stories in (True, False):
                store = Store(Path(directory) / f"{round_number}-{stories}.sqlite3")
                feeds = [
                    store.add_feed(Feed(source=f"local:{n}", title=f"Feed {n}")).id
                    for n in range(50)
                ]
                spent = [0.0]

                def timed_place(*args: Any, spent: list[float] = spent) -> Any:
                    started = time.process_time()
                    place = story_place(*args)
                    spent[0] += time.process_time() - started
                    return place

                def no_story(*args: Any) -> Any:
                    return (None, None, 0, 0, None)

                if not stories:
                    for index in STORY_INDEXES:
                        store.connection().execute(f"DROP INDEX {index}")
                with patch.object(
                    store_module, "story_place", timed_place if stories else no_story
                ):
                    started = time.process_time()
                    for start in range(0, count, 2_500):
                        # As a refresh stores them: each feed's new entries at once.
                        by_feed: dict[int, list[Article]] = {}
                        for feed, article in articles[start : start + 2_500]:
                            by_feed.setdefault(feed, []).append(article)
                        for feed, batch in by_feed.items():
                            feed_id = feeds[feed]
                            assert feed_id is not None
                            store.save_articles(feed_id, batch)
                    took = (time.process_time() - started) / count * 1e6
                store.close()
                best[stories] = min(best[stories], took)
                if stories:
                    lookup = min(lookup, spent[0] / count * 1e6)
    return StoringCost(best[True], best[False], lookup)


def measure(store: Store, sample: int) -> dict[str, list[float]]:
    db = store.connection()
    rng = random.Random(4)
    generated = [row[0] for row in db.execute("SELECT id FROM articles WHERE guid LIKE 'bench-%'")]
    topical = [row[0] for row in db.execute("SELECT id FROM articles WHERE guid LIKE 'topical-%'")]
    groups = {
        "topical articles": rng.sample(topical, min(sample, len(topical))),
        "generated articles (no distinctive words)": rng.sample(
            generated, min(sample, len(generated))
        ),
    }
    timings: dict[str, list[float]] = {}
    for name, ids in groups.items():
        timings[name] = []
        for article_id in ids:
            started = time.perf_counter()
            store.similar_articles(article_id)
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def table(timings: dict[str, list[float]], first: float, storing: StoringCost) -> str:
    every = sorted(t for values in timings.values() for t in values)
    lines = ["| articles | median | 95th percentile | worst |", "| --- | --- | --- | --- |"]
    for name, values in timings.items():
        lines.append(
            f"| {name} | {statistics.median(values):.1f} ms | {_p95(values):.1f} ms "
            f"| {max(values):.1f} ms |"
        )
    lines.append(
        f"| **all** | **p50 {statistics.median(every):.1f} ms** | **{_p95(every):.1f} ms** "
        f"| **{max(every):.1f} ms** |"
    )
    extra = storing.with_stories - storing.without
    lines += [
        "",
        f"The first article after opening the store took {first:.1f} ms (word counts not yet "
        "remembered).",
        "",
        f"Storing an article (a feed's new entries at once, processor time): "
        f"{storing.with_stories:.0f} µs with stories, {storing.without:.0f} µs without "
        f"({extra:+.0f} µs), of which {storing.lookup:.0f} µs keying it and looking up "
        "its story.",
    ]
    return "\n".join(lines)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="related articles latency")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--stored", type=int, default=5_000, help="articles for the storing cost")
    args = parser.parse_args(argv)
    store = Store(related_store(args.articles))
    started = time.perf_counter()
    store.similar_articles(1)
    first = (time.perf_counter() - started) * 1000
    timings = measure(store, args.sample)
    store.close()
    print(table(timings, first, storing_cost(args.stored)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
