"""The reader's own words, in English and German (``ui.language`` in the config).

Only the UI's own strings live here: pane titles, notices, key descriptions, help sections.
What an article says about itself (the sidebar headings a feed names, "Stand: ... Uhr")
still comes from the feed. Messages with a count or a name are ``str.format`` templates
with named fields; the values filled in are data, and the result is shown as plain text.

Key descriptions are looked up by binding id, so the footer, the help screen and the
command palette all say the same thing in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Final

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode


@dataclass(frozen=True, slots=True)
class Labels:
    """Every string the UI shows of its own. Frozen, so render caches can key on it."""

    language: str
    # Panes and views
    feeds: str
    articles: str
    article: str
    more: str
    all_articles: str
    all_unread: str
    starred_view: str
    feed: str
    refreshing: str  # {done} {total}
    starred_mark: str  # after the star in the article's border
    # Notices in the article view and the lists
    no_articles: str
    gone: str
    no_link: str
    teaser_only: str
    nothing_starred: str
    everything_read: str
    feed_empty: str
    no_articles_yet: str
    # The article view
    published: str
    updated: str
    link_prefix: str
    links: str
    # Sidebar headings, when the feed names none
    related: str
    on_air: str
    more_media: str
    # Search
    search: str
    search_placeholder: str
    search_prompt: str
    one_match: str
    matches: str  # {count}
    no_matches: str
    no_matches_hint: str  # {word}
    search_failed: str  # {error}
    related_item: str
    # Refresh
    refreshed_feeds: str  # {feeds}: a counted noun
    new_in_feeds: str  # {new} {feeds}
    no_new_articles: str
    failed_count: str  # {count}
    skipped_count: str  # {count}
    one_feed: str
    many_feeds: str  # {count}
    refresh_failed: str  # {error}
    store_failed: str  # {error}
    list_failed: str  # {error}
    # Help
    keys_title: str
    help_sections: Mapping[str, str]  # English section name -> this language's
    # Links, media and the programme
    links_title: str
    links_hint: str
    no_links: str
    opened_link: str  # {url} {program}
    playing: str  # {url} {program}
    launch_failed: str  # {error}
    no_media_link: str  # {kind}
    no_playable_media: str
    broadcast_notice: str  # {station} {programme} {when}
    on_air_title: str
    exported: str  # {count} {path}
    no_slots: str
    export_failed: str  # {error}
    # Settings and the palette
    settings_ignored: str
    more_problems: str  # {count}
    unknown_theme: str  # {name} {default}
    unknown_binding: str  # {binding}
    theme_command: str  # {name}
    theme_help: str
    state_not_saved: str  # {error}

    def __hash__(self) -> int:
        return hash(self.language)

    def section(self, name: str) -> str:
        """A help section's name in this language (sections are named in English)."""
        return self.help_sections.get(name, name)


