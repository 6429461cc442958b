#!/usr/bin/env python3
"""Parses iCalendar files written by `clientscope-cli visits-ics` with the independent
`icalendar` package (PyPI) and checks what a phone's calendar relies on. Not part of the
Rust test suite; run by hand:

    python3 -m venv /tmp/ics && /tmp/ics/bin/pip install icalendar
    /tmp/ics/bin/python scripts/check_ics.py FILE.ics [FILE.ics ...]

Checks per file: it parses; VERSION 2.0 and a PRODID; one VTIMEZONE per TZID used; every
VEVENT has a UID, a DTSTAMP in UTC, a SEQUENCE, a SUMMARY, and a DTSTART/DTEND that are
either zone-aware (never floating) with end after start, or all-day dates; UIDs unique.
Prints one line per file and exits 1 on the first failure."""
import datetime
import sys

import icalendar


def check(path):
    with open(path, "rb") as f:
        raw = f.read()
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0", "VERSION"
    assert str(cal.get("PRODID", "")), "PRODID"
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    uids = set()
    events = cal.walk("VEVENT")
    for ev in events:
        uid = str(ev["UID"])
        assert uid not in uids, f"duplicate UID {uid}"
        uids.add(uid)
        stamp = ev["DTSTAMP"].dt
        assert stamp.tzinfo is not None and stamp.utcoffset() == datetime.timedelta(0), f"{uid}: DTSTAMP not UTC"
        assert int(ev["SEQUENCE"]) >= 0
        assert str(ev["SUMMARY"]), f"{uid}: SUMMARY"
        start, end = ev["DTSTART"], ev["DTEND"]
        if isinstance(start.dt, datetime.datetime):
            assert start.dt.tzinfo is not None and end.dt.tzinfo is not None, f"{uid}: floating time"
            assert start.params["TZID"] in zones, f"{uid}: TZID without VTIMEZONE"
            assert start.dt.utcoffset() == datetime.timedelta(hours=8) or start.params["TZID"] != "Asia/Shanghai"
            assert end.dt > start.dt, f"{uid}: end before start"
        else:
            assert end.dt > start.dt, f"{uid}: all-day end"
    first = events[0] if events else None
    sample = f"; first: {first['DTSTART'].dt.isoformat()} {str(first['SUMMARY'])[:20]}" if first else ""
    print(f"{path}: ok, {len(events)} events, zones {sorted(zones)}{sample}")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        try:
            check(p)
        except Exception as e:  # noqa: BLE001 - report any failure with the file
            print(f"{p}: FAILED: {e!r}")
            sys.exit(1)
