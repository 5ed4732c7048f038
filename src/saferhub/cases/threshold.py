"""The ASB Case Review threshold (ASB, Crime and Policing Act 2014 s.104), as pure Python.

* A complaint **qualifies** for an application received on day R when it was reported no
  later than one calendar month after the behaviour (reported <= behaviour + 1 month) and
  no earlier than six calendar months before R (reported >= R - 6 months), both inclusive,
  and not after R. A calendar month from the 31st lands on the last day of a shorter
  month (31 January + 1 month = 28 or 29 February; 31 August - 6 months = 28 or 29
  February).
* Complaints of the same victim with the same date of behaviour and the same location
  count **once**, whichever agencies they were made to.
* The threshold is **met** when the qualifying count is at least N, where N is the local
  threshold, 1 to 3 (s.104(4): never above 3).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MAX_THRESHOLD = 3


class ThresholdError(ValueError):
    pass


def check_threshold(n: int) -> int:
    if not 1 <= n <= MAX_THRESHOLD:
        raise ThresholdError(
            f"The threshold must be 1, 2 or 3 complaints, not {n}: the Act does not allow "
            "a local threshold above 3 (ASB, Crime and Policing Act 2014 s.104(4))."
        )
    return n


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class ComplaintFacts:
    victim_ref: str
    behaviour_date: dt.date
    reported_date: dt.date
    location_ref: str
    agency_code: str = ""


def qualifies(complaint: ComplaintFacts, received: dt.date) -> bool:
    return (
        complaint.reported_date <= add_months(complaint.behaviour_date, 1)
        and add_months(received, -6) <= complaint.reported_date <= received
    )


def qualifying_count(complaints: Iterable[ComplaintFacts], received: dt.date) -> int:
    """Distinct (victim, behaviour date, location) among the qualifying complaints."""
    return len(
        {
            (c.victim_ref, c.behaviour_date, c.location_ref)
            for c in complaints
            if qualifies(c, received)
        }
    )


def threshold_met(count: int, n: int) -> bool:
    return count >= check_threshold(n)
