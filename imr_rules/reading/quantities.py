"""Numbers and spans of time in words or figures: "twelve", "two (2)", "half a year", "since the spring"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from imr_rules.reading.text import parse_date

NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"once": 1, "twice": 2, "single": 1, "a": 1}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS |= _TENS
_IN_PARENS = re.compile(r"\((\d+)\)")


def number(text: str) -> int | None:
    """A whole number written in digits or words: "12", "twelve", "twice", "twenty-four", "two (2)" (the
    figure in parentheses wins), "a" (1), "two dozen" (24), "half a dozen" (6); None when the text is not a
    number."""
    text = text.strip().lower()
    figure = _IN_PARENS.search(text)
    if figure:
        return int(figure.group(1))
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = re.split(r"[-\s]+", text)
    if parts[-1] == "dozen":  # "a dozen" 12, "two dozen" 24, "half a dozen" 6
        many = number(" ".join(parts[1:-1]) if parts[0] == "half" else " ".join(parts[:-1]))
        if many is not None:
            return many * 12 // (2 if parts[0] == "half" else 1)
    if len(parts) == 2 and parts[0] in _TENS and 0 < NUMBER_WORDS.get(parts[1], 0) < 10:
        return _TENS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_DURATION = re.compile(
    r"^(?:(?P<half_of>half (?:an?|of an?) )|(?P<n>.+?)\s+(?:and a half\s+)?)?(?P<unit>day|week|month|year)s?"
    r"(?P<and_half> and a half)?$"
)


@dataclass(frozen=True)
class Timeline:
    """The case's dates a span stated by its start is measured with: it ends at the request (the UR
    decision when the request's own date is unknown); "since the injury" starts at the injury."""

    request: dt.date
    injury: dt.date | None = None


_LEAD = re.compile(
    r"^(?:(?:for|over|during|in) )?(?:the (?:past|last|previous) )?(?:(?:more|longer|greater) than |over |at least |"
    r"in excess of )?(?:about |approximately |roughly |around |some )?"
)
_MONTH_RANGE = re.compile(
    r"^from (?:(?:early|late|mid-?) ?)?(?P<first>[a-z]+)(?:,? (?:of )?(?P<y1>\d{4}))? (?:through|thru|to|until|till|-) "
    r"(?:(?:early|late|mid-?) ?)?(?P<last>[a-z]+)(?:,? (?:of )?(?P<y2>\d{4}))?$"
)


def _month_range(text: str) -> int | None:
    """Whole months a range of named months covers, both ends counted ("from July through September": 3;
    "from November 2015 to February 2016": 4); None when the words are not one."""
    m = _MONTH_RANGE.match(text)
    if not m or m.group("first") not in MONTHS or m.group("last") not in MONTHS:
        return None
    first, last = MONTHS[m.group("first")], MONTHS[m.group("last")]
    years = (int(m.group("y2")) - int(m.group("y1"))) if m.group("y1") and m.group("y2") else None
    months = last - first + 1 + (12 * years if years is not None else (12 if last < first else 0))
    return months if 0 < months <= 120 else None


MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_SINCE_INJURY = re.compile(r"^since (?:the |his |her |their )?(?:date of (?:the )?)?(?:\w+ )?(?:injury|accident)$")
_SINCE = re.compile(
    r"^since (?:(?:the|early|late|mid-?) )*(?:(?P<season>spring|summer|fall|autumn|winter)|(?P<month>[a-z]+))?"
    r"(?:,? ?(?:of )?(?P<year>(?:19|20)\d\d))?$"
)


def since(text: str, timeline: Timeline) -> float | None:
    """Days from a start the letter names ("since the spring", "since March 2016", "since 2015", "since
    10/12/2016", "since the injury") to the request, taking the latest day the words allow (the span is then
    a lower bound); None when the words name no start before the request."""
    text = " ".join(text.lower().split())
    reference = timeline.request
    start: dt.date | None
    numeric = re.fullmatch(r"since (\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    if numeric:
        start = parse_date("/".join(numeric.groups()))
    elif _SINCE_INJURY.match(text):
        start = timeline.injury
    else:
        m = _SINCE.match(text)
        if not m or not (m.group("season") or m.group("month") or m.group("year")):
            return None
        year = int(m.group("year")) if m.group("year") else None
        month = SEASONS.get(m.group("season") or "") or MONTHS.get(m.group("month") or "")
        if m.group("month") and month is None:
            return None
        if month is None:  # a year alone: its last day
            start = dt.date(year, 12, 31) if year else None
        else:
            if year is None:
                year = reference.year if month <= reference.month else reference.year - 1
            last = calendar.monthrange(year, month)[1]
            start = dt.date(year, month, last) if not m.group("season") else dt.date(year, month, 1)
    if start is None or start >= reference:
        return None
    return float((reference - start).days)


def duration(text: str, unit: str, timeline: Timeline | None = None) -> float | None:
    """A span of time in words or figures ("nine months", "half a year", "a year and a half", "18 months",
    "two (2) years", "for the past six weeks") in `unit` (days, weeks, months, years), rounded to 0.1; with
    the case's timeline, a start too ("since the spring", "since March 2016", "since the injury"); None if
    it is not one."""
    text = re.sub(r"-(?=(?:day|week|month|year)s?\b)", " ", " ".join(text.strip().lower().split()))  # "one-month"
    if text.startswith("from "):
        months = _month_range(text)
        return None if months is None else round(months * DAYS_PER["month"] / DAYS_PER[unit.rstrip("s")], 1)
    if text.startswith("since "):
        days = since(text, timeline) if timeline is not None else None
        return None if days is None else round(days / DAYS_PER[unit.rstrip("s")], 1)
    m = _DURATION.match(_LEAD.sub("", text))
    if not m:
        return None
    if m.group("half_of"):
        count = 0.5
    else:
        raw = m.group("n") or "a"
        whole = number(raw)
        if whole is None:
            return None
        count = whole + (0.5 if m.group("and_half") or " and a half " in m.group(0) else 0.0)
    days = count * DAYS_PER[m.group("unit")]
    return round(days / DAYS_PER[unit.rstrip("s")], 1)


_LISTED_MONTH = re.compile(r"\b(" + "|".join(m for m in MONTHS) + r")\b(?:,? (?:of )?((?:19|20)\d\d))?", re.IGNORECASE)


def months_listed(text: str, timeline: Timeline | None) -> int | None:
    """How many of the named months a list gives ("February, May, August and November 2016": 4) fall in the
    twelve months before the request; a month without its own year takes the next year the list names, else
    the latest such month before the request. None without a timeline, a month, or one in those twelve months
    (tests listed only before them say nothing of the year's others)."""
    found = list(_LISTED_MONTH.finditer(text))
    if timeline is None or not found:
        return None
    request, count, seen = timeline.request, 0, set()
    for k, m in enumerate(found):
        month = MONTHS[m.group(1).lower()]
        year_text = m.group(2) or next((n.group(2) for n in found[k + 1 :] if n.group(2)), None)
        latest = request.year if month < request.month else request.year - 1  # no year: the latest before the request
        year = int(year_text) if year_text is not None else latest
        first = dt.date(year, month, 1)
        if (year, month) in seen:
            continue
        seen.add((year, month))
        if first < request and (request - first).days <= 366:
            count += 1
    return count or None
