"""Small helpers the sync tests share."""

from __future__ import annotations

from servers.feedhost import rss_feed


def stories(prefix: str, count: int, start: int = 0) -> bytes:
    items = [
        (f"{prefix}-{n}", f"{prefix} story {n}", f"<p>Body of {prefix} story {n}.</p>")
        for n in range(start, start + count)
    ]
    return rss_feed(f"{prefix} feed", items)
