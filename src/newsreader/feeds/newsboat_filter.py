"""newsboat's filter language, parsed by newsboat's grammar and turned into our search language.

newsboat joins comparisons with ``and``/``or`` from the right, without precedence
(``a and b or c`` is ``a and (b or c)``), as its parser does. Only what our language can say
is translated: ANDed filters and words, and OR between words. Anything else is refused with
the part that did not translate; nothing is guessed. Where our match is close but not the
same (a word start for a regular expression), the translation carries a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsreader.store.query import QuerySyntaxError, parse_query

_ATTRIBUTE = re.compile(r"[A-Za-z0-9_.\-]+")
_OPERATORS = ("=~", "==", "=", "!~", "!=", "<=", ">=", "<", ">", "between", "#", "!#")
_NUMBER = re.compile(r"-?[0-9]+")
_PLAIN = re.compile(r"[^\W_]{2,}( [^\W_]{2,})*")  # words a regex and a word search read alike
_TAG = re.compile(r"[^\s\"\\\x00-\x1f\x7f]+")  # one tag: no blanks, quotes or escapes
MAX_DAYS = 9998  # since:/before: take up to four digits

NOT_SEARCHABLE = {
    "content": "article bodies are searched by word, not by regular expression",
    "date": "newsboat compares the date as text; use age for dates",
    "guid": "our search has no article ids",
    "link": "our search has no article links",
    "enclosure_url": "our search has no enclosures",
    "enclosure_type": "our search has no enclosures",
    "articleindex": "positions in a list are not searchable",
    "feedindex": "positions in a list are not searchable",
    "description": "feed descriptions are not searchable",
    "feedlink": "feed links are not searchable",
    "feeddate": "feed dates are not searchable",
    "unread_count": "feed counts are not searchable",
    "total_count": "feed counts are not searchable",
    "latest_article_age": "feed ages are not searchable",
}


class FilterSyntaxError(ValueError):
    """An expression newsboat itself would not accept."""


@dataclass(frozen=True, slots=True)
class Comparison:
    attribute: str
    operator: str
    value: str
    quoted: bool
    text: str  # as written, for messages


@dataclass(frozen=True, slots=True)
class Junction:
    operator: str  # "and" or "or"
    left: Node
    right: Node
    text: str


Node = Comparison | Junction


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def _spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at] == " ":
            self.at += 1

    def fail(self, expected: str) -> FilterSyntaxError:
        return FilterSyntaxError(f"expected {expected} at position {self.at + 1}")

    def expression(self) -> Node:
        start = self.at
        left = self.primary()
        mark = self.at
        self._spaces()
        for word in ("and", "or"):
            if self.text.startswith(word, self.at):
                after = self.at + len(word)
                rest = self.text[after:]
                if rest.startswith(" ") or rest.lstrip(" ").startswith("("):
                    self.at = after
                    self._spaces()
                    right = self.expression()
                    return Junction(word, left, right, self.text[start : self.at].strip())
        self.at = mark
        return left

    def primary(self) -> Node:
        if self.text.startswith("(", self.at):
            self.at += 1
            self._spaces()
            inner = self.expression()
            self._spaces()
            if not self.text.startswith(")", self.at):
                raise self.fail('")"')
            self.at += 1
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        start = self.at
        name = _ATTRIBUTE.match(self.text, self.at)
        if not name:
            raise self.fail("an attribute name")
        self.at = name.end()
        self._spaces()
        operator = next((op for op in _OPERATORS if self.text.startswith(op, self.at)), None)
        if operator is None:
            raise self.fail("one of " + ", ".join(_OPERATORS))
        self.at += len(operator)
        self._spaces()
        value, quoted = self.value()
        return Comparison(name[0], operator, value, quoted, self.text[start : self.at])

    def value(self) -> tuple[str, bool]:
        text = self.text
        if text.startswith('"', self.at):
            index = self.at + 1
            while index < len(text) and text[index] != '"':
                index += 2 if text[index] == "\\" else 1
            if index >= len(text):
                raise self.fail("a closing quote")
            literal = text[self.at + 1 : index]  # escapes kept, as newsboat keeps them
            self.at = index + 1
            return literal, True
        number = _NUMBER.match(text, self.at)
        if not number:
            raise self.fail("a quoted string, a range or a number")
        self.at = number.end()
        if text.startswith(":", self.at):
            second = _NUMBER.match(text, self.at + 1)
            if second:
                self.at = second.end()
                return f"{number[0]}:{second[0]}", False
        return number[0], False


def parse_filter(text: str) -> Node:
    """newsboat's reading of the expression; FilterSyntaxError where newsboat fails too."""
    parser = _Parser(text)
    parser._spaces()
    node = parser.expression()
    parser._spaces()
    if parser.at != len(text):
        raise FilterSyntaxError(f"unexpected {text[parser.at :]!r} at position {parser.at + 1}")
    return node


@dataclass(frozen=True, slots=True)
class Translation:
    """Our query for an expression, or why there is none."""

    expression: str
    query: str | None
    problem: str | None = None
    notes: tuple[str, ...] = ()


class Untranslatable(ValueError):
    def __init__(self, part: str, why: str) -> None:
        super().__init__(f"{part!r}: {why}")


@dataclass(frozen=True, slots=True)
class _Atom:
    text: str
    word: bool  # a word term (may be ORed), not a filter
    notes: tuple[str, ...] = ()


