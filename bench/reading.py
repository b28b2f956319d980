"""Opening an article and moving through a list of 100,000 articles.

    python -m bench.reading [--articles 100000] [--runs 7] [--pages 50]

Article open: a generated article of about 20 KB (10 subheadings with paragraphs) is
rendered into lines at widths 80 and 120 by the code the article view uses, the first
time (cold) and again (cached); and, in a headless app, from ``show_article`` to the frame
that draws it. Target: ≤ 50 ms.

List: in a headless app at 120×40 on a store of 100,000 articles, the time from choosing
"All articles" to the frame that draws its first rows (target ≤ 200 ms), from ``end`` to
the frame that draws the last rows, from a jump to the middle (a dragged scrollbar) to the
frame that draws the rows there, and from each of ``--pages`` page-downs to the frame
that draws the new rows (the worst one is the stutter to look for).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.corpus import ENGLISH, GLUE_EN
from bench.stores import large_store
from newsreader.models import Article, Block, BlockKind
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.render import article_renderable, palette_from_theme
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView, RenderedLines
from newsreader.ui.widgets.feed_list import FeedList

SIZE = (120, 40)
TARGET_ARTICLE_MS = 50
TARGET_LIST_MS = 200


def long_article(seed: int = 7, size: int = 20_000) -> Article:
    """About ``size`` characters of body: 10 subheadings, each with a few paragraphs."""
    rng = random.Random(seed)

    def sentence(words: int) -> str:
        picked = [
            rng.choice(ENGLISH) if rng.random() < 0.55 else rng.choice(GLUE_EN)
            for _ in range(words)
        ]
        return " ".join(picked).capitalize() + "."

    blocks: list[Block] = []
    per_section = size // 10
    for _ in range(10):
        blocks.append(Block(BlockKind.HEADING, sentence(5)))
        written = 0
        while written < per_section:
            text = " ".join(sentence(rng.randint(8, 18)) for _ in range(5))
            blocks.append(Block(BlockKind.PARAGRAPH, text))
            written += len(text)
    return Article(
        guid=f"long-{seed}",
        title="A long article: ten sections on the harbour, the railway and the council",
        teaser=sentence(24),
        blocks=tuple(blocks),
        feed_title="Bench",
        language="en",
        published=datetime(2026, 1, 1, 6, 0, tzinfo=UTC),
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Frames:
    """Times from an action to the first frame the app sends in which a condition holds.

    The condition is checked as each frame goes out: all state changes happen on the
    event loop, so a frame sent while it holds is one drawn with the change.
    """

    def __init__(self, app: NewsreaderApp) -> None:
        self._ready: Callable[[], bool] = lambda: False
        self._drawn: float | None = None
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and self._drawn is None and self._ready():
                self._drawn = time.perf_counter()

        app._display = timed  # type: ignore[method-assign]

    def expect(self, ready: Callable[[], bool]) -> float:
        """Start timing now, until a frame is sent while ``ready()`` holds."""
        self._ready, self._drawn = ready, None
        return time.perf_counter()

    async def drawn(self, started: float, timeout: float = 30) -> float:
        while self._drawn is None:
            if time.perf_counter() - started > timeout:
                raise TimeoutError("no frame showed it")
            await asyncio.sleep(0.0005)
        return self._drawn - started


def rows_drawn(widget: ArticleList) -> bool:
    """Every row on screen has been read (none is a placeholder)."""
    top = widget.scroll_offset.y
    height = widget.scrollable_content_region.height
    rows = widget._rows
    return rows.count > 0 and not rows.missing(top, top + height - 1)


# Article open


def article_in_process(runs: int) -> list[tuple[str, str, str]]:
    """Rendering into lines with the article view's own code, cold and cached."""
    from rich.console import Console

    console = Console(width=200, color_system="truecolor", force_terminal=True)
    palette = palette_from_theme({})
    results = []
    for width in (80, 120):
        cold, cached = [], []
        for run in range(runs):
            article = long_article(seed=run)
            lines = RenderedLines()
            started = time.perf_counter()
            lines.get(article_renderable(article, palette), width, console)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            lines.get(article_renderable(article, palette), width, console)
            cached.append(time.perf_counter() - started)
        median = statistics.median
        results.append(
            (f"render into lines at width {width}", ms(median(cold)), ms(median(cached)))
        )
    return results