ENGLISH: Final = Labels(
    language="en",
    feeds="Feeds",
    articles="Articles",
    article="Article",
    more="More",
    all_articles="All articles",
    all_unread="All unread",
    starred_view="Starred",
    feed="Feed",
    refreshing="refreshing {done}/{total}",
    starred_mark="Starred",
    no_articles="No articles are stored yet.",
    gone="This article is no longer stored.",
    no_link="This article has no web link.",
    teaser_only="Only the teaser of this item is available.",
    nothing_starred="Nothing is starred yet: press s on an article to star it.",
    everything_read="Everything is read.",
    feed_empty="This feed has no articles yet.",
    no_articles_yet="No articles yet.",
    published="Published",
    updated="Updated",
    link_prefix="Link: ",
    links="Links",
    related="Related",
    on_air="On air",
    more_media="More media",
    search="Search",
    search_placeholder="Search articles and related stories",
    search_prompt='Type words, "a phrase", prefix*, this OR that, -exclude.',
    one_match="1 match",
    matches="{count} matches",
    no_matches="No matches.",
    no_matches_hint="No matches. Whole words are matched: try {word}* for words that start so.",
    search_failed="The search failed: {error}",
    related_item="related item",
    refreshed_feeds="Refreshed {feeds}",
    new_in_feeds="{new} new in {feeds}",
    no_new_articles="No new articles",
    failed_count="{count} failed",
    skipped_count="{count} skipped",
    one_feed="1 feed",
    many_feeds="{count} feeds",
    refresh_failed="Refreshing failed: {error}",
    store_failed="Reading the store failed: {error}",
    list_failed="Reading the article list failed: {error}",
    keys_title="Keys",
    help_sections=MappingProxyType({}),
    links_title="Links in this article",
    links_hint="⏎ or 1–9 opens a link; esc closes.",
    no_links="This article has no links.",
    opened_link="Opened {url} in {program}.",
    playing="Playing {url} with {program}.",
    launch_failed="Could not open it: {error}",
    no_media_link="No link is known for this {kind}.",
    no_playable_media="This article has no media to play.",
    broadcast_notice="{station}, {programme}{when}. No link is known for this broadcast.",
    on_air_title="On air",
    exported="Wrote {count} broadcast(s) to {path}",
    no_slots="No broadcast of this article has a start time.",
    export_failed="The programme could not be exported: {error}",
    settings_ignored="Settings ignored",
    more_problems="…and {count} more (newsreader config show lists them all)",
    unknown_theme='ui.theme: there is no theme called "{name}"; using {default}',
    unknown_binding="keymap.{binding}: no key has this id (the help screen lists them)",
    theme_command="Theme: {name}",
    theme_help="Switch to this theme; it is remembered for the next start",
    state_not_saved="The theme could not be remembered: {error}",
)

GERMAN: Final = Labels(
    language="de",
    feeds="Feeds",
    articles="Artikel",
    article="Artikel",
    more="Mehr",
    all_articles="Alle Artikel",
    all_unread="Alle ungelesenen",
    starred_view="Mit Stern",
    feed="Feed",
    refreshing="aktualisiere {done}/{total}",
    starred_mark="Mit Stern",
    no_articles="Noch sind keine Artikel gespeichert.",
    gone="Dieser Artikel ist nicht mehr gespeichert.",
    no_link="Dieser Artikel hat keinen Weblink.",
    teaser_only="Von diesem Beitrag ist nur der Teaser verfügbar.",
    nothing_starred="Noch hat nichts einen Stern: s auf einem Artikel vergibt einen.",
    everything_read="Alles ist gelesen.",
    feed_empty="Dieser Feed hat noch keine Artikel.",
    no_articles_yet="Noch keine Artikel.",
    published="Veröffentlicht",
    updated="Aktualisiert",
    link_prefix="Link: ",
    links="Links",
    related="Verwandte Beiträge",
    on_air="Im Programm",
    more_media="Weitere Medien",
    search="Suche",
    search_placeholder="Artikel und verwandte Beiträge durchsuchen",
    search_prompt='Wörter, "eine Wortfolge", Anfang*, dies OR das, -ausschließen.',
    one_match="1 Treffer",
    matches="{count} Treffer",
    no_matches="Keine Treffer.",
    no_matches_hint=(
        "Keine Treffer. Gesucht wird nach ganzen Wörtern: {word}* findet Wörter, die so anfangen."
    ),
    search_failed="Die Suche ist fehlgeschlagen: {error}",
    related_item="verwandter Beitrag",
    refreshed_feeds="{feeds} aktualisiert",
    new_in_feeds="{new} neu in {feeds}",
    no_new_articles="Keine neuen Artikel",
    failed_count="{count} fehlgeschlagen",
    skipped_count="{count} übersprungen",
    one_feed="1 Feed",
    many_feeds="{count} Feeds",
    refresh_failed="Aktualisieren fehlgeschlagen: {error}",
    store_failed="Lesen der Datenbank fehlgeschlagen: {error}",
    list_failed="Lesen der Artikelliste fehlgeschlagen: {error}",
    keys_title="Tasten",
    help_sections=MappingProxyType(
        {
            "General": "Allgemein",
            "Search": "Suche",
            "Help": "Hilfe",
            "Article": "Artikel",
            "Article list": "Artikelliste",
            "Feed list": "Feedliste",
            "Sidebar": "Seitenleiste",
            "Links": "Links",
        }
    ),
    links_title="Links in diesem Artikel",
    links_hint="⏎ oder 1–9 öffnet einen Link; esc schließt.",
    no_links="Dieser Artikel enthält keine Links.",
    opened_link="{url} in {program} geöffnet.",
    playing="{url} wird mit {program} abgespielt.",
    launch_failed="Konnte nicht geöffnet werden: {error}",
    no_media_link="Für dieses Medium ({kind}) ist kein Link bekannt.",
    no_playable_media="Dieser Artikel hat keine abspielbaren Medien.",
    broadcast_notice="{station}, {programme}{when}. Für diese Sendung ist kein Link bekannt.",
    on_air_title="Im Programm",
    exported="{count} Sendung(en) in {path} gespeichert",
    no_slots="Keine Sendung dieses Artikels hat eine Anfangszeit.",
    export_failed="Das Programm konnte nicht exportiert werden: {error}",
    settings_ignored="Einstellungen ignoriert",
    more_problems="…und {count} weitere (newsreader config show zeigt alle)",
    unknown_theme='ui.theme: ein Farbschema "{name}" gibt es nicht; verwendet wird {default}',
    unknown_binding="keymap.{binding}: keine Taste hat diese Kennung (siehe Hilfe)",
    theme_command="Farbschema: {name}",
    theme_help="Zu diesem Farbschema wechseln; es bleibt auch beim nächsten Start",
    state_not_saved="Das Farbschema konnte nicht gespeichert werden: {error}",
)

