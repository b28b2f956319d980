"""Fetched images on disk, least recently used evicted past a size cap.

One file per address, named by its SHA-256, so nothing from the address reaches the file
system. A refusal (a tracking pixel, SVG, a bomb) is kept as a small ``.refused`` file
holding its one-line reason, so the same address is never fetched twice. Use is recorded
in the files' modification times; eviction removes the oldest. Writes go to a temporary
file that is renamed into place, so a reader never sees half an image.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from pathlib import Path

from newsreader.text.sanitize import clean_line

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_IMAGE = ".img"
_REFUSED = ".refused"


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class ImageCache:
    """The image cache under ``directory``; safe to share between threads."""

    def __init__(self, directory: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = directory
        self.max_bytes = max(0, max_bytes)
        self._lock = threading.Lock()
        self._size: int | None = None  # bytes on disk, counted on the first write

    def _path(self, url: str, suffix: str) -> Path:
        return self.directory / f"{url_key(url)}{suffix}"

    def get(self, url: str) -> bytes | None:
        """The stored bytes of ``url``, marked as just used; None if not stored."""
        path = self._path(url, _IMAGE)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def refusal(self, url: str) -> str | None:
        """Why ``url`` was refused before, if it was."""
        try:
            text = self._path(url, _REFUSED).read_text("utf-8", errors="replace")
        except OSError:
            return None
        return clean_line(text, limit=200) or "refused"

    def put(self, url: str, data: bytes) -> None:
        """Store ``data`` for ``url``, then evict the least recently used past the cap."""
        if len(data) > self.max_bytes:
            return
        self._write(self._path(url, _IMAGE), data)
        self._evict()

    def refuse(self, url: str, reason: str) -> None:
        self._write(self._path(url, _REFUSED), clean_line(reason, limit=200).encode())
        self._evict()

    def _write(self, path: Path, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            with self._lock:
                old = path.stat().st_size if path.exists() else 0
                os.replace(temporary, path)
                if self._size is not None:
                    self._size += len(data) - old
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries: list[tuple[float, int, Path]] = []
        if not self.directory.is_dir():
            return entries
        for path in self.directory.iterdir():
            if path.suffix not in (_IMAGE, _REFUSED):
                continue
            with contextlib.suppress(OSError):
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
        return entries

    def size(self) -> int:
        """Bytes the cache holds on disk."""
        with self._lock:
            if self._size is None:
                self._size = sum(size for _, size, _ in self._entries())
            return self._size

    def _evict(self) -> None:
        if self.size() <= self.max_bytes:
            return
        with self._lock:
            entries = sorted(self._entries())
            total = sum(size for _, size, _ in entries)
            for _, size, path in entries:
                if total <= self.max_bytes:
                    break
                with contextlib.suppress(OSError):
                    path.unlink()
                    total -= size
            self._size = total
