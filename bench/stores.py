"""Large stores for the benchmarks, built once and kept under bench/results/."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.corpus import fill_store
from newsreader.schema import LATEST_VERSION
from newsreader.store import Store

RESULTS = Path(__file__).resolve().parent / "results"


def large_store(count: int = 100_000) -> Path:
    """The path of a store with ``count`` generated articles, built if it is not there yet."""
    path = RESULTS / f"store-{count}-v{LATEST_VERSION}.sqlite3"
    if path.exists():
        return path
    RESULTS.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    print(f"building a store of {count} articles (once) …", file=sys.stderr)
    started = time.perf_counter()
    store = Store(partial)
    fill_store(store, count)
    store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    partial.rename(path)
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path
