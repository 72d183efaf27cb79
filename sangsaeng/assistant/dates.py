"""Korean relative dates and times resolved against a `now`: 작년 여름, 지난주, 어제, N월, 내일 오후 3시."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

SEASONS = {"봄": (3, 5), "여름": (6, 8), "가을": (9, 11), "겨울": (12, 2)}
WEEKDAYS = {"월요일": 0, "화요일": 1, "수요일": 2, "목요일": 3, "금요일": 4, "토요일": 5, "일요일": 6}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _season(year: int, name: str) -> tuple[date, date]:
    first, last = SEASONS[name]
    if name == "겨울":
        return date(year, 12, 1), _month_end(year + 1, 2)
    return date(year, first, 1), _month_end(year, last)


DATE_PATTERN = re.compile(
    r"(재작년|작년|올해|지난해|금년)?\s*(봄|여름|가을|겨울)"
    r"|(재작년|작년|올해|지난해)?\s*(\d{1,2})\s*월\s*(?:(\d{1,2})\s*일)?"
    r"|(지난\s*주|저번\s*주|이번\s*주|지난\s*달|저번\s*달|이번\s*달|재작년|작년|지난해|올해|그저께|그제|어제|오늘|최근\s*(\d{1,3})\s*일)"
)


def date_range(text: str, now: datetime) -> tuple[date | None, date | None, str]:
    """The first date phrase in `text` as (from, to) and the text with that phrase removed."""
    today = now.date()
    match = DATE_PATTERN.search(text)
    if match is None:
        return None, None, text
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    year_word, season, year_word2, month, day, word, recent = match.groups()
    years_back = {"재작년": 2, "작년": 1, "지난해": 1, "올해": 0, "금년": 0, None: 0}
    if season:
        year = today.year - years_back[year_word]
        start, end = _season(year, season)
        if year_word is None and start > today:  # 여름 said in spring means last summer
            start, end = _season(year - 1, season)
        return start, end, rest
    if month:
        m = int(month)
        if not 1 <= m <= 12:
            return None, None, text
        year = today.year - years_back[year_word2]
        if year_word2 is None and date(year, m, 1) > today:
            year -= 1
        if day:
            d = min(int(day), calendar.monthrange(year, m)[1])
            return date(year, m, d), date(year, m, d), rest
        return date(year, m, 1), _month_end(year, m), rest
    word = re.sub(r"\s+", "", word)
    monday = today - timedelta(days=today.weekday())
    if word in ("지난주", "저번주"):
        return monday - timedelta(days=7), monday - timedelta(days=1), rest
    if word == "이번주":
        return monday, today, rest
    if word in ("지난달", "저번달"):
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last, rest
    if word == "이번달":
        return today.replace(day=1), today, rest
    if word in ("작년", "지난해", "재작년"):
        year = today.year - years_back[word]
        return date(year, 1, 1), date(year, 12, 31), rest
    if word == "올해":
        return date(today.year, 1, 1), today, rest
    if word in ("그저께", "그제"):
        return today - timedelta(days=2), today - timedelta(days=2), rest
    if word == "어제":
        return today - timedelta(days=1), today - timedelta(days=1), rest
    if word == "오늘":
        return today, today, rest
    return today - timedelta(days=int(recent) - 1), today, rest


TIME_PATTERN = re.compile(
    r"(\d{1,3})\s*(분|시간)\s*(?:후|뒤)(?:에)?"
    r"|(?:(오늘|내일|모레|다음\s*주\s*[월화수목금토일]요일|[월화수목금토일]요일)\s*)?"
    r"(?:(오전|오후|아침|저녁|밤|낮)\s*)?"
    r"(?:(\d{1,2})\s*시\s*(?:(반)|(\d{1,2})\s*분)?)"
    r"|(내일|모레)"
)


def moment(text: str, now: datetime) -> tuple[datetime | None, str]:
    """The first point in time in `text` (내일 오후 3시, 30분 후) and the text with it removed."""
    match = TIME_PATTERN.search(text)
    if match is None:
        return None, text
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    amount, unit, day_word, half, hour, half_hour, minute, day_only = match.groups()
    if amount:
        delta = timedelta(minutes=int(amount)) if unit == "분" else timedelta(hours=int(amount))
        return (now + delta).replace(second=0, microsecond=0), rest
    day = now.date()
    word = re.sub(r"\s+", "", day_word or day_only or "")
    if word == "내일":
        day += timedelta(days=1)
    elif word == "모레":
        day += timedelta(days=2)
    elif word.endswith("요일"):
        target = WEEKDAYS[word[-3:]]
        ahead = (target - day.weekday()) % 7
        if word.startswith("다음"):
            ahead = ahead + 7 if ahead else 7
        day += timedelta(days=ahead or 7)
    if day_only:
        return datetime.combine(day, time(9, 0), tzinfo=now.tzinfo), rest
    h = int(hour)
    m = 30 if half_hour else int(minute or 0)
    if h > 24 or m > 59:
        return None, text
    if (half in ("오후", "저녁", "밤") and h < 12) or (half is None and word and 1 <= h <= 7):
        h += 12
    if half is None and not word and h <= 12:
        # 8시 alone: the next 8 o'clock, morning or evening, that is still ahead
        options = [
            datetime.combine(now.date() + timedelta(days=d), time(x % 24, m), tzinfo=now.tzinfo)
            for d in (0, 1)
            for x in (h % 12, h % 12 + 12)
        ]
        return min(o for o in options if o > now), rest
    at = datetime.combine(day, time(h % 24, m), tzinfo=now.tzinfo)
    if not word and at <= now:
        at += timedelta(days=1)
    return at, rest
