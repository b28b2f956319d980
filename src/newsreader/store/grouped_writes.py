"""Store writes from many coroutines, grouped so that those waiting share one commit.

A refresh finishes feeds faster than one thread can write them one transaction each:
every commit writes the search indexes' new segments and the journal anew. Writes that
queue while one group is being written are written next, together, in one transaction.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from newsreader.store.database import Store

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


class GroupedWrites:
    """Runs store writes in a thread, in order, each group of waiting writes in one commit.

    If a group fails, its writes run again one by one, so that one feed's bad write does
    not lose the others'.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.groups = 0  # how many commits the writes took (for tests and benchmarks)

    async def __call__(self, work: Callable[..., T], *args: object) -> T:
        """``work(*args)`` run in the store thread, inside a transaction shared with
        whatever else is waiting; its result, or its exception."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append((functools.partial(work, *args), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued())
        return await future

    async def aclose(self) -> None:
        """Wait for the writes already handed to the thread."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _write_queued(self) -> None:
        while self._queue:
            group, self._queue = self._queue, []
            waiting = [(work, future) for work, future in group if not future.cancelled()]
            if not waiting:
                continue
            results = await asyncio.to_thread(self._write, [work for work, _ in waiting])
            for (_, future), result in zip(waiting, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, _Failed):
                    future.set_exception(result.error)
                else:
                    future.set_result(result)

    def _write(self, works: list[Callable[[], Any]]) -> list[Any]:
        if len(works) > 1:
            try:
                with self._store.transaction():
                    results = [work() for work in works]
                self.groups += 1
                return results
            except Exception:
                pass
        results = []
        for work in works:
            try:
                with self._store.transaction():
                    results.append(work())
            except Exception as error:
                results.append(_Failed(error))
            self.groups += 1
        return results
