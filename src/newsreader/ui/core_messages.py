"""The core's sentences in the reader's language: query errors and why a program would not start.

The core speaks English and knows nothing of labels (it must not import the UI). Its few
sentences that reach the reader are matched here, whole, and put into German; a sentence
not known here is shown as it is. The parts filled in (a word typed, a program's name)
are carried over unchanged.
"""

from __future__ import annotations

import re
from typing import Final

from newsreader.ui.labels import Labels

GERMAN_SENTENCES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.DOTALL), template)
    for pattern, template in (
        # The query language (store.query)
        (
            r"(?P<key>\w+): needs a value, as in (?P<example>.+)\.",
            "{key}: braucht einen Wert, etwa {example}.",
        ),
        (
            r"(?P<key>\w+):(?P<value>.+) is not a date on the calendar\.",
            "{key}:{value} ist kein Datum im Kalender.",
        ),
        (
            r"(?P<key>\w+): takes 7d, 2w, 3m, 1y or a date like 2019-03-01, not (?P<value>.+)\.",
            "{key}: erwartet 7d, 2w, 3m, 1y oder ein Datum wie 2019-03-01, nicht {value}.",
        ),
        (
            r"is: takes unread, read or starred, not (?P<value>.+)\.",
            "is: erwartet unread, read oder starred, nicht {value}.",
        ),
        (
            r'A quote is not closed: add the closing "\.',
            'Ein Anführungszeichen ist nicht geschlossen: das schließende " fehlt.',
        ),
        (
            r"A prefix needs at least (?P<count>\d+) letters before the \*, as in di\*\.",
            "Ein Präfix braucht mindestens {count} Buchstaben vor dem *, etwa di*.",
        ),
        (
            r"A prefix needs at least (?P<count>\d+) letters: (?P<word>.*)",
            "Ein Präfix braucht mindestens {count} Buchstaben: {word}",
        ),
        (
            r"The query is longer than (?P<count>\d+) characters\.",
            "Die Suche ist länger als {count} Zeichen.",
        ),
        (
            r"AND needs a word or filter on each side\.",
            "AND braucht auf beiden Seiten ein Wort oder einen Filter.",
        ),
        (
            r"OR joins words, not filters such as feed: or is:\.",
            "OR verbindet Wörter, keine Filter wie feed: oder is:.",
        ),
        (r"OR needs a word on each side\.", "OR braucht auf beiden Seiten ein Wort."),
        (
            r"-word cannot stand beside OR; exclude it on its own\.",
            "-Wort kann nicht neben OR stehen; bitte für sich ausschließen.",
        ),
        (
            r"Add a word to search for: -word only excludes\.",
            "Es fehlt ein Suchwort: -Wort schließt nur aus.",
        ),
        (r"Type a word to search for\.", "Bitte ein Suchwort eingeben."),
        (r"A saved search needs a name\.", "Eine gespeicherte Suche braucht einen Namen."),
        # Opening links and media (launch)
        (
            r"only http and https links can be opened, not (?P<link>.+)",
            "nur http- und https-Links lassen sich öffnen, nicht {link}",
        ),
        (
            r"cannot start (?P<name>.+): no such program",
            "{name} lässt sich nicht starten: kein solches Programm",
        ),
        (
            r"cannot start (?P<name>.+): not allowed to run it",
            "{name} lässt sich nicht starten: keine Berechtigung",
        ),
        (
            r"cannot start (?P<name>.+?): (?P<reason>.+)",
            "{name} lässt sich nicht starten: {reason}",
        ),
        (
            r"no web browser found: set commands\.browser in the config file",
            "kein Webbrowser gefunden: commands.browser in der Konfigurationsdatei setzen",
        ),
        (
            r"the web browser found, (?P<name>.+), runs in the terminal: "
            r"set commands\.browser in the config file",
            "der gefundene Webbrowser, {name}, läuft im Terminal: "
            "commands.browser in der Konfigurationsdatei setzen",
        ),
        (
            r"the web browser could not be started: (?P<reason>.+)",
            "der Webbrowser ließ sich nicht starten: {reason}",
        ),
        (r"the web browser could not be started", "der Webbrowser ließ sich nicht starten"),
    )
)


def localised(sentence: str, labels: Labels) -> str:
    """``sentence`` in the labels' language, if it is one the core says; else unchanged."""
    if labels.language != "de":
        return sentence
    for pattern, template in GERMAN_SENTENCES:
        match = pattern.fullmatch(sentence)
        if match is not None:
            return template.format(**match.groupdict())
    return sentence
