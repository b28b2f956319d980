"""The search language, turned into safe SQLite FTS5 expressions and filters.

Users type free words (ANDed), "quoted phrases", ``prefix*``, ``OR`` between terms and
``-word`` to exclude (``AND`` between terms is allowed, and changes nothing);
``title:`` keeps a term to titles, and ``feed:``, ``author:``, ``tag:``, ``folder:``,
``is:``, ``since:`` and ``before:`` filter (``-`` negates them too). Every term is
re-quoted before it reaches FTS5, so nothing a user types can be read as FTS5 syntax of
its own. ``store_search`` turns a parsed Query into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from newsreader.text.sanitize import clean_line
from newsreader.text.wordforms import fold, query_forms

MAX_QUERY_LENGTH = 500
MIN_PREFIX_LENGTH = 2
STATES = ("unread", "read", "starred")
TEXT_FILTERS = ("feed", "author", "tag", "folder")
TIME_FILTERS = ("since", "before")
FILTER_KEYS = (*TEXT_FILTERS, "is", *TIME_FILTERS)
COLUMNS = ("title",)
_KEY = re.compile(r"([A-Za-z]+):")
_SPAN = re.compile(r"(\d{1,4})([dwmy])")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
TIME_EXAMPLES = "7d, 2w, 3m, 1y or a date like 2019-03-01"


class QuerySyntaxError(ValueError):
    """A query that cannot be searched; the message says how to fix it."""


class SortOrder(StrEnum):
    """How search hits are listed."""

    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False
    column: str | None = None

    def to_fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        expression = quoted + "*" if self.prefix else quoted
        return f"{self.column} : {expression}" if self.column else expression

    @property
    def forms(self) -> tuple[str, ...]:
        """The word's forms in the word-form index; () for phrases, prefixes and the like."""
        if self.phrase or self.prefix:
            return ()
        return query_forms(self.text)

    def to_forms_fts(self) -> str:
        """This term in the word-form index: any of its forms (only if it has some)."""
        inner = " OR ".join(f'"{item}"' for item in self.forms)
        expression = f"({inner})" if len(self.forms) > 1 else inner
        return f"{self.column} : {expression}" if self.column else expression


@dataclass(frozen=True, slots=True)
class Filter:
    """A condition on an article's feed, author, tags, state or time.

    ``value`` is folded for feed/author/tag, one of STATES for ``is``; a time is either
    ``amount`` of ``unit`` (d, w, m, y) back from now, or a ``day``.
    """

    key: str
    value: str
    negated: bool = False
    amount: int = 0
    unit: str = ""
    day: date | None = None


