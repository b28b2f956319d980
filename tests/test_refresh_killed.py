"""A refresh killed outright (``kill -9``, the OOM killer, a closed terminal) leaves nothing.

Its parse workers and their fork server notice that the process that started them is gone
and end too, within a few seconds, instead of waiting for work forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, numbered_items, rss

from newsreader.models import Feed
from newsreader.store.database import Store

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def group_members(group: int) -> list[int]:
    """The live (not zombie) processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(entry.name))
    return members


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_refresh_killed_mid_parse_leaves_no_process_behind(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    with FeedServer() as server:
        big = rss("Big", numbered_items(3000))
        store = Store(db)
        try:
            for number in range(4):
                store.add_feed(
                    Feed(source=server.route(f"/big{number}.xml", Reply(body=big)), title="b")
                )
            # One feed that never finishes keeps the refresh running while the rest parse.
            slow = server.route("/slow.xml", Reply(body=big, delay=60))
            store.add_feed(Feed(source=slow, title="slow"))
        finally:
            store.close()
        refresh = subprocess.Popen(
            [sys.executable, "-m", "newsreader", "--db", str(db), "refresh"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the tree is easy to find
        )
        try:
            group = refresh.pid
            started = wait_for(lambda: len(group_members(group)) >= 3, timeout=30)
            assert started, "the refresh never started its parse workers"
            assert wait_for(lambda: server.hits["/big3.xml"] > 0, timeout=30)
            time.sleep(0.3)  # mid-parse
            os.kill(refresh.pid, signal.SIGKILL)
            refresh.wait(timeout=10)
            left = wait_for(lambda: not group_members(group), timeout=5)
            assert left, f"processes left behind: {group_members(group)}"
        finally:
            for pid in group_members(refresh.pid):
                os.kill(pid, signal.SIGKILL)
            if refresh.poll() is None:
                refresh.kill()
                refresh.wait()
