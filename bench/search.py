"""Search latency over a store of 100,000 articles, LIMIT 50 with snippets.

    python -m bench.search [--articles 100000] [--rounds 5]

Targets: p50 ≤ 15 ms and worst case ≤ 100 ms. The queries mix rare and very common
words, phrases, prefixes, OR and exclusions in German and English.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.stores import large_store
from newsreader.store import Store

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
]


def measure(store: Store, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    for query in QUERIES:
        store.search(query)  # warm the page cache the way a second search would find it
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            store.search(query, limit=50)
            timings[query].append((time.perf_counter() - started) * 1000)
    return timings


def table(timings: dict[str, list[float]]) -> str:
    every = sorted(t for values in timings.values() for t in values)
    lines = ["| query | median | worst |", "| --- | --- | --- |"]
    for query, values in timings.items():
        lines.append(f"| `{query}` | {statistics.median(values):.1f} ms | {max(values):.1f} ms |")
    lines.append(
        f"| **all** | **p50 {statistics.median(every):.1f} ms** | **{max(every):.1f} ms** |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="search latency")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    store = Store(large_store(args.articles))
    print(table(measure(store, args.rounds)))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
