"""Search latency over a store of 100,000 articles, LIMIT 50 with snippets.

    python -m bench.search [--articles 100000] [--rounds 5]

Targets: p50 ≤ 15 ms and worst case ≤ 100 ms. The queries mix rare and very common
words, phrases, prefixes, OR and exclusions in German and English, other word forms and
spellings ("Kooperationen", "Strasse"), filters, and a few listed by date.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.stores import large_store
from newsreader.store.database import Store
from newsreader.store.query import SortOrder

QUERIES = [
    "Volkswagen",
    "Kooperation Werk",
    '"Volkswagen Werk"',
    "Koop*",
    "Mu*",
    "ha*",
    "die",
    "the",
    "football club",
    "München",
    "Bürger -Straße",
    "harbour OR hospital",
    "hospital care policy",
    "Gewerkschaft Betriebsrat Tarif",
    "zzzz",
    "Kooperationen Werke",
    "Strasse Buerger",
    "Universitaeten",
    "hospitals -harbours",
    'Werk feed:"Bench 07"',
    "harbour since:2026-02-01 -is:read",
    "tag:politik",
    'is:unread feed:"Bench 03"',
]
# Listed newest first as well: common, rare, by word form, and with a filter.
BY_DATE = ["die", "Volkswagen", "Kooperationen", "zzzz", 'harbour feed:"Bench 07"']


def measure(store: Store, rounds: int) -> dict[str, list[float]]:
    runs = [(query, SortOrder.RELEVANCE) for query in QUERIES]
    runs += [(query, SortOrder.DATE) for query in BY_DATE]
    timings: dict[str, list[float]] = {_label(*run): [] for run in runs}
    for query, sort in runs:
        store.search(query, sort=sort)  # warm the page cache as a second search finds it
    for _ in range(rounds):
        for query, sort in runs:
            started = time.perf_counter()
            store.search(query, limit=50, sort=sort)
            timings[_label(query, sort)].append((time.perf_counter() - started) * 1000)
    return timings


def _label(query: str, sort: SortOrder) -> str:
    return query if sort is SortOrder.RELEVANCE else f"{query} (by date)"


def table(timings: dict[str, list[float]]) -> str:
    every = sorted(t for values in timings.values() for t in values)
    lines = ["| query | median | worst |", "| --- | --- | --- |"]
    for query, values in timings.items():
        median, worst = statistics.median(values), max(values)
        lines.append(f"| `{query}` | {median:.1f} ms | {worst:.1f} ms |")
    lines.append(
        f"| **all** | **p50 {statistics.median(every):.1f} ms** | **{max(every):.1f} ms** |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="search latency")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--store", type=Path, help="search this store instead of a built one")
    args = parser.parse_args(argv)
    store = Store(args.store or large_store(args.articles))
    print(table(measure(store, args.rounds)))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
