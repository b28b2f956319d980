"""Store writes grouped into shared commits (grouped_writes.py)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.store.grouped_writes import GroupedWrites


def add(store: Store, name: str) -> int:
    feed = store.add_feed(Feed(source=f"local:{name}", title=name))
    assert feed.id is not None
    return feed.id


def broken(store: Store) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO no_such_table VALUES (1)")


def titles(store: Store) -> list[str]:
    return sorted(summary.feed.title for summary in store.feeds())


def test_writes_waiting_together_share_one_commit(store: Store) -> None:
    async def main() -> tuple[list[int], int]:
        writes = GroupedWrites(store)
        ids = await asyncio.gather(*(writes(add, store, f"feed {n}") for n in range(6)))
        await writes.aclose()
        return list(ids), writes.groups

    ids, groups = asyncio.run(main())
    assert len(set(ids)) == 6
    assert groups < 6  # the first write goes alone; the five queued behind it share one
    assert titles(store) == [f"feed {n}" for n in range(6)]


def test_a_failing_write_fails_alone(store: Store) -> None:
    async def main() -> list[object]:
        writes = GroupedWrites(store)
        results = await asyncio.gather(
            writes(add, store, "first"),
            writes(add, store, "second"),
            writes(broken, store),
            writes(add, store, "third"),
            return_exceptions=True,
        )
        await writes.aclose()
        return results

    results = asyncio.run(main())
    assert isinstance(results[2], sqlite3.OperationalError)
    assert all(isinstance(result, int) for n, result in enumerate(results) if n != 2)
    assert titles(store) == ["first", "second", "third"]


def test_a_transaction_inside_another_joins_it(store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError), store.transaction():
        add(store, "rolled back with the outer one")
        broken(store)
    assert titles(store) == []
    with store.transaction():
        add(store, "kept")
    assert titles(store) == ["kept"]
