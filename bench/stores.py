"""Large stores for the benchmarks, built once and kept under bench/results/."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.corpus import fill_store
from newsreader.store.database import Store
from newsreader.store.rows import inflate
from newsreader.store.schema import LATEST_VERSION

RESULTS = Path(__file__).resolve().parent / "results"


# Stores this big take long to build: they are kept across versions of the schema, and
# opening one upgrades it as it would a user's store.
KEPT_ACROSS_VERSIONS = 1_000_000


def large_store(count: int = 100_000) -> Path:
    """The path of a store with ``count`` generated articles, built if it is not there yet."""
    version = "" if count >= KEPT_ACROSS_VERSIONS else f"-v{LATEST_VERSION}"
    path = RESULTS / f"store-{count}{version}.sqlite3"
    if path.exists():
        return path
    RESULTS.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    print(f"building a store of {count} articles (once) …", file=sys.stderr)
    started = time.perf_counter()
    store = Store(partial)
    fill_store(store, count, progress=count >= KEPT_ACROSS_VERSIONS)
    store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    partial.rename(path)
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def disk_use(path: Path) -> tuple[int, int]:
    """The store's size on disk and the size of the text it holds (UTF-8 bytes).

    The text is every article's title, kicker, teaser, body, link and author as a reader
    gets them back, so the ratio says what compression, indexes and pages add or save.
    """
    store = Store(path)
    db = store.connection()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    text = 0
    for row in db.execute("SELECT title, kicker, teaser, body_z, url, author FROM articles"):
        fields = (row["title"], row["kicker"], row["teaser"], row["url"], row["author"])
        text += sum(len(field.encode()) for field in fields if field)
        text += len(inflate(row["body_z"]).encode())
    store.close()
    on_disk = sum(
        part.stat().st_size for part in (path, path.with_name(path.name + "-wal")) if part.exists()
    )
    return on_disk, text
