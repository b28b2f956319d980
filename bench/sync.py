"""Sync benchmark: newsreader against newsboat's Tiny Tiny RSS source, on one server.

    python -m bench.sync [--feeds 200] [--entries 50] [--no-newsboat]

It starts Tiny Tiny RSS (Debian's tt-rss, a private PostgreSQL, PHP's web server: the
same server the tests start) on 127.0.0.1, subscribes one user to the bench corpus, and
times a first sync of every article and a sync with nothing new, for newsreader
(`newsreader sync`) and, when installed, newsboat (`urls-source "ttrss"`, `-x reload`).
Then it marks 1,000 articles read in newsreader and times the push, counting requests.
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
from collections.abc import Callable
from pathlib import Path

from bench.corpus import generate_corpus
from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.sync import engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the server fixtures the tests use

from servers.feedhost import FeedHost  # noqa: E402
from servers.ttrss import TtrssServer, TtrssUser, available  # noqa: E402

SCENARIOS = ("first sync, every article", "sync with nothing new")
MARKS = 1_000


def _timed(action: Callable[[], str]) -> tuple[float, str]:
    start = time.perf_counter()
    detail = action()
    return time.perf_counter() - start, detail


def subscribe_corpus(user: TtrssUser, host: FeedHost, corpus: dict[str, bytes]) -> None:
    for number, (name, body) in enumerate(sorted(corpus.items())):
        user.subscribe(host.put(f"/{name}", body))
        if number % 20 == 19:
            print(f"subscribed {number + 1} feeds", file=sys.stderr)


def run_newsreader(user: TtrssUser, workdir: Path) -> tuple[dict[str, tuple[float, str]], str]:
    store = Store(workdir / "newsreader.sqlite3")
    secret = workdir / "password"
    secret.write_text(user.password)
    sync_state.add_account(store, "bench", "ttrss", user.url, user.login, f"cat {secret}")

    def once() -> str:
        report = engine.sync_account(store, "bench")
        return f"{report.new} new, {report.requests} requests"

    results = {scenario: _timed(once) for scenario in SCENARIOS}
    ids = [row[0] for row in store.connection().execute("SELECT article_id FROM sync_articles")]
    for article_id in ids[:MARKS]:
        store.set_read(article_id)
    quiet_requests = int(results["sync with nothing new"][1].split(", ")[1].split()[0])
    seconds, detail = _timed(once)
    pushed = int(detail.split(", ")[1].split()[0]) - quiet_requests
    marks = (
        f"| {MARKS:,} marks read, then sync | {seconds:.2f} s | "
        f"{pushed} push requests ({MARKS // 2} articles per batch) |"
    )
    store.close()
    return results, marks


def run_newsboat(user: TtrssUser, workdir: Path) -> dict[str, tuple[float, str]]:
    home = workdir / "newsboat-home"
    home.mkdir()
    (home / "urls").write_text("")
    config = home / "config"
    config.write_text(
        'urls-source "ttrss"\n'
        f'ttrss-url "{user.url}"\n'
        f'ttrss-login "{user.login}"\n'
        f'ttrss-password "{user.password}"\n'
        "reload-threads 4\n"
    )
    command = [
        "newsboat", "-x", "reload",
        "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(config),
    ]  # fmt: skip
    env = {**os.environ, "HOME": str(home)}

    def once() -> str:
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
        return "-x reload"

    return {scenario: _timed(once) for scenario in SCENARIOS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--no-newsboat", action="store_true", help="skip the comparison")
    args = parser.parse_args(argv)
    if not available():
        print("tt-rss, php or postgresql is not installed: the sync benchmark is left out")
        return 0
    corpus = generate_corpus(args.feeds, args.entries)
    size = f"{args.feeds} feeds × {args.entries} entries"
    with (
        tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp,
        FeedHost() as host,
    ):
        server = TtrssServer()
        try:
            server.start()
            user = server.new_user()
            subscribe_corpus(user, host, corpus)
            ours, marks = run_newsreader(user, Path(tmp))
            theirs = None
            if not args.no_newsboat and shutil.which("newsboat"):
                theirs = run_newsboat(user, Path(tmp))
        finally:
            server.close()
    lines = [
        f"One Tiny Tiny RSS server on 127.0.0.1 holding {size}.",
        "",
        "| sync | newsreader | newsboat | newsreader / newsboat |",
        "| --- | --- | --- | --- |",
    ]
    for scenario in SCENARIOS:
        mine, detail = ours[scenario]
        print(f"newsreader {scenario}: {detail}", file=sys.stderr)
        if theirs:
            other = theirs[scenario][0]
            lines.append(f"| {scenario} | {mine:.2f} s | {other:.2f} s | {mine / other:.2f}× |")
        else:
            lines.append(f"| {scenario} | {mine:.2f} s | not installed | – |")
    lines += ["", "| push | newsreader | requests |", "| --- | --- | --- |", marks]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