_BY_LANGUAGE: Final = {labels.language: labels for labels in (ENGLISH, GERMAN)}

# What each key does, by binding id. English comes from the bindings themselves.
GERMAN_KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "help": "Hilfe",
        "quit": "Beenden",
        "command-palette": "Befehle",
        "next-pane": "Nächster Bereich",
        "previous-pane": "Vorheriger Bereich",
        "back": "Zurück",
        "forward": "Vorwärts",
        "search": "Suche",
        "refresh": "Aktualisieren",
        "toggle-read": "Gelesen/ungelesen",
        "toggle-star": "Stern",
        "open-link": "Im Browser öffnen",
        "links": "Links",
        "play-media": "Abspielen",
        "export-programme": "Programm exportieren",
        "article-down": "Nach unten",
        "article-up": "Nach oben",
        "article-page-down": "Seite weiter",
        "article-page-up": "Seite zurück",
        "article-top": "Artikelanfang",
        "article-end": "Artikelende",
        "list-next": "Nächster Artikel",
        "list-previous": "Vorheriger Artikel",
        "list-open": "Öffnen",
        "list-first": "Erster Artikel",
        "list-last": "Letzter Artikel",
        "list-page-up": "Seite zurück",
        "list-page-down": "Seite weiter",
        "feeds-next": "Nächster Feed",
        "feeds-previous": "Vorheriger Feed",
        "feeds-open": "Artikel zeigen",
        "feeds-first": "Erster Eintrag",
        "feeds-last": "Letzter Feed",
        "sidebar-next": "Nächster Eintrag",
        "sidebar-previous": "Vorheriger Eintrag",
        "sidebar-open": "Eintrag öffnen",
        "results-next": "Nächster Treffer",
        "results-previous": "Vorheriger Treffer",
        "results-open": "Treffer öffnen",
        "close-search": "Suche schließen",
        "search-to-results": "Zu den Treffern",
        "close-help": "Hilfe schließen",
        "links-next": "Nächster Link",
        "links-previous": "Vorheriger Link",
        "links-open": "Link öffnen",
        "close-links": "Links schließen",
    }
)

