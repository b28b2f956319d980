"""Sync under stress: killed mid-way, run twice at once, and a server holding 10,000 items."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from servers.coldsweat_server import ColdsweatServer
from servers.feedhost import FeedHost
from sync_helpers import add_fever, stories

from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.sync import engine


def newsreader(store: Store, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsreader", "--db", str(store.path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def synced_count(store: Store) -> int:
    return int(store.connection().execute("SELECT COUNT(*) FROM sync_articles").fetchone()[0])


def unread_on_server(server: ColdsweatServer) -> set[int]:
    answer = httpx.post(f"{server.url}?api&unread_item_ids", data={"api_key": server.api_key})
    text = str(answer.json()["unread_item_ids"])
    return {int(part) for part in text.split(",") if part}


def assert_no_duplicates(store: Store) -> None:
    db = store.connection()
    articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    distinct = db.execute("SELECT COUNT(DISTINCT remote_id) FROM sync_articles").fetchone()[0]
    assert articles == distinct == synced_count(store)


def test_a_sync_killed_mid_pull_loses_no_change_and_the_next_one_finishes(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    url = feed_host.put("/k.xml", stories("k", 10))
    coldsweat.subscribe("News", url)
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    rows = store.connection().execute("SELECT article_id FROM sync_articles WHERE remote_id <= 3")
    for article_id in [row[0] for row in rows]:
        store.set_read(article_id)
    feed_host.put("/k.xml", stories("k", 2500))
    coldsweat.fetch()

    running = newsreader(store, "sync")
    deadline = time.monotonic() + 60
    while synced_count(store) < 200 and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(running.pid, signal.SIGKILL)
    running.communicate()
    assert running.returncode == -signal.SIGKILL  # it was still pulling

    assert 200 <= synced_count(store) < 2500
    assert store.integrity_ok()
    account = sync_state.account(store, "home")
    assert account is not None and account.queued == 3 and account.since_id == 10
    report = engine.sync_account(store, "home")
    assert report.pushed == 3
    assert synced_count(store) == 2500
    assert_no_duplicates(store)
    assert not {1, 2, 3} & unread_on_server(coldsweat)


def test_two_processes_syncing_one_store_neither_crashes_nor_doubles_anything(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    coldsweat.subscribe("News", feed_host.put("/p.xml", stories("p", 20)))
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    rows = store.connection().execute("SELECT article_id FROM sync_articles").fetchall()
    for row in rows:
        store.set_starred(row[0])
    feed_host.put("/p.xml", stories("p", 600))
    coldsweat.fetch()

    both = [newsreader(store, "sync", "--json") for _ in range(2)]
    reports = []
    for process in both:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        reports.extend(json.loads(out))

    assert sum(report["pushed"] for report in reports) == 20
    assert sum(report["new"] for report in reports) == 580
    assert_no_duplicates(store)
    assert synced_count(store) == 600


def peak_memory_kib(store: Store) -> tuple[int, dict[str, object]]:
    """Run one sync in its own process: its peak resident memory and its report."""
    process = newsreader(store, "sync", "--json")
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    (report,) = json.loads(out)
    return usage.ru_maxrss, report


def test_ten_thousand_items_come_in_pages_with_bounded_memory(
    tmp_path: Path, coldsweat: ColdsweatServer, feed_host: FeedHost
) -> None:
    small = Store(tmp_path / "small.sqlite3")
    big = Store(tmp_path / "big.sqlite3")
    try:
        coldsweat.subscribe("Small", feed_host.put("/s.xml", stories("s", 1000)))
        add_fever(small, coldsweat, tmp_path)
        small_peak, small_report = peak_memory_kib(small)
        coldsweat.subscribe("Big", feed_host.put("/b.xml", stories("b", 9000)))
        add_fever(big, coldsweat, tmp_path)
        big_peak, big_report = peak_memory_kib(big)
    finally:
        small.close()
        big.close()
    assert small_report["new"] == 1000
    assert big_report["new"] == 10_000
    assert isinstance(big_report["requests"], int) and big_report["requests"] >= 10_000 / 50
    # Ten times the articles, nowhere near ten times the memory: pages come and go.
    assert big_peak < small_peak * 1.5, (small_peak, big_peak)
