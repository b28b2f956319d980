"""Refresh benchmark: newsreader against newsboat on the same corpus, in the same run.

    python -m bench.refresh [--feeds 200] [--entries 50] [--no-newsboat]

It serves the deterministic corpus from bench/corpus.py on 127.0.0.1 and times three
refreshes of all feeds: cold (empty store), warm with validators (every feed answers 304)
and warm without validators (full bodies, byte-identical to the last ones). When newsboat
is installed, `newsboat -x reload` runs the same three refreshes and the ratio is printed.
Compare ratios, not seconds: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import generate_corpus
from bench.server import CorpusServer, serve
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.refresh import refresh
from newsreader.models import Feed
from newsreader.store.database import Store

SCENARIOS = ("cold", "warm, all 304", "warm, no validators")
NEWSBOAT_THREADS = 4  # the same as newsreader's per-host connection limit


@dataclass
class Timing:
    seconds: float
    detail: str


def _timed(action: Callable[[], str]) -> Timing:
    start = time.perf_counter()
    detail = action()
    return Timing(time.perf_counter() - start, detail)


def run_newsreader(server: CorpusServer, names: list[str], workdir: Path) -> dict[str, Timing]:
    store = Store(workdir / "newsreader.sqlite3")
    for name in names:
        store.add_feed(Feed(source=server.url(name), title=name))
    settings = FetchSettings(trust_env=False)

    def once() -> str:
        outcomes = refresh(store, settings=settings)
        states = Counter(outcome.state.value for outcome in outcomes)
        return ", ".join(f"{count} {state}" for state, count in sorted(states.items()))

    results: dict[str, Timing] = {}
    server.set_validators(True)
    results["cold"] = _timed(once)
    results["warm, all 304"] = _timed(once)
    server.set_validators(False)
    results["warm, no validators"] = _timed(once)
    server.set_validators(True)
    articles = store.count_articles()
    results["cold"].detail += f"; {articles} articles stored"
    store.close()
    return results


def run_newsboat(server: CorpusServer, names: list[str], workdir: Path) -> dict[str, Timing]:
    home = workdir / "newsboat-home"
    home.mkdir()
    urls = home / "urls"
    urls.write_text("".join(server.url(name) + "\n" for name in names))
    config = home / "config"
    config.write_text(f"reload-threads {NEWSBOAT_THREADS}\n")
    cache = home / "cache.db"
    command = ["newsboat", "-x", "reload", "-u", str(urls), "-c", str(cache), "-C", str(config)]
    env = {**os.environ, "HOME": str(home)}

    def once() -> str:
        before = server.stats()
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
        after = server.stats()
        answered_304 = after["not_modified"] - before["not_modified"]
        return f"{after['requests'] - before['requests']} requests, {answered_304} answered 304"

    results: dict[str, Timing] = {}
    server.set_validators(True)
    results["cold"] = _timed(once)
    # newsboat stores a feed's validators only once the feed is in its cache, which the
    # first reload does after fetching; one more reload lets it send them.
    once()
    results["warm, all 304"] = _timed(once)
    server.set_validators(False)
    results["warm, no validators"] = _timed(once)
    server.set_validators(True)
    return results


def table(ours: dict[str, Timing], theirs: dict[str, Timing] | None) -> str:
    lines = [
        "| refresh | newsreader | newsboat | newsreader / newsboat |",
        "| --- | --- | --- | --- |",
    ]
    for scenario in SCENARIOS:
        mine = ours[scenario].seconds
        if theirs:
            other = theirs[scenario].seconds
            lines.append(f"| {scenario} | {mine:.2f} s | {other:.2f} s | {mine / other:.2f}× |")
        else:
            lines.append(f"| {scenario} | {mine:.2f} s | not installed | – |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--no-newsboat", action="store_true", help="skip the comparison")
    args = parser.parse_args(argv)

    corpus = generate_corpus(args.feeds, args.entries)
    names = sorted(corpus)
    megabytes = sum(map(len, corpus.values())) / 1e6
    size = f"{args.feeds} feeds × {args.entries} entries, {megabytes:.1f} MB"
    print(f"corpus: {size}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp, serve(corpus) as server:
        workdir = Path(tmp)
        ours = run_newsreader(server, names, workdir)
        theirs = None
        if not args.no_newsboat and shutil.which("newsboat"):
            theirs = run_newsboat(server, names, workdir)
    for scenario in SCENARIOS:
        print(f"newsreader {scenario}: {ours[scenario].detail}", file=sys.stderr)
        if theirs:
            print(f"newsboat   {scenario}: {theirs[scenario].detail}", file=sys.stderr)
    print(table(ours, theirs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