@dataclass(frozen=True, slots=True)
class Query:
    """Clauses are ANDed; the terms inside one clause are ORed; filters are ANDed too."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]
    filters: tuple[Filter, ...] = ()

    def to_fts(self) -> str:
        """The whole word part for the exact index; "" when the query has no words."""
        if not self.clauses:
            return ""
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

    @property
    def forms(self) -> frozenset[str]:
        """Every form of the positive words, for marking them in snippets."""
        return frozenset(item for clause in self.clauses for t in clause for item in t.forms)


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _needs_value(key: str) -> QuerySyntaxError:
    example = {
        "title": "title:Bezos",
        "feed": 'feed:ndr or feed:"NDR Niedersachsen"',
        "author": "author:Meyer",
        "tag": "tag:Wirtschaft",
        "folder": "folder:news",
        "is": "is:unread",
        "since": "since:7d",
        "before": "before:2019-03-01",
    }[key]
    return QuerySyntaxError(f"{key}: needs a value, as in {example}.")


def _time_filter(key: str, value: str, negated: bool) -> Filter:
    span = _SPAN.fullmatch(value.lower())
    if span:
        return Filter(key, value, negated, amount=int(span[1]), unit=span[2])
    if _DAY.fullmatch(value):
        try:
            return Filter(key, value, negated, day=date.fromisoformat(value))
        except ValueError:
            raise QuerySyntaxError(f"{key}:{value} is not a date on the calendar.") from None
    raise QuerySyntaxError(f"{key}: takes {TIME_EXAMPLES}, not {value!r}.")


def _filter(key: str, value: str, negated: bool) -> Filter:
    if key == "is":
        state = value.lower()
        if state not in STATES:
            raise QuerySyntaxError(f"is: takes unread, read or starred, not {value!r}.")
        return Filter(key, state, negated)
    if key in TIME_FILTERS:
        return _time_filter(key, value, negated)
    folded = " ".join(fold(value).split())
    if not _has_word(folded):
        raise _needs_value(key)
    return Filter(key, folded, negated)


class _Reader:
    """Reads what the user typed into terms, filters and the bare string "OR"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def tokens(self) -> list[Term | Filter | str]:
        tokens: list[Term | Filter | str] = []
        text, length = self.text, len(self.text)
        while self.position < length:
            char = text[self.position]
            if char.isspace():
                self.position += 1
                continue
            negated = char == "-" and self.position + 1 < length
            negated = negated and not text[self.position + 1].isspace()
            if negated:
                self.position += 1
            key = _KEY.match(text, self.position)
            name = key[1].lower() if key else ""
            token: Term | Filter | str | None
            if key and (name in FILTER_KEYS or name in COLUMNS):
                self.position = key.end()
                token = self._keyed(name, negated)
            else:
                token = self._term(negated)
            if token is not None:
                tokens.append(token)
        return tokens

    def _quoted(self) -> str:
        end = self.text.find('"', self.position + 1)
        if end == -1:
            raise QuerySyntaxError('A quote is not closed: add the closing ".')
        value = self.text[self.position + 1 : end]
        self.position = end + 1
        return value

    def _keyed(self, key: str, negated: bool) -> Term | Filter:
        text = self.text
        at_value = self.position < len(text) and not text[self.position].isspace()
        if not at_value:
            raise _needs_value(key)
        if key in COLUMNS:
            term = self._term(negated, column=key)
            if not isinstance(term, Term):
                raise _needs_value(key)
            return term
        if text[self.position] == '"':
            value = self._quoted()
        else:
            end = self.position
            while end < len(text) and not text[end].isspace():
                end += 1
            value, self.position = text[self.position : end], end
        if not value.strip():
            raise _needs_value(key)
        return _filter(key, value.strip(), negated)

    def _term(self, negated: bool, column: str | None = None) -> Term | str | None:
        text, length = self.text, len(self.text)
        if text[self.position] == '"':
            phrase = self._quoted()
            prefix = self.position < length and text[self.position] == "*"
            if prefix:
                self.position += 1
            if not _has_word(phrase):
                return None
            return Term(" ".join(phrase.split()), True, prefix, negated, column)
        end = self.position
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[self.position : end]
        self.position = end
        if word in ("OR", "AND") and not negated and column is None:
            return word
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if prefix and sum(char.isalnum() for char in word) < MIN_PREFIX_LENGTH:
            if not _has_word(word):
                raise QuerySyntaxError(
                    f"A prefix needs at least {MIN_PREFIX_LENGTH} letters before the *, as in di*."
                )
            raise QuerySyntaxError(f"A prefix needs at least {MIN_PREFIX_LENGTH} letters: {word}*")
        if not _has_word(word):
            return None
        return Term(word, False, prefix, negated, column)


def parse_query(text: str) -> Query:
    """Parse what the user typed. Raises QuerySyntaxError with a helpful message."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    # Control characters mean nothing here, and a NUL would end FTS5's reading early.
    text = clean_line(text, limit=MAX_QUERY_LENGTH)
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    filters: list[Filter] = []
    previous: Term | Filter | None = None
    pending_or = False
    pending_and = False
    for token in _Reader(text).tokens():
        if token == "AND":
            # Words are ANDed anyway; the operator only has to stand between two things.
            if previous is None or pending_or or pending_and:
                raise QuerySyntaxError("AND needs a word or filter on each side.")
            pending_and = True
            continue
        pending_and_before, pending_and = pending_and, False
        if token == "OR":
            if pending_and_before:
                raise QuerySyntaxError("AND needs a word or filter on each side.")
            if isinstance(previous, Filter):
                raise QuerySyntaxError("OR joins words, not filters such as feed: or is:.")
            if previous is None or pending_or:
                raise QuerySyntaxError("OR needs a word on each side.")
            if previous.negated:
                raise QuerySyntaxError("-word cannot stand beside OR; exclude it on its own.")
            pending_or = True
            continue
        assert not isinstance(token, str)
        if isinstance(token, Filter):
            if pending_or:
                raise QuerySyntaxError("OR joins words, not filters such as feed: or is:.")
            filters.append(token)
        elif token.negated:
            if pending_or:
                raise QuerySyntaxError("-word cannot stand beside OR; exclude it on its own.")
            excluded.append(token)
        elif pending_or:
            clauses[-1].append(token)
            pending_or = False
        else:
            clauses.append([token])
        previous = token
    if pending_or:
        raise QuerySyntaxError("OR needs a word on each side.")
    if pending_and:
        raise QuerySyntaxError("AND needs a word or filter on each side.")
    if not clauses and not filters:
        if excluded:
            raise QuerySyntaxError("Add a word to search for: -word only excludes.")
        raise QuerySyntaxError("Type a word to search for.")
    return Query(tuple(tuple(clause) for clause in clauses), tuple(excluded), tuple(filters))
