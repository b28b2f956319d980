"""The UI's own words in English, and the fields every language fills in (``Labels``).

Messages with a count or a name are ``str.format`` templates with named fields; the values
filled in are data, and the result is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


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
    no_unread: str
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
    image_placeholder: str  # {text} {host}
    image_placeholder_bare: str  # {host}
    image_loading: str  # {text}: the placeholder
    image_refused: str  # {reason}
    no_images: str
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
    sorted_by_relevance: str
    sorted_by_date: str
    # Saved searches
    saved_searches: str
    saved_search_empty: str
    save_search_title: str
    save_search_placeholder: str
    save_search_hint: str
    saved_query: str  # {query}
    name_needed: str
    search_saved: str  # {name}
    search_deleted: str  # {name}
    # Subscribing from the reader, and asking before deleting
    confirm_title: str
    confirm_hint: str
    add_feed_title: str
    add_feed_placeholder: str
    add_feed_hint: str
    add_feed_needed: str
    subscribing: str  # {source}
    subscribed: str  # {title} {new}
    subscribe_failed: str  # {source} {error}
    remove_feed_question: str  # {title}
    feed_removed: str  # {title} {count}
    delete_search_question: str  # {name}
    how_to_subscribe: str  # {key}
    # Mark all read
    marked_read: str  # {count} {key}
    nothing_to_mark: str
    marked_unread_again: str  # {count}
    save_failed: str  # {error}
    # Computed related items and stories carried by several feeds
    more_on_this: str
    also_in: str  # {feeds}
    # Refresh
    refreshed_feeds: str  # {feeds}: a counted noun
    new_in_feeds: str  # {new} {feeds}
    no_new_articles: str
    failed_count: str  # {count}
    skipped_count: str  # {count}
    one_feed: str
    many_feeds: str  # {count}
    refresh_failed: str  # {error}
    syncing: str  # {account} {count}: a sync in progress
    synced: str  # {account} {new} {pushed}
    sync_failed: str  # {account} {error}
    synced_with: str  # {account}: where a synced feed lives
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
    broadcast_notice: str  # {station} {programme} {when}
    on_air_title: str
    exported_one: str  # {path}
    exported: str  # {count} {path}
    no_slots: str
    export_failed: str  # {error}
    # Settings and the palette
    settings_ignored: str
    more_problems: str  # {count}
    unknown_theme: str  # {name} {default}
    unknown_binding: str  # {binding}
    keymap_clash: str  # {key} {ids}
    theme_command: str  # {name}
    theme_help: str
    state_not_saved: str  # {error}
    # Full text from the web page
    full_text_from: str  # {host}
    full_text_fetching: str  # {host}
    full_text_failed: str  # {error}
    feed_text_shown: str

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
    no_unread="No unread articles.",
    gone="This article is no longer stored.",
    no_link="This article has no web link.",
    teaser_only="Only the teaser of this item is available.",
    image_placeholder="[image: {text} · {host}]",
    image_placeholder_bare="[image · {host}]",
    image_loading="{text} loading…",
    image_refused="picture not shown: {reason}",
    no_images="This article has no pictures.",
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
    sorted_by_relevance="Best matches first",
    sorted_by_date="Newest first",
    saved_searches="Saved searches",
    saved_search_empty="Nothing stored matches this saved search yet.",
    save_search_title="Save search",
    save_search_placeholder="A name for this search",
    save_search_hint="⏎ saves under this name; esc cancels.",
    saved_query="Query: {query}",
    name_needed="Type a name for the search.",
    search_saved='Saved as "{name}"; it is listed with the feeds.',
    search_deleted='Deleted the saved search "{name}".',
    confirm_title="Are you sure?",
    confirm_hint="y or ⏎: yes · n or esc: no",
    add_feed_title="Add a feed",
    add_feed_placeholder="https://example.org/feed.xml, or a feed file",
    add_feed_hint="⏎ subscribes and fetches it; esc cancels.",
    add_feed_needed="Type the feed's address.",
    subscribing="Subscribing to {source}…",
    subscribed="Subscribed to {title}: {new} new",
    subscribe_failed="Could not subscribe to {source}: {error}",
    remove_feed_question='Remove the feed "{title}" and its articles?',
    feed_removed='Removed "{title}" and {count} articles',
    delete_search_question='Delete the saved search "{name}"?',
    how_to_subscribe="To subscribe to a feed, press {key} and type its address.",
    marked_read="{count} marked read · {key} to undo",
    nothing_to_mark="Nothing here is unread.",
    marked_unread_again="{count} unread again",
    save_failed="The search could not be saved: {error}",
    more_on_this="More on this",
    also_in="also in: {feeds}",
    refreshed_feeds="Refreshed {feeds}",
    new_in_feeds="{new} new in {feeds}",
    no_new_articles="No new articles",
    failed_count="{count} failed",
    skipped_count="{count} skipped",
    one_feed="1 feed",
    many_feeds="{count} feeds",
    refresh_failed="Refreshing failed: {error}",
    syncing="syncing {account}: {count} new",
    synced="{account}: {new} new, {pushed} changes sent",
    sync_failed="{account}: sync failed: {error}",
    synced_with="synced with {account}",
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
    broadcast_notice="{station}, {programme}{when}. No link is known for this broadcast.",
    on_air_title="On air",
    exported_one="Wrote 1 broadcast to {path}",
    exported="Wrote {count} broadcasts to {path}",
    no_slots="No broadcast of this article has a start time.",
    export_failed="The programme could not be exported: {error}",
    settings_ignored="Settings ignored",
    more_problems="…and {count} more (newsreader config show lists them all)",
    unknown_theme='ui.theme: there is no theme called "{name}"; using {default}',
    unknown_binding="keymap.{binding}: no key has this id (the help screen lists them)",
    keymap_clash="keymap: {key} is bound to {ids} at once; only one of them can have it",
    theme_command="Theme: {name}",
    theme_help="Switch to this theme; it is remembered for the next start",
    state_not_saved="The theme could not be remembered: {error}",
    full_text_from="Full text from the web page · {host}",
    full_text_fetching="Fetching the full text from {host}…",
    full_text_failed="No full text: {error}",
    feed_text_shown="The feed's own text · f shows the web page's",
)


# What each command in the palette does, by binding id: the longer line under its name.
ENGLISH_COMMAND_HELP: Final[Mapping[str, str]] = MappingProxyType(
    {
        "list-open": "Open the article highlighted in the list",
        "search": "Search every stored article and related story",
        "save-search": "Keep this search under a name; it is listed with the feeds",
        "delete-search": "Delete the saved search highlighted in the feed list",
        "refresh": "Fetch every feed again, in the background",
        "toggle-read": "Mark the article read or unread",
        "mark-all-read": "Mark every article of this feed, view or saved search read",
        "undo-mark-read": "Take back the last mark all read",
        "add-feed": "Subscribe to a feed by its address",
        "remove-feed": "Unsubscribe from the feed highlighted in the feed list, after asking",
        "zoom": "Give the focused pane the whole width, or give it back",
        "toggle-star": "Star the article, or take its star away",
        "next-unread": "Open the next unread article",
        "previous-unread": "Open the previous unread article",
        "next-feed": "Go to the next feed in the list",
        "previous-feed": "Go to the previous feed in the list",
        "back-or-quit": "From the article to the list, from the list to the feeds, then quit",
        "open-link": "Open the article's web page in the browser",
        "links": "List the links in the article's text",
        "play-media": "Play the article's audio or video",
        "load-images": "Show and fetch the open article's pictures",
        "view-image": "Open the picture in view in the image viewer (or the browser)",
        "export-programme": "Save the article's broadcasts as a calendar file (.ics)",
        "full-text-toggle": "Switch between the web page's full text and the feed's own text",
        "full-text-fetch": "Fetch the article's web page again for its full text",
        "back": "Go back to what was open before",
        "forward": "Go forward again",
        "help": "Show every key",
        "quit": "Leave newsreader",
    }
)
