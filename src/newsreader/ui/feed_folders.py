"""How the feed list lays out feeds in folders (from OPML): plain values, easy to test.

Feeds outside any folder come first, then each folder (its path joined with " / ") as a
heading with its feeds under it, unless the reader collapsed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FOLDER_SEPARATOR = " / "


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """A folder's heading: its name and the feeds inside it (shown or not)."""

    name: str
    feed_ids: tuple[int, ...]
    collapsed: bool


@dataclass(frozen=True, slots=True)
class FeedEntry:
    feed_id: int
    in_folder: bool


def folder_name(path: Iterable[str]) -> str:
    return FOLDER_SEPARATOR.join(path)


def feed_entries(
    feed_ids: Iterable[int], folders: Mapping[int, tuple[str, ...]], collapsed: set[str]
) -> list[FolderEntry | FeedEntry]:
    """The feed list's rows below the views and saved searches, in order."""
    loose: list[FolderEntry | FeedEntry] = []
    grouped: dict[str, list[int]] = {}
    for feed_id in feed_ids:
        path = folders.get(feed_id, ())
        if path:
            grouped.setdefault(folder_name(path), []).append(feed_id)
        else:
            loose.append(FeedEntry(feed_id, in_folder=False))
    entries = loose
    for name in sorted(grouped, key=str.casefold):
        shut = name in collapsed
        entries.append(FolderEntry(name, tuple(grouped[name]), shut))
        if not shut:
            entries += [FeedEntry(feed_id, in_folder=True) for feed_id in grouped[name]]
    return entries
