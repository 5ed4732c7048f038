"""The 2014 Act's ladder of interventions and their legal limits (ASB, Crime and Policing Act
2014). Each check returns the problems as {field: message}; empty means within the law.

* community protection warning and notice: the person must be 16 or over (s.43(1));
* civil injunction: 10 or over (s.1(1)); for under-18s at most 12 months (s.1(6));
* criminal behaviour order: only on conviction (s.22(1));
* dispersal direction: at most 48 hours (s.35(2));
* public spaces protection order: at most 3 years (s.60(1));
* closure notice: at most 48 hours (s.77); closure order: at most 3 months (s.80(5)),
  extended to 6 months at most in all (s.82(7)).
"""

from __future__ import annotations

import datetime as dt

from saferhub.cases.threshold import add_months

MIN_AGE = {"cpw": 16, "cpn": 16, "injunction": 10}
MAX_HOURS = {"dispersal": 48, "closure_notice": 48}


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_problems(kind: str, born: dt.date | None, served_on: dt.date) -> dict[str, str]:
    if kind not in MIN_AGE:
        return {}
    if born is None:
        return {"party": "This intervention has an age limit: record the person's date of birth."}
    if age_on(born, served_on) < MIN_AGE[kind]:
        return {"party": f"This intervention is only for people aged {MIN_AGE[kind]} or over."}
    return {}


def _months_limit(kind: str, born: dt.date | None, served_on: dt.date) -> tuple[int, str] | None:
    if kind == "injunction" and born is not None and age_on(born, served_on) < 18:
        return 12, "An injunction for someone under 18 lasts at most 12 months."
    if kind == "pspo":
        return 36, "A public spaces protection order lasts at most 3 years."
    if kind == "closure_order":
        return 6, "A closure order lasts at most 3 months, and 6 months with extensions."
    return None


def check_intervention(
    *,
    kind: str,
    born: dt.date | None,
    served_on: dt.date,
    starts_at: dt.datetime | None,
    expires_at: dt.datetime | None,
    after_conviction: bool,
) -> dict[str, str]:
    problems = _age_problems(kind, born, served_on)
    if kind == "cbo" and not after_conviction:
        problems["after_conviction"] = "A criminal behaviour order is made only on conviction."
    if expires_at and starts_at and expires_at <= starts_at:
        problems["expires_at"] = "The expiry must come after the start."
        return problems
    start = starts_at or dt.datetime.combine(
        served_on, dt.time(0), tzinfo=expires_at.tzinfo if expires_at else None
    )
    if kind in MAX_HOURS:
        if expires_at is None:
            problems["expires_at"] = f"Give the expiry: this lasts at most {MAX_HOURS[kind]} hours."
        elif expires_at - start > dt.timedelta(hours=MAX_HOURS[kind]):
            problems["expires_at"] = f"This lasts at most {MAX_HOURS[kind]} hours."
    limit = _months_limit(kind, born, served_on)
    if limit and expires_at and expires_at.date() > add_months(start.date(), limit[0]):
        problems["expires_at"] = limit[1]
    return problems
