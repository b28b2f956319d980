"""Refresh benchmark: whole `newsreader refresh` processes against whole `newsboat -x reload`
processes, on the same corpus, from the same server, in the same run.

    python -m bench.refresh [--feeds 200] [--entries 50] [--rounds 3] [--no-newsboat]

It serves the deterministic corpus from bench/corpus.py on 127.0.0.1. Each round times, on
each side, a cold refresh (empty store, every index built inside the measured window), a
warm one where every feed answers 304 and one without validators (full bodies,
byte-identical to the last ones). Each refresh is a process of its own, as a user types
it: start-up, imports, TLS set-up and the store's commit are all inside the window. The
subscriptions are written before the clock starts, as newsboat's urls file is. Rounds
alternate between the two programs, so load on the shared machine hits both alike;
compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import generate_corpus
from bench.server import CorpusServer, serve
from newsreader.models import Feed
from newsreader.store.database import Store

SCENARIOS = ("cold", "warm, all 304", "warm, no validators")
NEWSBOAT_THREADS = 4  # the same as newsreader's per-host connection limit
NEWSREADER = Path(sys.executable).parent / "newsreader"
PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
)

Round = dict[str, float]


@dataclass
class Side:
    """One program's rounds: seconds per scenario, and what its last round did."""

    rounds: list[Round]
    detail: dict[str, str]


def _environment(home: Path) -> dict[str, str]:
    """A home of its own (no user config, no user store), no proxy between us and the
    server, compiled bytecode kept, as installed, so no run is timed compiling sources, and
    output buffered as a user's shell leaves it."""
    dropped = {*PROXY_VARIABLES, "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env |= {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
    }
    return env


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - start


def _requests(server: CorpusServer, action: Callable[[], float]) -> tuple[float, str]:
    before = server.stats()
    seconds = action()
    after = server.stats()
    answered_304 = after["not_modified"] - before["not_modified"]
    return (
        seconds,
        f"{after['requests'] - before['requests']} requests, {answered_304} answered 304",
    )


def newsreader_round(
    server: CorpusServer, names: list[str], workdir: Path
) -> tuple[Round, dict[str, str]]:
    home = workdir / "newsreader-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    db = home / "newsreader.sqlite3"
    store = Store(db)
    for name in names:
        store.add_feed(Feed(source=server.url(name), title=name))
    store.close()
    command = [str(NEWSREADER), "--db", str(db), "refresh"]
    env = _environment(home)
    seconds: Round = {}
    detail: dict[str, str] = {}
    server.set_validators(True)
    for scenario in SCENARIOS:
        server.set_validators(scenario != "warm, no validators")
        seconds[scenario], detail[scenario] = _requests(server, lambda: _timed(command, env))
    server.set_validators(True)
    with sqlite3.connect(db) as connection:
        articles = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    connection.close()
    detail["cold"] += f"; {articles} articles stored"
    return seconds, detail


def newsboat_round(
    server: CorpusServer, names: list[str], workdir: Path
) -> tuple[Round, dict[str, str]]:
    home = workdir / "newsboat-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    urls = home / "urls"
    urls.write_text("".join(server.url(name) + "\n" for name in names))
    config = home / "config"
    config.write_text(f"reload-threads {NEWSBOAT_THREADS}\n")
    cache = home / "cache.db"
    command = ["newsboat", "-x", "reload", "-u", str(urls), "-c", str(cache), "-C", str(config)]
    env = _environment(home)
    seconds: Round = {}
    detail: dict[str, str] = {}
    server.set_validators(True)
    seconds["cold"], detail["cold"] = _requests(server, lambda: _timed(command, env))
    # newsboat stores a feed's validators only once the feed is in its cache, which the
    # first reload does after fetching; one more reload lets it send them.
    _timed(command, env)
    for scenario in SCENARIOS[1:]:
        server.set_validators(scenario != "warm, no validators")
        seconds[scenario], detail[scenario] = _requests(server, lambda: _timed(command, env))
    server.set_validators(True)
    return seconds, detail


def _range(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def table(ours: Side, theirs: Side | None) -> str:
    rounds = len(ours.rounds)
    lines = [
        f"| refresh (whole processes, {rounds} rounds) | newsreader | newsboat | "
        "ratio per round | median ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for scenario in SCENARIOS:
        mine = [one[scenario] for one in ours.rounds]
        if theirs is None:
            lines.append(f"| {scenario} | {_range(mine)} s | not installed | – | – |")
            continue
        other = [one[scenario] for one in theirs.rounds]
        ratios = [a / b for a, b in zip(mine, other, strict=True)]
        lines.append(
            f"| {scenario} | {_range(mine)} s | {_range(other)} s | "
            f"{_range(ratios)}× | **{statistics.median(ratios):.2f}×** |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-newsboat", action="store_true", help="skip the comparison")
    args = parser.parse_args(argv)

    corpus = generate_corpus(args.feeds, args.entries)
    names = sorted(corpus)
    megabytes = sum(map(len, corpus.values())) / 1e6
    print(
        f"corpus: {args.feeds} feeds × {args.entries} entries, {megabytes:.1f} MB", file=sys.stderr
    )
    compare = not args.no_newsboat and shutil.which("newsboat") is not None
    ours = Side([], {})
    theirs = Side([], {}) if compare else None
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp, serve(corpus) as server:
        workdir = Path(tmp)
        # Untimed: writes the bytecode caches, as an install does.
        newsreader_round(server, names[:2], workdir)
        for _ in range(args.rounds):
            seconds, ours.detail = newsreader_round(server, names, workdir)
            ours.rounds.append(seconds)
            if theirs is not None:
                seconds, theirs.detail = newsboat_round(server, names, workdir)
                theirs.rounds.append(seconds)
            print(f"round: newsreader {ours.rounds[-1]}", file=sys.stderr)
            if theirs is not None:
                print(f"round: newsboat   {theirs.rounds[-1]}", file=sys.stderr)
    for scenario in SCENARIOS:
        print(f"newsreader {scenario}: {ours.detail[scenario]}", file=sys.stderr)
        if theirs is not None:
            print(f"newsboat   {scenario}: {theirs.detail[scenario]}", file=sys.stderr)
    print(table(ours, theirs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
