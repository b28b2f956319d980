"""Parse benchmark: the feedparser path against the fast path, on the refresh corpus.

    python -m bench.parse [--feeds 200] [--entries 50] [--rounds 3]

Every feed of the deterministic corpus from bench/corpus.py is parsed with
``ingest.parse_feed`` and with ``fastparse.try_fast_parse``; the results must be equal and
every feed must take the fast path, or the run stops. The bodies are also converted on
their own with ``htmltext`` and ``fasthtml``. Each timing is the best of several rounds of
CPU time, which other processes on a shared machine disturb less than wall time; compare
the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable

from bench.corpus import generate_corpus
from newsreader.feeds import entries, ingest
from newsreader.feeds.fastparse.parse import try_fast_parse
from newsreader.text import fasthtml, htmltext


def feedparser_path(data: bytes, source: str) -> entries.ParsedFeed:
    """``ingest.parse_feed`` as it reads a feed the fast path does not vouch for."""
    fast = ingest.fastparse.try_fast_parse
    ingest.fastparse.try_fast_parse = lambda data, source: None  # type: ignore[assignment]
    try:
        return ingest.parse_feed(data, source)
    finally:
        ingest.fastparse.try_fast_parse = fast


_BODY_TAGS = frozenset(
    {
        "description",
        "{http://purl.org/rss/1.0/modules/content/}encoded",
        "{http://www.w3.org/2005/Atom}summary",
        "{http://www.w3.org/2005/Atom}content",
    }
)


def _best_of(
    rounds: int, before: Callable[[], object], after: Callable[[], object]
) -> tuple[float, float]:
    """The least CPU time each action took in ``rounds`` runs, the two taking turns so
    that a busy spell on a shared machine slows both alike."""
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for index, action in enumerate((before, after)):
            start = time.process_time()
            action()
            best[index] = min(best[index], time.process_time() - start)
    return best[0], best[1]


def _each(function: Callable[[str], object], items: Iterable[str]) -> Callable[[], None]:
    def run() -> None:
        for item in items:
            function(item)

    return run


def _bodies(corpus: dict[str, bytes]) -> list[str]:
    return [
        element.text or ""
        for data in corpus.values()
        for element in ElementTree.fromstring(data).iter()
        if element.tag in _BODY_TAGS
    ]


def _check(corpus: dict[str, bytes], sources: dict[str, str]) -> None:
    """Stop unless every feed takes the fast path with the feedparser path's result."""
    for name, data in corpus.items():
        fast = try_fast_parse(data, sources[name])
        if fast is None:
            sys.exit(f"{name}: the fast path refused it")
        if fast != feedparser_path(data, sources[name]):
            sys.exit(f"{name}: the fast path differs from the feedparser path")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", DeprecationWarning)  # feedparser's updated/published

    corpus = generate_corpus(args.feeds, args.entries)
    sources = {name: f"http://127.0.0.1:8000/{name}" for name in corpus}
    size = sum(len(data) for data in corpus.values())
    _check(corpus, sources)
    bodies = _bodies(corpus)

    def parse_all(function: Callable[[bytes, str], object]) -> Callable[[], None]:
        def run() -> None:
            for name, data in corpus.items():
                function(data, sources[name])

        return run

    rows = [
        (
            "whole feed",
            "feedparser path of `ingest.parse_feed`",
            "`fastparse.try_fast_parse`",
            *_best_of(args.rounds, parse_all(feedparser_path), parse_all(try_fast_parse)),
        ),
        (
            f"HTML bodies ({len(bodies)})",
            "`htmltext.html_to_blocks`",
            "`fasthtml.html_to_blocks`",
            *_best_of(
                args.rounds,
                _each(htmltext.html_to_blocks, bodies),
                _each(fasthtml.html_to_blocks, bodies),
            ),
        ),
    ]
    print(
        f"{len(corpus)} feeds x {args.entries} entries, {size / 1e6:.1f} MB, "
        f"best CPU time of {args.rounds} rounds; every feed took the fast path "
        "with the same result\n"
    )
    print(
        "| work | before | after | before (s) | after (s) | ms/feed before | ms/feed after "
        "| speed-up |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for work, before_name, after_name, before, after in rows:
        print(
            f"| {work} | {before_name} | {after_name} | {before:.2f} | {after:.2f} "
            f"| {before / len(corpus) * 1000:.1f} | {after / len(corpus) * 1000:.1f} "
            f"| {before / after:.1f}x |"
        )


if __name__ == "__main__":
    main()
