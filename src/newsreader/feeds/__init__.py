"""Getting feeds: fetching, parsing, refreshing, subscriptions and OPML."""
