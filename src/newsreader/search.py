"""The search language, turned into a safe SQLite FTS5 expression.

Users type free words (ANDed), "quoted phrases", ``prefix*``, ``OR`` between terms and
``-word`` to exclude. Every term is re-quoted before it reaches FTS5, so nothing a user
types can be read as FTS5 syntax of its own.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from newsreader.models import HIGHLIGHT_END, HIGHLIGHT_START

MAX_QUERY_LENGTH = 500
MIN_PREFIX_LENGTH = 2


class QuerySyntaxError(ValueError):
    """A query that cannot be searched; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    def to_fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.prefix else quoted


@dataclass(frozen=True, slots=True)
class Query:
    """Clauses are ANDed; the terms inside one clause are ORed."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def to_fts(self) -> str:
        groups = []
        for clause in self.clauses:
            inner = " OR ".join(term.to_fts() for term in clause)
            groups.append(f"({inner})" if len(clause) > 1 else inner)
        expression = " AND ".join(groups)
        for term in self.excluded:
            expression = f"({expression}) NOT {term.to_fts()}"
        return expression

    @property
    def words(self) -> list[str]:
        """The positive words, for highlighting outside FTS5."""
        return [term.text for clause in self.clauses for term in clause]


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _tokens(text: str) -> list[Term | str]:
    """Terms, plus the bare string "OR" where the user typed the operator."""
    tokens: list[Term | str] = []
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        negated = char == "-" and position + 1 < length and not text[position + 1].isspace()
        if negated:
            position += 1
            char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            if end == -1:
                raise QuerySyntaxError('A quote is not closed: add the closing ".')
            phrase = text[position + 1 : end]
            position = end + 1
            prefix = position < length and text[position] == "*"
            if prefix:
                position += 1
            if _has_word(phrase):
                tokens.append(Term(" ".join(phrase.split()), True, prefix, negated))
            continue
        end = position
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[position:end]
        position = end
        if word == "OR" and not negated:
            tokens.append("OR")
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if prefix and sum(char.isalnum() for char in word) < MIN_PREFIX_LENGTH:
            raise QuerySyntaxError(
                f"A prefix needs at least {MIN_PREFIX_LENGTH} letters: {word or '?'}*"
            )
        if _has_word(word):
            tokens.append(Term(word, False, prefix, negated))
    return tokens


def parse_query(text: str) -> Query:
    """Parse what the user typed. Raises QuerySyntaxError with a helpful message."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    tokens = _tokens(text)
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for token in tokens:
        if token == "OR":
            if not clauses or pending_or:
                raise QuerySyntaxError("OR needs a word on each side.")
            pending_or = True
            continue
        assert isinstance(token, Term)
        if token.negated:
            if pending_or:
                raise QuerySyntaxError("-word cannot stand beside OR; exclude it on its own.")
            excluded.append(token)
        elif pending_or:
            clauses[-1].append(token)
            pending_or = False
        else:
            clauses.append([token])
    if pending_or:
        raise QuerySyntaxError("OR needs a word on each side.")
    if not clauses:
        if excluded:
            raise QuerySyntaxError("Add a word to search for: -word only excludes.")
        raise QuerySyntaxError("Type a word to search for.")
    return Query(tuple(tuple(clause) for clause in clauses), tuple(excluded))


# Snippets. FTS5's snippet() re-runs the whole match for every row it is asked about,
# which costs seconds for a common prefix; the words to mark are known, so it is done here.

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


def _match_ranges(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [match.span() for match in itertools.islice(pattern.finditer(text), SNIPPET_WORDS)]


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
    candidates = [text for text in texts if text]
    if not candidates:
        return ""
    text, ranges = candidates[0], []
    for candidate in candidates:
        found = _match_ranges(candidate, pattern)
        if found:
            text, ranges = candidate, found
            break
    anchor = ranges[0][0] if ranges else 0
    spans, cut_before = _spans_around(text, anchor, words)
    if not spans:
        return " ".join(text.split())
    anchor_index = next((n for n, (start, _) in enumerate(spans) if start >= anchor), 0)
    first = max(0, min(anchor_index - SNIPPET_LEAD, len(spans) - words))
    last = min(len(spans), first + words)
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
