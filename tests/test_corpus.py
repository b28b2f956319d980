"""Thousands of real and deliberately broken feeds from other projects: each one is read or
refused with a FeedError, nothing else escapes, and nothing unsafe reaches the store.

The corpus lives beside the repository (``../shared/corpus``), not in it; on a machine
without it this is the one test that skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_paths import SHARED_CORPUS
from test_hostile_feeds import assert_store_is_clean

from newsreader.feeds.ingest import FeedError
from newsreader.feeds.subscriptions import import_feed_bytes
from newsreader.store.database import Store

NOT_FEEDS = {"LICENSE", "SOURCE.txt", "README.md"}


def corpus_files() -> list[Path]:
    return sorted(
        path for path in SHARED_CORPUS.rglob("*") if path.is_file() and path.name not in NOT_FEEDS
    )


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="the shared feed corpus is not here")
def test_every_corpus_file_is_read_or_refused_cleanly(
    tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    files = corpus_files()
    assert len(files) > 4_000, "the corpus is incomplete"
    store = Store(tmp_path / "corpus.sqlite3")
    ingested = refused = articles = 0
    escaped: list[tuple[str, str]] = []
    try:
        for path in files:
            try:
                result = import_feed_bytes(store, path.read_bytes(), str(path))
            except FeedError as error:
                refused += 1
                assert str(error), path
            except Exception as error:  # what this test exists to catch
                escaped.append((str(path.relative_to(SHARED_CORPUS)), repr(error)))
            else:
                ingested += 1
                articles += result.saved.new + result.saved.updated + result.saved.unchanged
        counts = {"files": len(files), "ingested": ingested, "refused": refused}
        counts["articles"] = articles
        print(f"\ncorpus: {counts}")
        for name, value in counts.items():
            record_property(f"corpus_{name}", value)
        assert escaped == []
        assert ingested + refused == len(files)
        # Most of the corpus is ordinary feeds; a reader that refused them would be useless.
        assert ingested > 3_000
        assert articles > 2_500
        assert_store_is_clean(store)
    finally:
        store.close()
