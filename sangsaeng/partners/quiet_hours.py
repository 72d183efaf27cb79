"""Night-time advertising rules of 정보통신망법 §50 ③: an advertising message sent between 21:00 and
08:00 Korean time needs the recipient's separate consent, on top of the marketing consent.

The window is fixed in Asia/Seoul whatever the server's TIME_ZONE; all times stored stay UTC.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
NIGHT_STARTS = time(21, 0)
NIGHT_ENDS = time(8, 0)
AD_PREFIX = "(광고)"


def is_night(moment: datetime) -> bool:
    """True from 21:00:00 up to (not including) 08:00:00 KST."""
    local = moment.astimezone(KST).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def night_ends_after(moment: datetime) -> datetime:
    """The next 08:00 KST at or after `moment` (as an aware datetime in KST)."""
    local = moment.astimezone(KST)
    ends = local.replace(hour=NIGHT_ENDS.hour, minute=0, second=0, microsecond=0)
    if ends < local:
        ends += timedelta(days=1)
    return ends


def advertising_text(*, channel_name: str, text: str) -> str:
    """§50 ④ and its decree: an advertisement starts with "(광고)" and names the sender."""
    return f"{AD_PREFIX} {channel_name}\n{text}"
