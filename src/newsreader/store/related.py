"""Stored articles most like a given one, across all feeds: the sidebar's computed related items.

The article's most distinctive words (often in it, rare in the store: tf x idf) are ORed
into one full-text query ranked by bm25. The best matches are then scored again with each
word weighted by how distinctive it is for this article, which one FTS5 query cannot do,
and weighted by how close in time they are to the article: the same news days come first,
while a much stronger match from long ago still beats a weak one from today.

Costs are bounded so that one article takes a few milliseconds in a store of 100,000:
word counts are capped and remembered, and the chosen words together match at most
``POSTINGS_BUDGET`` articles. Words too common to tell stories apart are skipped; an
article made only of such words is compared with the newest articles that share them.
"""

from __future__ import annotations

import heapq
import math
import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass

from newsreader.models import RelatedItem
from newsreader.store.rows import inflate, parse_datetime
from newsreader.store.stories import near_identical, title_key, url_key, without_accents
from newsreader.text.wordforms import FUNCTION_WORDS

# Words chosen from the article for the query.
MAX_TERMS = 12
# A word in more than this share of the store's articles says little about a story...
COMMON_SHARE = 0.02
# ... but in a small store every word is in a large share of it.
COMMON_FLOOR = 25
# Most articles that the chosen words may match together: bm25 costs about a microsecond
# for each, and ranks them all.
POSTINGS_BUDGET = 20_000
# For an article without distinctive words: this many of its best common words, matched
# against the newest articles that hold them (ranking them all by bm25 would mean
# counting every article that holds such a word).
FALLBACK_TERMS = 4
# Best matches scored again, per related item wanted (and at least MIN_CANDIDATES).
CANDIDATES_PER_ITEM = 3
MIN_CANDIDATES = 24
# A candidate must hold at least this many of the chosen words (fewer if fewer were
# chosen): one word in common is a coincidence more often than a story.
MIN_SHARED_WORDS = 2
# A candidate's time weight halves towards RECENCY_FLOOR every HALF_LIFE_DAYS away from the
# article: a match at least 1 / RECENCY_FLOOR times stronger wins whatever its age.
HALF_LIFE_DAYS = 7.0
RECENCY_FLOOR = 0.5
# How much a word counts where it stands: in the title, in the teaser, in the body.
PLACE_WEIGHTS = (3, 2, 1)
# bm25 weights of the index's columns (title, teaser, body), as the search ranks them.
BM25 = "bm25(articles_fts, 10.0, 4.0, 1.0)"
# The usual bm25 constants: how soon repeating a word stops adding, how much length costs.
K1 = 1.2
B = 0.75
# Words are first counted only this far (see WordCounts).
QUICK_COUNT = 200
# Remembered word counts are dropped when the store has grown or shrunk by this share.
COUNTS_DRIFT = 0.1
COUNTS_REMEMBERED = 200_000

_SECONDS_PER_DAY = 86_400
# Word characters as the index's tokenizer (unicode61) sees them: letters and digits.
_SEPARATORS = re.compile(r"[\W_]+")


def _folded(text: str) -> str:
    """Lower case without accents, as the full-text index stores words."""
    return without_accents(text).lower()


def index_words(text: str) -> list[str]:
    """The words of ``text`` as the full-text index stores them: lower case, no accents."""
    return [word for word in _SEPARATORS.split(_folded(text)) if word]


# As the index stores them ("für" is "fur").
_FUNCTION_WORDS = frozenset(index_words(" ".join(sorted(FUNCTION_WORDS))))


def _useful(word: str) -> bool:
    """Single letters, bare numbers (times, years, amounts) and words such as "the" or "und"
    say nothing of a topic; in a small store their rarity would make them look as if they did.
    """
    return len(word) > 1 and not word.isdigit() and word not in _FUNCTION_WORDS


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class WordCounts:
    """How many articles hold each word, counted only as far as needed, remembered.

    Counting a word walks its list of articles in the index; for a common word that is
    tens of thousands of entries. Beyond the cutoff only "too common" matters, and most
    words are first counted only to ``QUICK_COUNT``: that bounds their weight from above,
    and only the few that could make it into the query are counted further. Common words
    come back in every article, so remembering them (across calls and threads) pays at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # word -> (count, the limit it was counted to)
        self._counts: dict[str, tuple[int, int]] = {}
        self._total = 0

    def cutoff(self, total: int) -> int:
        """Words in more articles than this are too common; ``total`` articles in all."""
        with self._lock:
            if abs(total - self._total) > COUNTS_DRIFT * max(self._total, 1):
                self._counts = {}
                self._total = total
            remembered_total = self._total
        return max(COMMON_FLOOR, int(COMMON_SHARE * remembered_total))

    def counts(self, db: sqlite3.Connection, words: list[str], limit: int) -> dict[str, int]:
        """Each word's article count, counted up to ``limit`` (which then means "or more")."""
        known: dict[str, int] = {}
        with self._lock:
            for word in words:
                remembered = self._counts.get(word)
                if remembered is not None and (
                    remembered[0] < remembered[1] or remembered[1] >= limit
                ):
                    known[word] = min(remembered[0], limit)
        missing = [word for word in words if word not in known]
        for word in missing:
            row = db.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? "
                "LIMIT ?)",
                (_quoted(word), limit),
            ).fetchone()
            known[word] = int(row[0])
        with self._lock:
            if len(self._counts) > COUNTS_REMEMBERED:
                self._counts = {}
            self._counts.update((word, (known[word], limit)) for word in missing)
        return known


