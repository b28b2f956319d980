"""Broadcasts the stories name: listed in order, and exported to a calendar that others read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from newsreader.models import Article, Feed, ProgrammeSlot
from newsreader.store.database import Store
from newsreader.store.programme import (
    ProgrammeEntry,
    escape_text,
    export_ics,
    fold,
    ics_for,
    programme_slots,
    slot_uid,
)

HEADLINE = "In die Cloud: VW und Amazon gehen Kooperation ein"
BERLIN = ZoneInfo("Europe/Berlin")
CET = timezone(timedelta(hours=1))
MADE = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
TRICKY_STATION = "Radio, Bremen; Eins \\ Zwei"


def story(guid: str, title: str, *slots: ProgrammeSlot) -> Article:
    return Article(guid=guid, title=title, programme=tuple(slots))


def add_stories(store: Store, *articles: Article) -> None:
    feed = store.add_feed(Feed(source="test:radio", title="Radio"))
    assert feed.id is not None
    store.save_articles(feed.id, articles)


def events(text: str) -> list[icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(text)
    return list(calendar.walk("VEVENT"))


# Listing.


def test_the_bundled_story_names_one_slot_on_air(seeded_store: Store) -> None:
    (slot,) = programme_slots(seeded_store)
    assert slot.article_title == HEADLINE
    assert seeded_store.article(slot.article_id) is not None
    assert (slot.station, slot.programme) == ("NDR 1 Niedersachsen", "Regional Braunschweig")
    assert slot.start == datetime(2019, 3, 27, 13, 30, tzinfo=CET)
    assert slot.summary == "NDR 1 Niedersachsen: Regional Braunschweig"


def test_slots_come_in_order_of_their_start_whatever_the_offsets(store: Store) -> None:
    add_stories(
        store,
        story(
            "a",
            "Morning story",
            ProgrammeSlot("Late", "Show", datetime(2024, 1, 1, 12, 0, tzinfo=UTC)),
            ProgrammeSlot("Unknown", "Show", None),
        ),
        story(
            "b",
            "Evening story",
            # 11:30 UTC: earlier than 12:00 UTC though it reads 12:30.
            ProgrammeSlot("Early", "Show", datetime(2024, 1, 1, 12, 30, tzinfo=CET)),
        ),
    )
    assert [slot.station for slot in programme_slots(store)] == ["Early", "Late", "Unknown"]


def test_one_storys_slots_can_be_listed_alone(store: Store) -> None:
    add_stories(
        store,
        story("a", "One", ProgrammeSlot("A", "a", datetime(2024, 1, 1, tzinfo=UTC))),
        story("b", "Two", ProgrammeSlot("B", "b", datetime(2024, 1, 2, tzinfo=UTC))),
    )
    two = next(slot.article_id for slot in programme_slots(store) if slot.station == "B")
    assert [slot.article_title for slot in programme_slots(store, two)] == ["Two"]


def test_a_slot_is_upcoming_until_it_starts() -> None:
    start = datetime(2019, 3, 27, 13, 30, tzinfo=CET)
    slot = ProgrammeEntry(1, "Story", "NDR 1", "Regional", start)
    assert slot.status(start - timedelta(seconds=1)) == "upcoming"
    assert slot.status(start) == "upcoming"
    assert slot.status(start + timedelta(seconds=1)) == "past"
    assert slot.status(datetime(2019, 3, 27, 12, 29)) == "upcoming"  # no offset: UTC
    assert ProgrammeEntry(1, "Story", "NDR 1", "Regional", None).status(start) == "unknown"


# The calendar.


def test_the_bundled_slot_becomes_one_event_at_13_30_berlin_time(seeded_store: Store) -> None:
    text = ics_for(programme_slots(seeded_store), now=MADE)
    (event,) = events(text)
    start = event.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime(2019, 3, 27, 13, 30)
    assert start.utcoffset() == timedelta(hours=1)
    assert str(event["SUMMARY"]) == "NDR 1 Niedersachsen: Regional Braunschweig"
    assert str(event["DESCRIPTION"]) == HEADLINE
    assert event.decoded("DURATION") == timedelta(minutes=30)
    assert event.decoded("DTSTAMP") == MADE
    assert str(event["UID"]).endswith("@newsreader")
    assert "DTSTART;TZID=Europe/Berlin:20190327T133000\r\n" in text


def test_the_calendar_has_the_required_properties_and_a_berlin_time_zone() -> None:
    calendar = icalendar.Calendar.from_ical(ics_for([], now=MADE))
    assert str(calendar["VERSION"]) == "2.0"
    assert "newsreader" in str(calendar["PRODID"])
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    assert [part.name for part in zone.subcomponents] == ["DAYLIGHT", "STANDARD"]


def test_the_written_time_zone_agrees_with_the_time_zone_database() -> None:
    (zone,) = icalendar.Calendar.from_ical(ics_for([], now=MADE)).walk("VTIMEZONE")
    assert isinstance(zone, icalendar.Timezone)
    written = zone.to_tz()
    moments = [
        datetime(year, month, day, hour, tzinfo=UTC)
        for year in (1999, 2019, 2024, 2031)
        for month, day in ((1, 15), (3, 26), (3, 31), (7, 1), (10, 25), (10, 31), (12, 24))
        for hour in (0, 1, 2, 3)
    ]
    for moment in moments:
        assert moment.astimezone(written).utcoffset() == moment.astimezone(BERLIN).utcoffset(), (
            moment
        )


def test_times_from_other_zones_are_shown_as_berlin_wall_clock_time() -> None:
    summer = ProgrammeEntry(1, "Story", "BBC", "News", datetime(2019, 7, 1, 10, 0, tzinfo=UTC))
    winter = ProgrammeEntry(
        1, "Story", "NY", "News", datetime(2019, 1, 1, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    )
    floating = ProgrammeEntry(1, "Story", "Local", "News", datetime(2019, 7, 1, 20, 15))
    text = ics_for([summer, winter, floating], now=MADE)
    assert "DTSTART;TZID=Europe/Berlin:20190701T120000\r\n" in text
    assert "DTSTART;TZID=Europe/Berlin:20190101T150000\r\n" in text
    assert "DTSTART;TZID=Europe/Berlin:20190701T201500\r\n" in text
    starts = sorted(event.decoded("DTSTART") for event in events(text))
    assert [start.astimezone(UTC).hour for start in starts] == [14, 10, 18]


def test_commas_semicolons_backslashes_and_line_breaks_are_escaped() -> None:
    title = "Line one\nline two, with; all \\ of it"
    slot = ProgrammeEntry(7, title, TRICKY_STATION, "Show", datetime(2024, 1, 1, tzinfo=UTC))
    text = ics_for([slot], now=MADE)
    assert "SUMMARY:Radio\\, Bremen\\; Eins \\\\ Zwei: Show\r\n" in text
    assert "DESCRIPTION:Line one\\nline two\\, with\\; all \\\\ of it\r\n" in text
    (event,) = events(text)
    assert str(event["SUMMARY"]) == f"{TRICKY_STATION}: Show"
    assert str(event["DESCRIPTION"]) == title


def test_text_cannot_smuggle_in_properties_or_components() -> None:
    sneaky = "Story\r\nEND:VEVENT\r\nBEGIN:VEVENT\rUID:evil\x00\x1b[31m"
    slot = ProgrammeEntry(1, sneaky, "Station", "Show", datetime(2024, 1, 1, tzinfo=UTC))
    text = ics_for([slot], now=MADE)
    assert len(events(text)) == 1
    assert "\x00" not in text
    assert "\x1b" not in text
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 1
    assert "\r\nUID:evil" not in text
    (event,) = events(text)
    assert str(event["DESCRIPTION"]) == "Story\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil  [31m"


def test_every_line_ends_in_crlf_and_none_is_longer_than_75_octets() -> None:
    title = "Ärger über Öffnungszeiten: " + "Straßenbahn fährt später " * 12
    slot = ProgrammeEntry(1, title, "NDR 1 Niedersachsen", "Regional", datetime(2024, 1, 1))
    raw = ics_for([slot], now=MADE).encode("utf-8")
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the title was folded
    for line in lines:
        line.decode("utf-8")  # no character split between lines
    (event,) = events(raw.decode("utf-8"))
    assert str(event["DESCRIPTION"]) == title


def test_folding_keeps_short_lines_and_splits_long_ones_at_75_octets() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X" * 200)
    parts = folded.split("\r\n")
    assert [len(part) for part in parts] == [75, 75, 52]
    assert "".join(part.removeprefix(" ") for part in parts) == "X" * 200
    euro = fold("€" * 30)  # 3 octets each: 25 on the first line, 24 after the space
    assert [len(part.encode()) for part in euro.split("\r\n")] == [75, 16]


def test_escaping_follows_rfc_5545() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf\tg\x07h") == "a\\,b\\;c\\\\d\\ne\\nf\tg h"


def test_slots_without_a_start_are_left_out_of_the_calendar() -> None:
    slots = [
        ProgrammeEntry(1, "Story", "A", "a", None),
        ProgrammeEntry(1, "Story", "B", "b", datetime(2024, 1, 1, tzinfo=UTC), position=1),
    ]
    assert [str(event["SUMMARY"]) for event in events(ics_for(slots, now=MADE))] == ["B: b"]


def test_uids_are_stable_between_exports_and_differ_between_slots() -> None:
    first = ProgrammeEntry(1, "Story", "A", "a", datetime(2024, 1, 1, tzinfo=UTC))
    second = ProgrammeEntry(1, "Story", "A", "a", datetime(2024, 1, 2, tzinfo=UTC), position=1)
    other_story = ProgrammeEntry(2, "Story", "A", "a", datetime(2024, 1, 1, tzinfo=UTC))

    def uids(text: str) -> list[str]:
        return [str(event["UID"]) for event in events(text)]

    once = uids(ics_for([first, second, other_story], now=MADE))
    again = uids(ics_for([first, second, other_story], now=MADE + timedelta(days=3)))
    assert once == again
    assert len(set(once)) == 3
    assert slot_uid(first) == slot_uid(
        ProgrammeEntry(1, "Renamed", "A", "a", datetime(2024, 1, 1, 1, tzinfo=CET), position=4)
    )


def test_the_same_broadcast_twice_in_one_story_is_one_event() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    slots = [
        ProgrammeEntry(1, "Story", "A", "a", start),
        ProgrammeEntry(1, "Story", "A", "a", start, position=1),
    ]
    assert len(events(ics_for(slots, now=MADE))) == 1


def test_the_stamp_is_the_time_of_export_in_utc() -> None:
    slot = ProgrammeEntry(1, "Story", "A", "a", datetime(2024, 1, 1, tzinfo=UTC))
    text = ics_for([slot], now=datetime(2024, 6, 1, 12, 0, tzinfo=BERLIN))
    assert "DTSTAMP:20240601T100000Z\r\n" in text


def test_without_a_time_given_the_stamp_is_now() -> None:
    slot = ProgrammeEntry(1, "Story", "A", "a", datetime(2024, 1, 1, tzinfo=UTC))
    before = datetime.now(UTC).replace(microsecond=0)
    (event,) = events(ics_for([slot]))
    after = datetime.now(UTC)
    assert before <= event.decoded("DTSTAMP") <= after


# Exporting a file.


def summaries(path: Path) -> Sequence[str]:
    return [str(event["SUMMARY"]) for event in events(path.read_text(encoding="utf-8"))]


def test_export_writes_every_slot_with_crlf_line_ends(store: Store, tmp_path: Path) -> None:
    add_stories(
        store,
        story("a", "One", ProgrammeSlot("A", "a", datetime(2024, 1, 1, tzinfo=UTC))),
        story(
            "b",
            "Two",
            ProgrammeSlot("B", "b", datetime(2024, 1, 2, tzinfo=UTC)),
            ProgrammeSlot("C", "c", None),
        ),
    )
    path = tmp_path / "programme.ics"
    assert export_ics(store, path, now=MADE) == 2
    assert summaries(path) == ["A: a", "B: b"]
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")


def test_export_can_write_one_storys_slots(seeded_store: Store, tmp_path: Path) -> None:
    add_stories(
        seeded_store,
        story("x", "Other", ProgrammeSlot("Other", "o", datetime(2024, 1, 1, tzinfo=UTC))),
    )
    (bundled,) = [slot for slot in programme_slots(seeded_store) if slot.article_title == HEADLINE]
    path = tmp_path / "one.ics"
    assert export_ics(seeded_store, path, article_id=bundled.article_id) == 1
    assert summaries(path) == ["NDR 1 Niedersachsen: Regional Braunschweig"]


@pytest.mark.parametrize("title", ["", "x"])
def test_a_slot_without_a_programme_name_is_summarised_by_its_station(title: str) -> None:
    slot = ProgrammeEntry(1, "Story", "NDR 1", title, datetime(2024, 1, 1, tzinfo=UTC))
    expected = "NDR 1" if not title else "NDR 1: x"
    assert [str(event["SUMMARY"]) for event in events(ics_for([slot], now=MADE))] == [expected]


def test_dates_in_the_store_and_in_the_calendar_are_the_same_day(seeded_store: Store) -> None:
    (slot,) = programme_slots(seeded_store)
    (event,) = events(ics_for([slot], now=MADE))
    assert event.decoded("DTSTART").date() == date(2019, 3, 27)
