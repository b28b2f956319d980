"""Word forms for search: spelling folds, German and English stems, language detection.

The second search index holds every word folded and stemmed in its article's language,
so "Kooperationen" finds "Kooperation", "Werke" finds "Werk" and "Strasse" finds
"Straße". A query has no language, so each query word is looked up in every form it can
take (``query_forms``). Stemming in pure Python costs about a tenth of a millisecond a
word, and news repeats its words, so every word's form is cached.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import threading
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

# Changing how words are folded, stemmed or detected changes the tokens in the index:
# a store whose index was built with another forms_version() rebuilds it when opened.
_ALGORITHM = 1
STEMMED = ("de", "en")
# snowballstemmer's own modules for these languages, and the runtime they share.
_STEMMER_MODULES = {
    "de": ("german_stemmer", "GermanStemmer"),
    "en": ("english_stemmer", "EnglishStemmer"),
}
_CACHE_SIZE = 1 << 17

# Letters folded to what German writes without them, and letters NFKD does not take apart.
_FOLDS = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)
# Words as both the index's tokenizer and the snippets see them: letters and digits.
WORD = re.compile(r"[^\W_]+")

# The most frequent short words of each language, for telling German from English.
_STOPWORDS = {
    "de": frozenset(
        "der die das und ist nicht mit von zu den im ein eine einen auch auf für sich dem "
        "des sie er es wir ich wird werden sind war hat haben bei nach aus um über noch wie "
        "oder aber nur vor dass zum zur als wenn kann mehr schon am".split()
    ),
    "en": frozenset(
        "the and of to is in that it for with was on as are be by this from at or have has "
        "had an not but which were will would their they been its who what there can more "
        "after about also into than said".split()
    ),
}
_DETECT_WORDS = 200
# Words that say nothing of a topic in either language.
FUNCTION_WORDS = _STOPWORDS["de"] | _STOPWORDS["en"]


def fold(text: str) -> str:
    """Lower case, ä/ö/ü/ß spelled ae/oe/ue/ss, every other diacritic removed."""
    folded = text.lower()
    if folded.isascii():
        return folded
    folded = folded.translate(_FOLDS)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of ``text`` as written; combining accents stay part of their word.

    The same as ``WORD.findall(text)``: a word is a run of letters and digits, and most
    pieces between spaces are one whole word already, which ``isalnum`` confirms faster
    than the pattern can find it (a third of the time of storing an article went here).
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    found: list[str] = []
    for piece in text.split():
        if piece.isalnum():
            found.append(piece)
        else:
            found += WORD.findall(piece)
    return found


@functools.cache
def forms_version() -> str:
    """A fingerprint of the folding and of the stemmers' code, without importing them.

    Importing snowballstemmer loads all its languages (a noticeable part of start-up),
    and its version is slow to look up; its source files say the same, quickly.
    """
    checksum = 0
    spec = importlib.util.find_spec("snowballstemmer")
    folder = Path(spec.origin).parent if spec and spec.origin else None
    for name in ("__init__", "basestemmer", "among", *(m for m, _ in _STEMMER_MODULES.values())):
        path = folder / f"{name}.py" if folder else None
        source = path.read_bytes() if path and path.is_file() else b"?"
        checksum = zlib.crc32(name.encode() + source, checksum)
    return f"{_ALGORITHM}:{checksum:08x}"


_local = threading.local()


def _stemmer(language: str) -> Callable[[str], str]:
    """This thread's stemmer: snowball's stemmers keep state while they work."""
    stemmers: dict[str, Callable[[str], str]] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stem = stemmers.get(language)
    if stem is None:
        module_name, class_name = _STEMMER_MODULES[language]
        module = importlib.import_module(f"snowballstemmer.{module_name}")
        stem = stemmers[language] = getattr(module, class_name)().stemWord
    return stem


def _form_of(word: str, language: str) -> str:
    """One written word as the index stores it: folded, then stemmed if it can be."""
    folded = fold(word)
    if language in STEMMED:
        folded = _stemmer(language)(folded)
    # Folding can split a word ("½" is "1⁄2"); the index sees the parts as words.
    return " ".join(WORD.findall(folded)) if not folded.isalnum() else folded


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _german(word: str) -> str:
    return _form_of(word, "de")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _english(word: str) -> str:
    return _form_of(word, "en")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _folded(word: str) -> str:
    return _form_of(word, "")


_FORMS: dict[str, Callable[[str], str]] = {"de": _german, "en": _english, "": _folded}


class _PieceForms(dict[str, str]):
    """The forms of the words in each piece of text between spaces, as the index joins them.

    Most pieces are one word, or one word and a comma, and news repeats them: looking a
    whole piece up in a dict (in C, through ``map``) costs less than finding its words and
    then looking each of them up, which was most of the time spent turning a body into
    forms. Only a piece seen for the first time is taken apart.
    """

    def __init__(self, forms: Callable[[str], str]) -> None:
        super().__init__()
        self._forms = forms

    def __missing__(self, piece: str) -> str:
        if len(self) >= _CACHE_SIZE:
            self.clear()  # a bound on memory; the common pieces come back at once
        written = [piece] if piece.isalnum() else WORD.findall(piece)
        found = self[piece] = " ".join(map(self._forms, written))
        return found


_PIECES = {language: _PieceForms(forms) for language, forms in _FORMS.items()}


def form(word: str, language: str) -> str:
    """The index form of one word in ``language`` ("de", "en", or "" for folding only)."""
    return _FORMS.get(language, _folded)(word)


def index_forms(text: str | None, language: str | None) -> str:
    """``text`` as the word-form index stores it: its words' forms, space-separated.

    The same tokens as joining ``form`` over ``words(text)``; pieces without a word add
    nothing.
    """
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    pieces = _PIECES.get(language or "", _PIECES[""])
    return " ".join(filter(None, map(pieces.__getitem__, text.split())))


def item_forms(text: str | None) -> str:
    """A short text of no known language as a word-form index holds it: its words'
    German forms, then their English ones (a query word's forms meet one or the other)."""
    return f"{index_forms(text, 'de')} {index_forms(text, 'en')}".strip()


def query_forms(word: str) -> tuple[str, ...]:
    """Every form a query word can take in the index, or () if it is not one word.

    A query has no language: the word is folded, and stemmed as German and as English.
    The German stem is stemmed once more, since the stemmer takes a plural's ending off
    but then leaves what looks like one: "Konzerne" is "konzern", "Konzern" is "konz".
    """
    written = words(word)
    if len(written) != 1:
        return ()
    german = _german(written[0])
    found = dict.fromkeys((_folded(written[0]), german, _german(german), _english(written[0])))
    if any(" " in item or not item for item in found):
        return ()
    return tuple(found)


def word_forms(word: str) -> frozenset[str]:
    """The forms a word in a text may have in the index, whatever the text's language."""
    return frozenset((_folded(word), _german(word), _english(word)))


def language_code(value: str | None) -> str | None:
    """ "de", "en" or None for a language tag such as "de-DE", "en_GB" or "German"."""
    if not value:
        return None
    primary = re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0]
    if primary in ("de", "deu", "ger", "german", "deutsch"):
        return "de"
    if primary in ("en", "eng", "english"):
        return "en"
    return None


def detect_language(*texts: str | None) -> str | None:
    """German or English by counting each language's commonest words; None if unsure."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    seen = 0
    for text in texts:
        for word in WORD.findall((text or "")[: _DETECT_WORDS * 12].lower()):
            for language, stopwords in _STOPWORDS.items():
                if word in stopwords:
                    counts[language] += 1
            seen += 1
            if seen >= _DETECT_WORDS:
                break
        if seen >= _DETECT_WORDS:
            break
    german, english = counts["de"], counts["en"]
    if max(german, english) < 2 or german == english:
        return None
    return "de" if german > english else "en"


def article_language(
    language: str | None, title: str | None, teaser: str | None, body: Callable[[], str]
) -> str:
    """The language an article's words are stemmed in: "de", "en", or "" for neither.

    The feed's own tag counts when it names a language; only untagged text is guessed,
    from the title and teaser, and from the body (read only then) if they are too short.
    """
    if language:
        return language_code(language) or ""
    return detect_language(title, teaser) or detect_language(title, teaser, body()) or ""
