"""Broadcasts on the stories' topics: listing them, and exporting them as an iCalendar file.

Stories may name slots on air ("Dieses Thema im Programm: NDR 1 Niedersachsen | Regional
Braunschweig | 27.03.2019 | 13:30 Uhr"). ``programme_slots`` lists every stored slot with
its story, ``ics_for`` writes slots as RFC 5545 calendar text, ``export_ics`` writes a file.

Calendar choices, all for importing into any calendar application:

- Times are given in Europe/Berlin, with its VTIMEZONE written out (the EU rules since
  1996), since the bundled sources broadcast in Germany; a calendar shows them in its own
  zone. A start without a UTC offset is taken as Berlin wall-clock time.
- Feeds give a start but no length, so every event lasts ``SLOT_DURATION`` (30 minutes).
- Slots without a start cannot be placed in a calendar and are left out.
- The UID is a hash of the story's id and the slot itself, so exporting again gives the same
  UIDs and a calendar updates events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, Literal
from zoneinfo import ZoneInfo

from newsreader import __version__
from newsreader.store.database import Store
from newsreader.store.rows import parse_datetime

CALENDAR_ZONE: Final = "Europe/Berlin"
SLOT_DURATION: Final = timedelta(minutes=30)
PRODID: Final = f"-//newsreader//newsreader {__version__}//EN"
UID_DOMAIN: Final = "newsreader"
MAX_LINE_OCTETS: Final = 75  # RFC 5545 3.1, without the CRLF
CRLF: Final = "\r\n"

Status = Literal["upcoming", "past", "unknown"]

# Central European Time, as the EU has switched it since 1996: summer time from the last
# Sunday in March, 02:00, to the last Sunday in October, 03:00.
_BERLIN_VTIMEZONE: Final = (
    "BEGIN:VTIMEZONE",
    f"TZID:{CALENDAR_ZONE}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    """One slot on air, with the story it belongs to.

    ``position`` is the slot's place among its story's slots.
    """

    article_id: int
    article_title: str
    station: str
    programme: str
    start: datetime | None
    position: int = 0

    @property
    def summary(self) -> str:
        """ "station: programme", or whichever of the two is known."""
        return ": ".join(part for part in (self.station, self.programme) if part)

    def status(self, now: datetime | None = None) -> Status:
        """Whether the slot starts at ``now`` or later ("upcoming") or has started ("past")."""
        if self.start is None:
            return "unknown"
        return "upcoming" if _aware(self.start) >= _now(now) else "past"


def programme_slots(store: Store, article_id: int | None = None) -> list[ProgrammeEntry]:
    """Every stored slot (or one story's), past and upcoming, by start; unknown starts last."""
    query = (
        "SELECT p.article_id, a.title, p.position, p.station, p.programme, p.start "
        "FROM programme_slots AS p JOIN articles AS a ON a.id = p.article_id"
    )
    parameters: tuple[int, ...] = ()
    if article_id is not None:
        query += " WHERE p.article_id = ?"
        parameters = (article_id,)
    rows = store.connection().execute(query, parameters).fetchall()
    entries = [
        ProgrammeEntry(
            article_id=row["article_id"],
            article_title=row["title"],
            station=row["station"],
            programme=row["programme"],
            start=parse_datetime(row["start"]),
            position=row["position"],
        )
        for row in rows
    ]
    return sorted(entries, key=_order)


def _order(entry: ProgrammeEntry) -> tuple[bool, datetime, int, int]:
    start = _aware(entry.start) if entry.start is not None else datetime.max.replace(tzinfo=UTC)
    return (entry.start is None, start, entry.article_id, entry.position)


def _aware(moment: datetime) -> datetime:
    """A time with a UTC offset; one without is Berlin wall-clock time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(CALENDAR_ZONE))


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


# iCalendar (RFC 5545).


def ics_for(slots: Iterable[ProgrammeEntry], now: datetime | None = None) -> str:
    """A VCALENDAR with one 30-minute VEVENT per slot that has a start; CRLF, folded lines.

    ``now`` is the DTSTAMP (when the calendar was made); it defaults to the current time.
    """
    stamp = _now(now).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    zone = ZoneInfo(CALENDAR_ZONE)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_BERLIN_VTIMEZONE,
    ]
    seen: set[str] = set()
    for slot in slots:
        if slot.start is None:
            continue
        uid = slot_uid(slot)
        if uid in seen:  # the same broadcast listed twice by one story
            continue
        seen.add(uid)
        local = _aware(slot.start).astimezone(zone)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={CALENDAR_ZONE}:{local.strftime('%Y%m%dT%H%M%S')}",
            f"DURATION:{_duration(SLOT_DURATION)}",
            f"SUMMARY:{escape_text(slot.summary)}",
            f"DESCRIPTION:{escape_text(slot.article_title)}",
            "TRANSP:TRANSPARENT",  # a broadcast does not make anyone busy
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def export_ics(
    store: Store, path: Path, article_id: int | None = None, *, now: datetime | None = None
) -> int:
    """Write every slot (or one story's) to ``path`` as .ics; returns the number of events."""
    slots = [slot for slot in programme_slots(store, article_id) if slot.start is not None]
    text = ics_for(slots, now=now)
    path.write_bytes(text.encode("utf-8"))
    return len({slot_uid(slot) for slot in slots})


def slot_uid(slot: ProgrammeEntry) -> str:
    """A UID that stays the same each time the slot is exported."""
    start = _aware(slot.start).astimezone(UTC).isoformat() if slot.start is not None else ""
    key = "\x1f".join((str(slot.article_id), slot.station, slot.programme, start))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped.

    Other control characters are not allowed in TEXT and become spaces.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in ";,":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append(char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def fold(line: str) -> str:
    """Split ``line`` into lines of at most 75 octets (RFC 5545 3.1), never inside a character.

    Each continuation line starts with one space, which counts towards its 75.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return CRLF.join(parts)


def _duration(length: timedelta) -> str:
    minutes = int(length.total_seconds()) // 60
    return f"PT{minutes}M"
