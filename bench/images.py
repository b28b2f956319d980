"""An article with 20 pictures: the text at once, the pictures after, scrolling never waits.

    python -m bench.images [--images 20] [--runs 5]

A local server on 127.0.0.1 serves 20 JPEG photographs of 1600×900 (made by Pillow, with
noise so they do not compress to nothing), each after 20 ms, as a slow network would. In
a headless app at 120×40 with ``[ui] images = "on"`` (half-blocks):

- from ``show_article`` to the frame that draws the text, with an empty picture cache
  and with the pictures on disk (target ≤ 50 ms, as for an article without pictures);
- from each of the article's pagedowns (while pictures arrive) to the frame that shows
  the new place; the worst is the stutter to look for (target: none over 50 ms);
- the longest the event loop was kept from running, sampled every 5 ms, while pictures
  were fetched, decoded and drawn;
- all three for the same article without pictures, in the same run, as the baseline of
  this machine at this moment;
- the pictures held drawn, and the memory Python holds, once the whole article has been
  scrolled through (bounded: only what is on or near the screen).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.reading import Frames, ms
from newsreader.config import Config, UiConfig
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.image_cache import ImageCache
from newsreader.feeds.images import ImageLoader
from newsreader.models import Article, Block, BlockKind, ImageRef
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.render import palette_from_theme
from newsreader.ui.widgets.article_view import ArticleView

SIZE = (120, 40)
TARGET_MS = 50
DELAY = 0.02
SETTINGS = FetchSettings(parse_in="thread", trust_env=False, timeout=30.0)


def photograph(seed: int, size: tuple[int, int] = (1600, 900)) -> bytes:
    """A JPEG with a colour gradient and noise, about as costly to decode as a photo."""
    from PIL import Image

    rng = random.Random(seed)
    small = Image.new("RGB", (64, 36))
    small.putdata(
        [
            (rng.randrange(256), (x * 4 + seed * 20) % 256, (y * 7) % 256)
            for y in range(36)
            for x in range(64)
        ]
    )
    image = small.resize(size, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(size, 40).convert("RGB")
    image = Image.blend(image, noise, 0.2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class PictureServer:
    """Serves ``/N.jpg`` from memory, each after ``DELAY`` seconds."""

    def __init__(self, pictures: list[bytes]) -> None:
        served = pictures

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                time.sleep(DELAY)
                try:
                    body = served[int(self.path.strip("/").split(".")[0])]
                except (ValueError, IndexError):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, n: int) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/{n}.jpg"

    def __enter__(self) -> PictureServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def article_with_pictures(server: PictureServer, count: int, seed: int) -> Article:
    rng = random.Random(seed)
    words = "harbour railway council tide ferry market bridge quay storm lighthouse".split()
    blocks = tuple(
        Block(BlockKind.PARAGRAPH, " ".join(rng.choice(words) for _ in range(60)).capitalize())
        for _ in range(2 * count)
    )
    images = tuple(
        ImageRef(
            server.url(n), alt=f"Picture {n}", caption=f"Caption of picture {n}", position=2 * n
        )
        for n in range(count)
    )
    return Article(
        guid=f"pictures-{seed}",
        title="Twenty pictures of the harbour",
        blocks=blocks,
        images=images,
        feed_title="Bench",
        language="en",
        published=datetime(2026, 1, 1, 6, 0, tzinfo=UTC),
    )


def resident_mib() -> float:
    """The process's resident memory (Linux), in MiB; 0 where it cannot be read."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


class Stalls:
    """The longest the event loop was late for a 5 ms sleep: how long it was kept busy."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - started - 0.005)

    def start(self) -> None:
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._watch())

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
        return self.worst


async def run(count: int, runs: int) -> dict[str, float]:
    pictures = [photograph(n) for n in range(count)]
    results: dict[str, list[float]] = {}
    with TemporaryDirectory() as directory, PictureServer(pictures) as server:
        store = Store(Path(directory) / "empty.sqlite3")
        loader = ImageLoader(ImageCache(Path(directory) / "pictures"), SETTINGS)
        app = NewsreaderApp(
            store=store, config=Config(ui=UiConfig(images="on")), image_loader=loader
        )
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            frames = Frames(app)
            view = app.screen.query_one(ArticleView)
            view.focus()
            palette = palette_from_theme(app.theme_variables)
            stalls = Stalls()
            # Pages jump, as with animations off: the time measured is the frame's, not a glide.
            app.animation_level = "none"
            for run_number in range(runs):
                pictured = article_with_pictures(server, count, run_number)
                plain = replace(pictured, guid=f"plain-{run_number}", images=())
                for label, article in (
                    ("no pictures (the same text)", plain),
                    ("open, cache empty", pictured),
                    ("open, pictures on disk", pictured),
                ):
                    view._pictures.clear()
                    started = frames.expect(lambda: True)
                    view.show_article(article, palette)
                    results.setdefault(label, []).append(await frames.drawn(started))
                    stalls.start()
                    steps = []
                    while view.scroll_offset.y < view.max_scroll_y:
                        target = min(view.max_scroll_y, view.scroll_offset.y + view.size.height)
                        started = frames.expect(lambda t=target: view.scroll_offset.y >= t)
                        await pilot.press("pagedown")
                        steps.append(await frames.drawn(started))
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    results.setdefault(f"{label}: pagedown worst", []).append(max(steps))
                    results.setdefault(f"{label}: pagedown median", []).append(
                        statistics.median(steps)
                    )
                    results.setdefault(f"{label}: loop stall", []).append(stalls.stop())
                    held = len(view._pictures.keys())
                    results.setdefault("pictures held drawn", []).append(held)
            results["memory after scrolling, MiB"] = [resident_mib()]
            results["cache on disk, MiB"] = [loader.cache.size() / 1024 / 1024]
        store.close()
    return {
        name: max(values) if "worst" in name or "stall" in name else statistics.median(values)
        for name, values in results.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="an article with 20 pictures")
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.images, args.runs))
    print(f"| article with {args.images} pictures, headless 120×40, half-blocks | time | target |")
    print("| --- | --- | --- |")
    for label in ("no pictures (the same text)", "open, cache empty", "open, pictures on disk"):
        shown = ms(result[label])
        print(f"| {label}: show_article to the text's frame | {shown} | ≤ {TARGET_MS} ms |")
        print(
            f"| {label}: pagedown to its frame while pictures arrive, worst / median | "
            f"{ms(result[f'{label}: pagedown worst'])} / "
            f"{ms(result[f'{label}: pagedown median'])} | ≤ {TARGET_MS} ms |"
        )
        print(
            f"| {label}: longest the event loop was busy meanwhile | "
            f"{ms(result[f'{label}: loop stall'])} | ≤ {TARGET_MS} ms |"
        )
    held = result["pictures held drawn"]
    print(f"| pictures held drawn after scrolling through | {held:.0f} | bounded (12) |")
    print(
        f"| resident memory after scrolling through {args.runs * 3} times | "
        f"{result['memory after scrolling, MiB']:.0f} MiB | bounded |"
    )
    print(f"| picture cache on disk | {result['cache on disk, MiB']:.1f} MiB | ≤ 200 MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
