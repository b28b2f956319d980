"""Dates, times and durations written for people, once for the reader and the CLI alike.

Every time is shown in the reader's own time zone (``TZ`` is respected), whatever offset
the source gave: an item at 07:00 EST and one at 10:00 UTC read as the instants they are.
German sources are shown the way their readers write times ("27.03.2019 20:43 Uhr"),
others in a sortable form. Nothing here parses: it only writes values already checked.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from newsreader.models import Article

STAMP_FORMAT = "%Y-%m-%d %H:%M"
LIST_DATE_FORMAT = "%Y-%m-%d"
FIRST_SEEN_MARK = "~"  # before the time an article without a date was first seen
# A time directive of strftime, with what joins it to the rest of the format.
_TIME_PART = re.compile(r"[\s:.,]*%[HIMSpfXzZ]")


def local(moment: datetime) -> datetime:
    """The same instant in the reader's time zone; a time without an offset counts as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):  # at the very ends of the calendar
        return moment


def format_local(moment: datetime, date_format: str) -> str:
    """``moment`` in the reader's time zone, written with a strftime format."""
    return local(moment).strftime(date_format)


def local_day(moment: datetime) -> date:
    """The reader's calendar day at that instant."""
    return local(moment).date()


def is_german(language: str | None) -> bool:
    return bool(language) and str(language).lower().startswith("de")


def format_day(day: date, language: str | None = None) -> str:
    """A calendar day the way the source's readers write it."""
    return day.strftime("%d.%m.%Y") if is_german(language) else day.strftime("%Y-%m-%d")


def format_time(moment: datetime, language: str | None = None) -> str:
    """A clock time in the reader's time zone, with "Uhr" for German sources."""
    return format_local(moment, "%H:%M Uhr" if is_german(language) else "%H:%M")


def format_moment(moment: datetime, language: str | None = None) -> str:
    """A date and time as the source's readers write it, in the reader's time zone."""
    return f"{format_day(local_day(moment), language)} {format_time(moment, language)}"


def date_part(date_format: str) -> str:
    """The part of a date-and-time format that a date alone can fill ("%d.%m.%Y %H:%M"
    is "%d.%m.%Y"); the list's date format if no date is left in it."""
    left = _TIME_PART.sub("", date_format).strip()
    return left if "%" in left else LIST_DATE_FORMAT


def format_listed(moment: datetime, date_format: str, *, first_seen: bool = False) -> str:
    """A list's date; a time the article was first seen (it has no date of its own) is
    marked "~" and given as a day only, as the approximation it is."""
    if first_seen:
        return FIRST_SEEN_MARK + format_local(moment, date_part(date_format))
    return format_local(moment, date_format)


def format_stamp(article: Article, date_format: str = STAMP_FORMAT) -> str | None:
    """The timestamp line, in the reader's time zone.

    German sources keep their own "Stand: 27.03.2019 20:43 Uhr"; others use ``date_format``.
    """
    moment = article.stamp
    if moment is None:
        if article.first_seen is None:
            return None
        if is_german(article.language):
            return f"Erstmals gesehen: {format_local(article.first_seen, '%d.%m.%Y %H:%M')} Uhr"
        return f"First seen {format_local(article.first_seen, date_format)}"
    if is_german(article.language):
        label = article.labels.stamp or "Stand:"
        return f"{label} {format_local(moment, '%d.%m.%Y %H:%M')} Uhr"
    word = "Updated" if article.updated is not None else "Published"
    return f"{word} {format_local(moment, date_format)}"


def format_duration(seconds: int | None) -> str | None:
    """mm:ss, or h:mm:ss from an hour on."""
    if seconds is None or seconds < 0:
        return None
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