# What each command in the palette does, by binding id: the longer line under its name.
_COMMAND_HELP: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "list-open": "Open the article highlighted in the list",
                "search": "Search every stored article and related story",
                "refresh": "Fetch every feed again, in the background",
                "toggle-read": "Mark the article read or unread",
                "toggle-star": "Star the article, or take its star away",
                "open-link": "Open the article's web page in the browser",
                "links": "List the links in the article's text",
                "play-media": "Play the article's audio or video",
                "export-programme": "Save the article's broadcasts as a calendar file (.ics)",
                "back": "Go back to what was open before",
                "forward": "Go forward again",
                "help": "Show every key",
                "quit": "Leave newsreader",
            }
        ),
        "de": MappingProxyType(
            {
                "list-open": "Den in der Liste markierten Artikel öffnen",
                "search": "Alle gespeicherten Artikel und verwandten Beiträge durchsuchen",
                "refresh": "Alle Feeds im Hintergrund neu laden",
                "toggle-read": "Den Artikel als gelesen oder ungelesen markieren",
                "toggle-star": "Dem Artikel einen Stern geben oder ihn wegnehmen",
                "open-link": "Die Webseite des Artikels im Browser öffnen",
                "links": "Die Links im Text des Artikels auflisten",
                "play-media": "Audio oder Video des Artikels abspielen",
                "export-programme": "Die Sendungen des Artikels als Kalenderdatei (.ics) speichern",
                "back": "Zurück zum vorher Geöffneten",
                "forward": "Wieder vorwärts",
                "help": "Alle Tasten zeigen",
                "quit": "newsreader beenden",
            }
        ),
    }
)


def labels_for(language: str | None) -> Labels:
    """The labels for a config language ("en" or "de"); English for anything else."""
    return _BY_LANGUAGE.get((language or "en").lower()[:2], ENGLISH)


def labels_of(app: App[Any]) -> Labels:
    """The labels of a running newsreader app (English for any other app, as in tests)."""
    labels = getattr(app, "labels", None)
    return labels if isinstance(labels, Labels) else ENGLISH


def key_description(labels: Labels, binding: Binding) -> str:
    """What a key does, in the labels' language; bindings carry the English."""
    if labels.language == "de" and binding.id is not None:
        return GERMAN_KEYS.get(binding.id, binding.description)
    return binding.description


def command_help(labels: Labels, binding_id: str) -> str:
    """The palette's line under a command's name."""
    return _COMMAND_HELP.get(labels.language, _COMMAND_HELP["en"]).get(binding_id, "")


def localised_bindings(bindings: BindingsMap, labels: Labels) -> BindingsMap:
    """A copy of ``bindings`` whose descriptions are in the labels' language."""
    if labels.language == "en":
        return bindings.copy()
    keys = {
        key: [_with_description(binding, key_description(labels, binding)) for binding in group]
        for key, group in bindings.key_to_bindings.items()
    }
    return BindingsMap.from_keys(keys)


def localise_node(node: DOMNode, labels: Labels) -> None:
    """Put a widget's or screen's key descriptions into the labels' language, once.

    Every instance has its own copy of its class's bindings, so apps in different
    languages never share them; the footer and the help screen read these copies.
    """
    if labels.language != "en":
        node._bindings = localised_bindings(node._bindings, labels)
        node.refresh_bindings()


def localise_tree(screen: DOMNode, labels: Labels) -> None:
    """``localise_node`` for a screen and every widget on it."""
    for node in [screen, *screen.query("*")]:
        localise_node(node, labels)


def _with_description(binding: Binding, description: str) -> Binding:
    if description == binding.description:
        return binding
    return replace(binding, description=description)
