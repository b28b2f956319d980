"""Moving in from newsboat: importing its cache against our own cold refresh of the same feeds.

    python -m bench.newsboat_import [--feeds 200] [--entries 50]

Serves the refresh benchmark's corpus on 127.0.0.1 (200 feeds × 50 entries: 10,000
articles), lets ``newsboat -x reload`` fill a cache from it, then times, in the same run,
newsreader's cold refresh of those feeds into one empty store and ``import newsboat`` of the
cache (reading the urls file and the cache included) into another, in turns, and reports
the medians. Needs newsboat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import generate_corpus
from bench.server import serve
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.newsboat_cache import read_cache
from newsreader.feeds.newsboat_import import import_newsboat
from newsreader.feeds.newsboat_urls import parse_urls
from newsreader.feeds.refresh import refresh
from newsreader.models import Feed
from newsreader.store.database import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="the median of so many")
    args = parser.parse_args(argv)
    if shutil.which("newsboat") is None:
        print("newsboat is not installed: the import benchmark needs its cache")
        return 0
    corpus = generate_corpus(args.feeds, args.entries)
    names = sorted(corpus)
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp, serve(corpus) as server:
        work = Path(tmp)
        urls = work / "urls"
        urls.write_text("".join(server.url(name) + "\n" for name in names))
        (work / "config").write_text("reload-threads 4\nmax-items 0\n")
        command = [
            "newsboat", "-x", "reload", "-u", str(urls), "-c", str(work / "cache.db"),
            "-C", str(work / "config"),
        ]  # fmt: skip
        env = {**os.environ, "HOME": str(work)}
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)

        colds, moves = [], []
        for round_number in range(args.rounds):  # taken in turns: both see the same load
            refreshed = Store(work / f"refreshed-{round_number}.sqlite3")
            for name in names:
                refreshed.add_feed(Feed(source=server.url(name), title=name))
            start = time.perf_counter()
            refresh(refreshed, settings=FetchSettings(trust_env=False))
            colds.append(time.perf_counter() - start)
            refreshed_count = refreshed.count_articles()
            refreshed.close()

            imported = Store(work / f"imported-{round_number}.sqlite3")
            start = time.perf_counter()
            cache = read_cache(work / "cache.db")
            import_newsboat(imported, parse_urls(urls.read_text()), cache)
            moves.append(time.perf_counter() - start)
            imported_count = imported.count_articles()
            imported.close()
        cold, moved = statistics.median(colds), statistics.median(moves)
    print(
        f"cache: {len(cache.items)} articles; refresh stored {refreshed_count}, "
        f"import {imported_count}",
        file=sys.stderr,
    )
    print(
        f"| {len(cache.items):,} articles into an empty store, median of {args.rounds} "
        "| seconds | / cold refresh |"
    )
    print("| --- | --- | --- |")
    print(f"| cold refresh of the feeds | {cold:.2f} s | 1.00× |")
    print(f"| import of newsboat's cache of them | {moved:.2f} s | {moved / cold:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