@dataclass(frozen=True, slots=True)
class _Source:
    id: int
    story_id: int
    sort_time: int | None
    text: str
    url_key: str | None
    title_key: str | None
    weighted_words: Counter[str]


def _source(db: sqlite3.Connection, article_id: int) -> _Source | None:
    row = db.execute(
        "SELECT id, story_id, sort_time, title, teaser, body_z, url FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    body = inflate(row["body_z"])
    weighted: Counter[str] = Counter()
    for weight, text in zip(PLACE_WEIGHTS, (row["title"], row["teaser"], body), strict=True):
        for word in index_words(text):
            if _useful(word):
                weighted[word] += weight
    return _Source(
        id=row["id"],
        story_id=row["story_id"] if row["story_id"] is not None else row["id"],
        sort_time=row["sort_time"],
        text=f"{row['teaser']}\n\n{body}",
        url_key=url_key(row["url"]),
        title_key=title_key(row["title"]),
        weighted_words=weighted,
    )


def _choose_words(
    db: sqlite3.Connection,
    source: _Source,
    word_counts: WordCounts,
    total: int,
    copies: int,
) -> tuple[dict[str, float], bool]:
    """The query's words with their weights, and whether they are distinctive.

    A word only this story's copies hold finds nothing else; one above the cutoff finds
    everything. The rest are taken by tf x idf while their matches fit the budget. Without
    any, the article's best few common words are taken (the second value is then False).
    A word's weight in the query is its tf x idf here; matching it in a candidate is worth
    its idf again, as in bm25 (a query word boosted by its score).
    """
    cutoff = word_counts.cutoff(total)
    quick = max(copies + 1, min(QUICK_COUNT, cutoff + 1))
    counts = word_counts.counts(db, sorted(source.weighted_words), quick)

    def entry(word: str, count: int) -> tuple[float, str, int, float]:
        idf = math.log(max(total, count) / count)
        return (-(1 + math.log(source.weighted_words[word])) * idf, word, count, idf)

    # Best first; a word counted only to ``quick`` has at most the score it shows.
    heap = [entry(word, count) for word, count in counts.items() if count > copies]
    heapq.heapify(heap)
    fallback = heapq.nsmallest(FALLBACK_TERMS, heap)
    chosen: dict[str, float] = {}
    postings = 0
    while heap and len(chosen) < MAX_TERMS:
        negated, word, count, idf = heapq.heappop(heap)
        if count == quick <= cutoff:
            exact = word_counts.counts(db, [word], cutoff + 1)[word]
            if exact > count:
                heapq.heappush(heap, entry(word, exact))
                continue
        if count > cutoff or postings + count > POSTINGS_BUDGET:
            continue
        chosen[word] = -negated * idf
        postings += count
    if chosen:
        return chosen, True
    return {word: -negated * idf for negated, word, _, idf in fallback}, False


def _named_stories(db: sqlite3.Connection, article_id: int) -> set[int]:
    """Stories the source's own related items point to: the sidebar lists those already."""
    stories: set[int] = set()
    for item in db.execute(
        "SELECT title, url FROM related_items WHERE article_id = ?", (article_id,)
    ).fetchall():
        rows = db.execute(
            "SELECT story_id FROM articles WHERE url_key = ? UNION "
            "SELECT story_id FROM articles WHERE title_key = ?",
            (url_key(item["url"]), title_key(item["title"])),
        )
        stories.update(row[0] for row in rows)
    return stories


def _recency(source_time: int | None, candidate_time: int | None) -> float:
    if source_time is None:
        return 1.0
    if candidate_time is None:
        return RECENCY_FLOOR
    days = abs(int(candidate_time) - int(source_time)) / _SECONDS_PER_DAY
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * math.pow(0.5, days / HALF_LIFE_DAYS)


def similar_articles(
    db: sqlite3.Connection, article_id: int, limit: int, word_counts: WordCounts
) -> list[RelatedItem]:
    """Up to ``limit`` stored stories most like the article, most similar first.

    Never the article itself, a copy of its story (in another feed, or the same text
    again in its own feed), nor a story the article's own related items already name.
    Each story shows once, as its first copy. Ties go to the newer story, then the older id.
    """
    source = _source(db, article_id)
    if source is None or limit <= 0:
        return []
    total = int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    copies = int(
        db.execute(
            "SELECT COUNT(*) FROM articles WHERE story_id = ?", (source.story_id,)
        ).fetchone()[0]
    )
    weights, distinctive = _choose_words(db, source, word_counts, total, max(copies, 1))
    if not weights:
        return []
    match = " OR ".join(_quoted(word) for word in sorted(weights))
    wanted = max(MIN_CANDIDATES, CANDIDATES_PER_ITEM * limit)
    if distinctive:
        found = db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "AND rowid NOT IN (SELECT id FROM articles WHERE story_id = ?) "
            f"ORDER BY {BM25}, rowid LIMIT ?",
            (match, source.story_id, wanted),
        )
    else:
        found = db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "AND rowid NOT IN (SELECT id FROM articles WHERE story_id = ?) "
            "ORDER BY rowid DESC LIMIT ?",
            (match, source.story_id, wanted),
        )
    candidates = [row[0] for row in found]
    if not candidates:
        return []
    return _ranked(db, source, weights, candidates, limit)