async def article_in_app(runs: int, columns: int) -> tuple[int, float, float]:
    """From ``show_article`` to the frame that draws it, in a headless app: the text
    width, and the median times for a new article and for one shown before."""
    with TemporaryDirectory() as directory:
        store = Store(Path(directory) / "empty.sqlite3")
        try:
            return await _article_in_app(store, runs, columns)
        finally:
            store.close()


async def _article_in_app(store: Store, runs: int, columns: int) -> tuple[int, float, float]:
    app = NewsreaderApp(store=store)
    cold: list[float] = []
    cached: list[float] = []
    async with app.run_test(size=(columns, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        frames = Frames(app)
        view = app.screen.query_one(ArticleView)
        palette = palette_from_theme(app.theme_variables)
        for run in range(runs):
            article = long_article(seed=100 + run)
            for times in (cold, cached):
                started = frames.expect(lambda: True)
                view.show_article(article, palette)
                times.append(await frames.drawn(started))
                await pilot.pause()
        text_width = view.scrollable_content_region.width - 4
    return min(text_width, 86), statistics.median(cold), statistics.median(cached)


# The list


async def list_in_app(articles: int, pages: int) -> dict[str, float]:
    store = Store(large_store(articles))
    app = NewsreaderApp(store=store)
    results: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        frames = Frames(app)
        widget = app.screen.query_one(ArticleList)
        feeds = app.screen.query_one(FeedList)

        # Choose a small view (the first feed), then "All articles" again, and time that.
        feeds.focus()
        await pilot.press("end")
        await app.workers.wait_for_complete()
        await pilot.pause()
        started = frames.expect(lambda: widget._rows.count == articles and rows_drawn(widget))
        await pilot.press("home")
        results["open"] = await frames.drawn(started)
        await app.workers.wait_for_complete()
        await pilot.pause()

        widget.focus()
        await pilot.pause()
        started = frames.expect(lambda: widget.highlighted == articles - 1 and rows_drawn(widget))
        await pilot.press("end")
        results["end"] = await frames.drawn(started)
        await app.workers.wait_for_complete()
        await pilot.pause()

        # A scrollbar dragged to the middle: rows nobody paged to yet.
        middle = articles // 2
        started = frames.expect(lambda: widget.scroll_offset.y == middle and rows_drawn(widget))
        widget.scroll_to(y=middle, animate=False)
        results["middle"] = await frames.drawn(started)
        await app.workers.wait_for_complete()
        await pilot.press("home")
        await app.workers.wait_for_complete()
        await pilot.pause()

        steps: list[float] = []
        for _ in range(pages):
            target = widget._cursor + widget.scrollable_content_region.height
            started = frames.expect(lambda t=target: widget._cursor == t and rows_drawn(widget))
            await pilot.press("pagedown")
            steps.append(await frames.drawn(started))
        results["page worst"] = max(steps)
        results["page median"] = statistics.median(steps)
        results["pages read"] = widget.fetched_pages
    store.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="opening an article and the article list")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args(argv)

    print("| measure | cold | cached | target |")
    print("| --- | --- | --- | --- |")
    for label, cold, cached in article_in_process(args.runs):
        print(f"| 20 KB article: {label} | {cold} | {cached} | ≤ {TARGET_ARTICLE_MS} ms |")
    for columns in (120, 200):
        width, cold_s, cached_s = asyncio.run(article_in_app(args.runs, columns))
        print(
            f"| 20 KB article: show_article to its frame, headless {columns}×40 "
            f"(text width {width}) | {ms(cold_s)} | {ms(cached_s)} | ≤ {TARGET_ARTICLE_MS} ms |"
        )
    print()
    result = asyncio.run(list_in_app(args.articles, args.pages))
    print(f"| article list, {args.articles:,} articles, headless 120×40 | time | target |")
    print("| --- | --- | --- |")
    print(
        f'| choose "All articles" to its first rows drawn | {ms(result["open"])} | '
        f"≤ {TARGET_LIST_MS} ms |"
    )
    print(f"| end to the last rows drawn | {ms(result['end'])} | – |")
    print(f"| a jump to the middle to its rows drawn | {ms(result['middle'])} | – |")
    print(
        f"| {args.pages} × pagedown to the new rows drawn: worst / median | "
        f"{ms(result['page worst'])} / {ms(result['page median'])} | no stutter |"
    )
    print(f"| pages of 200 rows held afterwards | {result['pages read']:.0f} | bounded |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
