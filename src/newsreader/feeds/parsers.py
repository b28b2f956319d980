"""The parsing half of a refresh: feeds parsed and prepared in worker processes or a thread."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, TypeAlias

from newsreader.feeds.fetch_settings import FetchSettings

if TYPE_CHECKING:
    from newsreader.feeds.entries import ParsedFeed
    from newsreader.feeds.orphans import Lifeline
    from newsreader.store.prepare import PreparedArticle

# The parser is loaded where it runs: in the workers (preloaded by name), or here only
# when parsing in a thread. A refresh that parses nothing never loads it.

Parsed: TypeAlias = "tuple[ParsedFeed, list[PreparedArticle]]"


class ParserPool:
    """Runs ``ingest.parse_feed`` off the event loop, in processes or a thread.

    Starting worker processes blocks: the first one waits for the fork server to import
    the parser. That happens in a thread, so the event loop (a UI's, say) goes on
    fetching meanwhile; ``start`` begins it early when parsing is sure to be needed.
    """

    def __init__(self, settings: FetchSettings) -> None:
        self._settings = settings
        self._ready: asyncio.Future[Executor] | None = None
        self._lifeline: Lifeline | None = None

    def start(self) -> asyncio.Future[Executor]:
        """Have the workers ready by the time the first feed arrives (no wait here)."""
        if self._ready is None:
            self._ready = asyncio.ensure_future(asyncio.to_thread(self._start_workers))
        return self._ready

    def _start_workers(self) -> Executor:
        workers = self._settings.parse_workers or os.cpu_count() or 1
        if self._settings.parse_in != "process":
            return ThreadPoolExecutor(workers, thread_name_prefix="parse")
        # forkserver, not fork: forking a process that runs threads (the UI does)
        # can copy a held lock into the child and hang it.
        from newsreader.feeds.orphans import Lifeline, watch_starter

        context = multiprocessing.get_context("forkserver")
        # Workers start with the parser already imported instead of importing it each;
        # the guard makes the fork server end with this process (see orphans.py).
        context.set_forkserver_preload(
            ["newsreader.feeds.forkserver_guard", "newsreader.feeds.parse_worker"]
        )
        self._lifeline = Lifeline(context)
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=watch_starter,
            initargs=(self._lifeline.reader,),
        )
        # A pool starts a process per task it cannot hand to an idle one: as many
        # tasks as workers start them all, here rather than at the event loop's submit.
        wait([executor.submit(os.getpid) for _ in range(workers)])
        return executor

    async def parse(self, data: bytes, source: str) -> Parsed:
        """The feed, and its articles prepared for storing (``prepare.py``)."""
        executor = await self.start()
        loop = asyncio.get_running_loop()
        if self._settings.parse_in == "process":
            from newsreader.feeds.parse_worker import parse_and_prepare  # a name to pickle

            return await loop.run_in_executor(executor, parse_and_prepare, data, source)
        # Looked up at call time, so the parser can be swapped in tests.
        return await loop.run_in_executor(executor, parse_here, data, source)

    async def aclose(self) -> None:
        if self._ready is not None:
            ready, self._ready = self._ready, None
            try:
                executor = await ready
            except Exception:
                return  # the workers never started (each feed said so): nothing to stop
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)
        if self._lifeline is not None:
            self._lifeline.close()
            self._lifeline = None


def parse_here(data: bytes, source: str) -> Parsed:
    from newsreader.feeds import ingest
    from newsreader.store.prepare import prepare_articles

    parsed = ingest.parse_feed(data, source)
    return parsed, prepare_articles(parsed.articles)
