"""A million articles: search, the article list, related articles, the feed list's counts,
the first screen, memory and disk, on one store built through the normal storing path.

    python -m bench.large [--articles 1000000] [--runs 5]   (make bench-large)

The store is built once (about a quarter of an hour) and kept in bench/results/ across
versions of the schema; opening it upgrades it as a user's store would be, and the time
that takes is reported. It is kept out of ``make bench`` and CI: it takes minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

from bench.reading import list_in_app
from bench.search import measure as measure_search
from bench.startup import newest_title
from bench.stores import disk_use, large_store
from bench.terminal import time_to_text
from newsreader.store.database import Store

BIN = Path(sys.executable).parent
# Saved searches on words most articles carry, the worst case for counting them.
SAVED = [
    "die", "der", "und", "the", "and", "of", "Volkswagen", "Werk", "harbour", "city",
    "Stadt", "Schule", "hospital", "football", "Hafen", "Energie", "climate", "police",
    "Kooperation", "market",
]  # fmt: skip


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "**missed**"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def opening(path: Path) -> float:
    """Seconds to open (and, if needed, upgrade) the store."""
    started = time.perf_counter()
    Store(path).close()
    return time.perf_counter() - started


def related(path: Path, sample: int) -> tuple[float, list[float]]:
    """The first call after opening the store, then ``sample`` random articles (ms)."""
    store = Store(path)
    count = store.connection().execute("SELECT MAX(id) FROM articles").fetchone()[0]
    ids = random.Random(5).sample(range(1, count + 1), sample)
    started = time.perf_counter()
    store.similar_articles(ids[0])
    first = (time.perf_counter() - started) * 1000
    timings = [first]
    for article_id in ids[1:]:
        started = time.perf_counter()
        store.similar_articles(article_id)
        timings.append((time.perf_counter() - started) * 1000)
    store.close()
    return first, timings


def feed_list_counts(path: Path, rounds: int) -> tuple[list[float], list[float]]:
    """What the feed list's worker reads, with 20 saved searches on common words: the
    feeds and the three view counts, then every saved search's (seconds per round)."""
    store = Store(path)
    for number, query in enumerate(SAVED):
        store.save_search(f"Common {number:02d}", query)
    feeds: list[float] = []
    searches: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        store.feeds()
        store.count_articles()
        store.count_articles(unread_only=True)
        store.count_articles(starred_only=True)
        feeds.append(time.perf_counter() - started)
        started = time.perf_counter()
        store.saved_searches()
        searches.append(time.perf_counter() - started)
    store.close()
    return feeds, searches


def first_screen(path: Path, runs: int) -> tuple[list[float], list[float], float | None]:
    needle = newest_title(path)
    reader = [str(BIN / "newsreader"), "--db", str(path)]
    minimal = [sys.executable, "-m", "bench.minimal_app"]
    time_to_text(minimal, "minimal app ready")  # untimed: writes the bytecode caches
    _, rss = time_to_text(reader, needle)
    ours: list[float] = []
    baseline: list[float] = []
    for _ in range(runs):  # interleaved, so that load on the machine hits both alike
        baseline.append(time_to_text(minimal, "minimal app ready")[0])
        seconds, memory = time_to_text(reader, needle)
        ours.append(seconds)
        rss = max(rss or 0, memory or 0)
    return ours, baseline, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a million articles")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--skip-disk", action="store_true", help="leave out the disk figure")
    args = parser.parse_args(argv)
    path = large_store(args.articles)
    upgrade = opening(path)
    print(f"store opened in {upgrade:.1f} s", file=sys.stderr)

    rows: list[tuple[str, str, str, str]] = []
    store = Store(path)
    timings = measure_search(store, rounds=3)
    store.close()
    every = sorted(t for values in timings.values() for t in values)
    slowest = max(timings, key=lambda query: max(timings[query]))
    p50, worst = statistics.median(every), max(every)
    rows.append(
        (
            "search p50 / worst (LIMIT 50, snippets, 28 queries × 3)",
            f"{p50:.1f} / {worst:.1f} ms (slowest: `{slowest}`)",
            "≤ 20 / 150 ms",
            "met" if p50 <= 20 and worst <= 150 else "**missed**",
        )
    )
    print("search done", file=sys.stderr)

    listing = asyncio.run(list_in_app(args.articles, pages=20))
    rows.append(
        (
            '"All articles" to its first rows drawn',
            ms(listing["open"]),
            "≤ 200 ms",
            verdict(listing["open"], 0.2),
        )
    )
    rows.append(("`end` to the last rows drawn", ms(listing["end"]), "≤ 100 ms", ""))
    rows[-1] = (*rows[-1][:3], verdict(listing["end"], 0.1))
    rows.append(
        (
            "a jump to the middle to its rows drawn",
            ms(listing["middle"]),
            "≤ 100 ms",
            verdict(listing["middle"], 0.1),
        )
    )
    rows.append(
        (
            "20 × pagedown: worst / median",
            f"{ms(listing['page worst'])} / {ms(listing['page median'])}",
            "no stutter",
            "",
        )
    )
    print("list done", file=sys.stderr)

    first, related_ms = related(path, args.sample)
    p95 = _p95(related_ms)
    rows.append(
        (
            f"related articles p95 of {args.sample} (first call after opening included)",
            f"{p95:.1f} ms (median {statistics.median(related_ms):.1f}, first {first:.1f}, "
            f"worst {max(related_ms):.1f})",
            "≤ 30 ms",
            verdict(p95, 30),
        )
    )
    print("related done", file=sys.stderr)

    feeds, searches = feed_list_counts(path, rounds=3)
    total = [a + b for a, b in zip(feeds, searches, strict=True)]
    rows.append(
        (
            f"the feed list's counts, {len(SAVED)} saved searches on common words (worst of 3)",
            f"{ms(max(total))}: feeds and views {ms(max(feeds))}, saved searches "
            f"{ms(max(searches))}",
            "≤ 100 ms, in a worker",
            verdict(max(total), 0.1),
        )
    )
    print("counts done", file=sys.stderr)

    ours, baseline, rss = first_screen(path, args.runs)
    ratios = [a / b for a, b in zip(ours, baseline, strict=True)]
    rows.append(
        (
            f"first screen against a minimal Textual app ({args.runs} interleaved runs)",
            f"median {statistics.median(ratios):.2f}×, runs "
            + ", ".join(f"{ratio:.2f}×" for ratio in ratios)
            + f" ({ms(statistics.median(ours))} vs {ms(statistics.median(baseline))})",
            "≤ 1.5× in every run",
            verdict(max(ratios), 1.5),
        )
    )
    memory = f"{rss:.0f} MiB" if rss else "unknown"
    rows.append(("memory after the first screen (most of any run)", memory, "≤ 150 MiB", ""))
    rows[-1] = (*rows[-1][:3], verdict(rss or 1e9, 150))
    print("first screen done", file=sys.stderr)

    if not args.skip_disk:
        on_disk, text = disk_use(path)
        rows.append(
            (
                "disk against the text it holds",
                f"{on_disk / 1e9:.2f} GB / {text / 1e9:.2f} GB = {on_disk / text:.2f}×",
                "≤ 1.5×",
                verdict(on_disk / text, 1.5),
            )
        )

    print(f"{args.articles:,} articles, opened (and upgraded if needed) in {upgrade:.1f} s.")
    print()
    print("| measure | result | target | |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