@dataclass(frozen=True, slots=True)
class _Candidate:
    story_id: int
    sort_time: int | None
    item: RelatedItem


def _ranked(
    db: sqlite3.Connection,
    source: _Source,
    weights: dict[str, float],
    candidates: list[int],
    limit: int,
) -> list[RelatedItem]:
    """The candidates scored by the weighted words and time, one per story, best first."""
    marks = ", ".join("?" for _ in candidates)
    rows = db.execute(
        "SELECT candidate.id, candidate.story_id, candidate.url_key, candidate.title_key, "
        "candidate.title AS own_title, candidate.teaser AS own_teaser, candidate.body_z, "
        "first.title, first.teaser, first.url, first.published, first.updated, "
        "first.sort_time, feeds.title AS feed_title "
        "FROM articles AS candidate JOIN articles AS first ON first.id = candidate.story_id "
        "JOIN feeds ON feeds.id = first.feed_id "
        f"WHERE candidate.id IN ({marks})",
        candidates,
    ).fetchall()
    named = _named_stories(db, source.id)
    texts = {
        row["id"]: (row["own_title"], row["own_teaser"], inflate(row["body_z"])) for row in rows
    }
    lengths = {key: _length(text) for key, text in texts.items()}
    average = sum(lengths.values()) / max(len(lengths), 1)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in weights) + r")\b")
    best: dict[int, tuple[float, _Candidate]] = {}
    for row in rows:
        if row["story_id"] in named or _duplicate(source, row, texts[row["id"]]):
            continue
        similarity = _similarity(weights, pattern, texts[row["id"]], lengths[row["id"]], average)
        score = similarity * _recency(source.sort_time, row["sort_time"])
        kept = best.get(row["story_id"])
        if kept is None or score > kept[0]:
            best[row["story_id"]] = (score, _candidate(row))
    ordered = sorted(
        best.values(),
        key=lambda pair: (-pair[0], -(pair[1].sort_time or 0), pair[1].story_id),
    )
    return [candidate.item for score, candidate in ordered[:limit] if score > 0]


def _candidate(row: sqlite3.Row) -> _Candidate:
    """The story's first copy as a related item."""
    stamp = parse_datetime(row["updated"] or row["published"])
    item = RelatedItem(
        title=row["title"],
        teaser=row["teaser"],
        date=stamp.date() if stamp is not None else None,
        url=row["url"],
        article_id=row["story_id"],
        feed_title=row["feed_title"],
        computed=True,
        published=stamp,
    )
    return _Candidate(row["story_id"], row["sort_time"], item)


def _length(text: tuple[str, str, str]) -> int:
    """The text's length in words, each counted by where it stands."""
    return sum(weight * len(part.split()) for weight, part in zip(PLACE_WEIGHTS, text, strict=True))


def _similarity(
    weights: dict[str, float],
    pattern: re.Pattern[str],
    text: tuple[str, str, str],
    length: int,
    average: float,
) -> float:
    """bm25 of the candidate, each query word weighted by its weight in the source."""
    found: Counter[str] = Counter()
    for weight, part in zip(PLACE_WEIGHTS, text, strict=True):
        for word in pattern.findall(_folded(part)):
            found[word] += weight
    if len(found) < min(MIN_SHARED_WORDS, len(weights)):
        return 0.0
    norm = K1 * (1 - B + B * length / average) if average else K1
    return sum(weights[word] * count * (K1 + 1) / (count + norm) for word, count in found.items())


def _duplicate(source: _Source, row: sqlite3.Row, text: tuple[str, str, str]) -> bool:
    """The same story stored again outside the source's story: same link, or same text."""
    if source.url_key is not None and row["url_key"] == source.url_key:
        return True
    if source.title_key is None or row["title_key"] != source.title_key:
        return False
    return near_identical(source.text, f"{text[1]}\n\n{text[2]}")
