"""Runs coldsweat (inside its own venv) as the tests need it: local, fresh and quiet.

Stock coldsweat asks an outside favicon service about every new feed, and skips a feed it
fetched less than three minutes ago. This launcher switches both off before handing over
to coldsweat's own command line, so the test server only ever talks to 127.0.0.1.

    python coldsweat_launch.py run --host 127.0.0.1 --port N
    python coldsweat_launch.py setup EMAIL -p PASSWORD
    python coldsweat_launch.py subscribe EMAIL GROUP URL...   (adds and fetches the feeds)
    python coldsweat_launch.py fetch
"""

from __future__ import annotations

import sys

import coldsweat
import coldsweat.fetcher as fetcher


def quiet_icon(self: fetcher.Fetcher) -> None:
    """Keep the default icon: no request leaves the machine."""


fetcher.MIN_FETCH_INTERVAL = 0
fetcher.Fetcher._fetch_icon = quiet_icon  # type: ignore[method-assign]


def subscribe(email: str, group_title: str, urls: list[str]) -> None:
    import coldsweat.feed as feed
    from coldsweat.models import Group, User

    app = coldsweat.create_app()
    with app.app_context():
        user = User.get(User.email == email)
        group, _ = Group.get_or_create(title=group_title)
        added = []
        for url in urls:
            new = feed.add_feed_from_url(url)
            feed.add_subscription(user, new, group)
            added.append(new)
        feed.fetch_feeds(added)


if __name__ == "__main__":
    if sys.argv[1] == "subscribe":
        subscribe(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(coldsweat.cli())
