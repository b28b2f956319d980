"""The feed shipped with newsreader, shown on a machine with no subscriptions yet."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_FEED_NAME = "ndr-niedersachsen.atom"
BUNDLED_SOURCE = "bundled:" + BUNDLED_FEED_NAME


def bundled_feed_path() -> Path:
    """Where the bundled feed lies: inside the installed package, or in a source checkout."""
    packaged = resources.files("newsreader") / "feeds" / BUNDLED_FEED_NAME
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "feeds" / BUNDLED_FEED_NAME
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"the bundled feed {BUNDLED_FEED_NAME} is missing from this install")