def _quote(value: str) -> str:
    return f'"{value}"' if " " in value else value


def _days(comparison: Comparison) -> int:
    if comparison.quoted or not _NUMBER.fullmatch(comparison.value):
        raise Untranslatable(comparison.text, "age takes a whole number of days")
    days = int(comparison.value)
    if days < 0 or days > MAX_DAYS:
        raise Untranslatable(comparison.text, f"only ages from 0 to {MAX_DAYS} days translate")
    return days


def _age(comparison: Comparison) -> str:
    op = comparison.operator
    if op == "between":
        low, _, high = comparison.value.partition(":")
        if not high:
            raise Untranslatable(comparison.text, "between takes a range such as 0:7")
        a, b = sorted((int(low), int(high)))
        if a < 0 or b + 1 > MAX_DAYS:
            raise Untranslatable(comparison.text, f"only ages from 0 to {MAX_DAYS} translate")
        return f"since:{b + 1}d" + (f" before:{a}d" if a > 0 else "")
    days = _days(comparison)
    # newsboat's age is whole days: age < N is "less than N days old".
    forms = {
        "<": f"since:{days}d",
        "<=": f"since:{days + 1}d",
        ">": f"before:{days + 1}d",
        ">=": f"before:{days}d",
        "=": f"since:{days + 1}d before:{days}d",
        "==": f"since:{days + 1}d before:{days}d",
    }
    if op not in forms:
        raise Untranslatable(comparison.text, f"age cannot be compared with {op}")
    return forms[op]


def _plain(comparison: Comparison) -> str:
    if not comparison.quoted or not _PLAIN.fullmatch(comparison.value):
        raise Untranslatable(
            comparison.text,
            "only plain words of two or more letters translate, not a regular expression",
        )
    return comparison.value


def _atom(comparison: Comparison) -> _Atom:
    name, op, value = comparison.attribute, comparison.operator, comparison.value
    negated = op in ("!=", "!~", "!#")
    minus = "-" if negated else ""
    if name == "unread":
        if op not in ("=", "==", "!=") or value not in ("yes", "no"):
            raise Untranslatable(comparison.text, 'unread takes = "yes" or = "no"')
        return _Atom("is:unread" if (value == "yes") != negated else "is:read", False)
    if name == "flags":
        if op not in ("=~", "!~") or not re.fullmatch(r"[A-Za-z]", value):
            raise Untranslatable(
                comparison.text, 'only one flag at a time translates, as flags =~ "s"'
            )
        target = "is:starred" if value == "s" else f"tag:flag-{value}"
        return _Atom(minus + target, False)
    if name == "tags":
        if op not in ("#", "!#") or not comparison.quoted or not _TAG.fullmatch(value):
            raise Untranslatable(
                comparison.text, 'tags translate only as tags # "name", a name without quotes'
            )
        return _Atom(f"{minus}folder:{_quote(value)}", False)
    if name == "age":
        return _Atom(_age(comparison), False)
    if name in ("title", "author", "feedtitle", "rssurl"):
        if op not in ("=~", "!~"):
            raise Untranslatable(
                comparison.text, f"{name} translates only with =~ or !~ (exact text does not)"
            )
        words = _plain(comparison)
        if name == "title":
            note = f"{comparison.text}: newsreader finds titles with words starting with {words!r}"
            return _Atom(f'{minus}title:"{words}"*', not negated, (note,))
        if name == "author":
            return _Atom(f"{minus}author:{_quote(words)}", False)
        note = f"{comparison.text}: newsreader matches the feed's title or address"
        return _Atom(f"{minus}feed:{_quote(words)}", False, (note,))
    if name in NOT_SEARCHABLE:
        raise Untranslatable(comparison.text, NOT_SEARCHABLE[name])
    raise Untranslatable(comparison.text, f"newsboat has no attribute {name!r}")


def _flatten(node: Node, operator: str) -> list[Node]:
    if isinstance(node, Junction) and node.operator == operator:
        return _flatten(node.left, operator) + _flatten(node.right, operator)
    return [node]


def _conjunct(node: Node) -> _Atom:
    if isinstance(node, Comparison):
        return _atom(node)
    atoms = []
    for part in _flatten(node, "or"):
        if isinstance(part, Junction):
            raise Untranslatable(part.text, "and inside or does not translate")
        atom = _atom(part)
        if not atom.word:
            raise Untranslatable(
                node.text, "our search joins only title words with OR, not filters or exclusions"
            )
        atoms.append(atom)
    notes = tuple(note for atom in atoms for note in atom.notes)
    return _Atom(" OR ".join(atom.text for atom in atoms), True, notes)


def translate(expression: str) -> Translation:
    """Our query for a newsboat filter expression, or the problem with the part that failed."""
    try:
        node = parse_filter(expression)
    except FilterSyntaxError as error:
        return Translation(expression, None, f"newsboat cannot read it: {error}")
    try:
        atoms = [_conjunct(part) for part in _flatten(node, "and")]
    except Untranslatable as error:
        return Translation(expression, None, str(error))
    query = " ".join(atom.text for atom in atoms)
    try:
        parse_query(query)
    except QuerySyntaxError as error:
        return Translation(expression, None, f"{query!r}: {error}")
    return Translation(expression, query, None, tuple(n for atom in atoms for n in atom.notes))
