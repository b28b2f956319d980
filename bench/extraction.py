"""Full-text extraction: quality against hand-checked text, and time per page.

    python -m bench.extraction [--rounds 5] [--pages DIR]

Every real page in ``../shared/pages`` (and the seed-style page of tests/fixtures/pages)
is extracted with ``page_extract.extract_page``, sidebar readers included. The body's
words are compared with the expected text in tests/fixtures/pages/expected as bags of
tokens (lower-cased words and numbers): precision is the share of extracted tokens that
are in the expected text, recall the share of expected tokens that were extracted, both
summed over all pages (micro average) and per page. Times are wall time per page, each
page extracted ``--rounds`` times after one warm-up round; p50 and p95 are over all those
runs. trafilatura alone (``extract`` to plain text, on the same bytes) is timed beside it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "pages"
FIXTURES = ROOT / "tests" / "fixtures" / "pages"
EXPECTED = FIXTURES / "expected"
PAGE_URL = "https://www.example.org/article.html"
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.casefold()))


def overlap(found: Counter[str], expected: Counter[str]) -> int:
    return sum((found & expected).values())


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def page_files(pages: Path) -> list[Path]:
    """The pages that have an expected text: the shared ones and our own."""
    found = sorted(pages.glob("*.html")) + sorted(FIXTURES.glob("*.html"))
    return [page for page in found if (EXPECTED / f"{page.stem}.txt").exists()]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=Path, default=PAGES)
    args = parser.parse_args(argv)

    from trafilatura import extract

    from newsreader.feeds.page_extract import extract_page

    files = page_files(args.pages)
    rows: list[str] = []
    totals = [0, 0, 0]  # overlap, extracted, expected
    ours: list[float] = []
    alone: list[float] = []
    for path in files:
        data = path.read_bytes()
        extract_page(data, PAGE_URL)  # warm-up: imports and caches
        page = extract_page(data, PAGE_URL)
        found = tokens("\n".join(block.text for block in page.blocks))
        expected = tokens((EXPECTED / f"{path.stem}.txt").read_text("utf-8"))
        common = overlap(found, expected)
        totals[0] += common
        totals[1] += sum(found.values())
        totals[2] += sum(expected.values())
        precision = common / max(1, sum(found.values()))
        recall = common / max(1, sum(expected.values()))
        for _ in range(args.rounds):
            started = time.perf_counter()
            extract_page(data, PAGE_URL)
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            extract(data)
            alone.append((time.perf_counter() - started) * 1000)
        sidebar = f"{len(page.related)} / {len(page.programme)} / {len(page.media)}"
        rows.append(
            f"| {path.stem} | {precision:.3f} | {recall:.3f} | {f1(precision, recall):.3f} "
            f"| {sidebar} |"
        )
    precision = totals[0] / max(1, totals[1])
    recall = totals[0] / max(1, totals[2])
    print(f"{len(files)} pages, {args.rounds} timed rounds each after one warm-up round.\n")
    print("| measure | value | target |")
    print("| --- | --- | --- |")
    print(f"| token precision (all pages) | {precision:.3f} | ≥ 0.95 |")
    print(f"| token recall (all pages) | {recall:.3f} | – |")
    print(f"| token F1 (all pages) | {f1(precision, recall):.3f} | ≥ 0.96 |")
    print(f"| mean F1 per page | {statistics.mean(_page_f1(rows)):.3f} | – |")
    print(
        "| extraction p50 / p95, sidebar readers included | "
        f"{percentile(ours, 0.5):.1f} / {percentile(ours, 0.95):.1f} ms | ≤ 25 / 80 ms |"
    )
    print(
        "| trafilatura alone p50 / p95 | "
        f"{percentile(alone, 0.5):.1f} / {percentile(alone, 0.95):.1f} ms | – |"
    )
    print()
    print("| page | precision | recall | F1 | related / broadcasts / media |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


def _page_f1(rows: list[str]) -> list[float]:
    return [float(row.split("|")[4]) for row in rows]


if __name__ == "__main__":
    raise SystemExit(main())
