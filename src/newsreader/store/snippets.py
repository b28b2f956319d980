"""Search snippets: a few words around the first match, the matched words marked.

FTS5's snippet() re-runs the whole match for every row it is asked about, which costs
seconds for a common prefix; the words to mark are known, so it is done here. Words the
query found through their forms ("Werke" for "Werk", "Strasse" for "Straße") are marked
too.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from newsreader.models import HIGHLIGHT_END, HIGHLIGHT_START
from newsreader.store.query import Query
from newsreader.text.wordforms import word_forms

_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 12
SNIPPET_LEAD = 3  # words shown before the first match
SNIPPET_LOOKBACK = 200  # characters searched back for those words


def _base_letter(char: str) -> str:
    """The letter without its diacritics, as the index's tokenizer folds it."""
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isalpha() else char


def _letter_variants() -> dict[str, str]:
    """Each Latin base letter with every accented form of it, upper and lower case."""
    variants: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = _base_letter(char).lower()
        if base != char.lower() and base.isascii():
            variants.setdefault(base, {base}).update({char, char.lower(), char.upper()})
    return {base: "".join(sorted(chars)) for base, chars in variants.items()}


_VARIANTS = _letter_variants()


def _word_pattern(word: str) -> str:
    """A regular expression for ``word`` that ignores case and diacritics."""
    pieces = []
    for char in word:
        base = _base_letter(char).lower()
        pieces.append(f"[{re.escape(_VARIANTS[base])}]" if base in _VARIANTS else re.escape(char))
    return "".join(pieces)


@functools.lru_cache(maxsize=64)
def _pattern(query: Query) -> re.Pattern[str] | None:
    """One regular expression that finds every positive term, as the index would match it."""
    alternatives = []
    for clause in query.clauses:
        for term in clause:
            words = [_word_pattern(word) for word in _WORD.findall(term.text)]
            if words:
                body = r"\W+".join(words)
                alternatives.append(rf"\b{body}" + ("" if term.prefix else r"\b"))
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


@functools.lru_cache(maxsize=64)
def _candidates(forms: frozenset[str]) -> re.Pattern[str] | None:
    """Words that may have one of ``forms``: those that begin as one of them does.

    A stem may lose an umlaut ("munch" for "München") or an ending, so only its first
    two letters are compared, ignoring case and accents; ``word_forms`` decides.
    """
    starts = sorted({_word_pattern(item[:2]) for item in forms if item})
    if not starts:
        return None
    return re.compile(r"\b(?:" + "|".join(starts) + r")\w*", re.IGNORECASE)


def _first_match(text: str, pattern: re.Pattern[str] | None, forms: frozenset[str]) -> int | None:
    """Where the first word or phrase the query finds in ``text`` starts, if anywhere.

    Words found through their forms count when they come before the first exact match;
    the text is only read that far.
    """
    first = None
    if pattern is not None and (match := pattern.search(text)) is not None:
        first = match.start()
    candidates = _candidates(forms) if forms else None
    if candidates is not None:
        for match in candidates.finditer(text):
            if first is not None and match.start() >= first:
                break
            if not forms.isdisjoint(word_forms(match.group())):
                return match.start()
    return first


def _match_ranges(
    text: str, pattern: re.Pattern[str] | None, forms: frozenset[str], begin: int, end: int
) -> list[tuple[int, int]]:
    """The spans the query matches that start between ``begin`` and ``end``: the snippet's
    window, so that a long text is not read past it."""
    found: list[tuple[int, int]] = []
    if pattern is not None:
        for match in pattern.finditer(text, begin):
            if match.start() >= end:
                break
            found.append(match.span())
    candidates = _candidates(forms) if forms else None
    if candidates is not None:
        for match in candidates.finditer(text, begin):
            if match.start() >= end:
                break
            if not forms.isdisjoint(word_forms(match.group())):
                found.append(match.span())
    return found


def _spans_around(text: str, anchor: int, words: int) -> tuple[list[tuple[int, int]], bool]:
    """Word spans from a little before ``anchor`` to ``words`` words past it.

    Returns the spans and whether text was left out before them.
    """
    begin = 0
    if anchor > SNIPPET_LOOKBACK:
        begin = text.rfind(" ", 0, anchor - SNIPPET_LOOKBACK) + 1
    spans: list[tuple[int, int]] = []
    after = 0
    for match in _WORD.finditer(text, begin):
        spans.append(match.span())
        if match.start() >= anchor:
            after += 1
            if after > words:
                break
    return spans, begin > 0


def make_snippet(query: Query, *texts: str, words: int = SNIPPET_WORDS) -> str:
    """A window of ``words`` words from the first text that matches, matches marked.

    The window opens a few words before the first match. Runs of matched words are
    wrapped in HIGHLIGHT_START/END, and "…" shows where the text was cut.
    """
    pattern = _pattern(query)
    forms = query.forms
    candidates = [text for text in texts if text]
    if not candidates:
        return ""
    text, anchor = candidates[0], None
    for candidate in candidates:
        anchor = _first_match(candidate, pattern, forms)
        if anchor is not None:
            text = candidate
            break
    spans, cut_before = _spans_around(text, anchor or 0, words)
    if not spans:
        return " ".join(text.split())
    anchor_index = next((n for n, (start, _) in enumerate(spans) if start >= (anchor or 0)), 0)
    first = max(0, min(anchor_index - SNIPPET_LEAD, len(spans) - words))
    last = min(len(spans), first + words)
    ranges = []
    if anchor is not None:
        ranges = _match_ranges(text, pattern, forms, spans[first][0], spans[last - 1][1])
    hits = {
        index
        for index in range(first, last)
        for low, high in ranges
        if low < spans[index][1] and spans[index][0] < high
    }
    pieces = ["…" if first > 0 or cut_before else ""]
    cursor = spans[first][0]
    for index in range(first, last):
        start, end = spans[index]
        opens = index in hits and (index - 1 not in hits or index == first)
        closes = index in hits and (index + 1 not in hits or index + 1 == last)
        pieces.append(text[cursor:start])
        pieces.append(HIGHLIGHT_START if opens else "")
        pieces.append(text[start:end])
        pieces.append(HIGHLIGHT_END if closes else "")
        cursor = end
    more = last < len(spans) or _WORD.search(text, cursor) is not None
    pieces.append("…" if more else text[cursor:])
    return " ".join("".join(pieces).split())
