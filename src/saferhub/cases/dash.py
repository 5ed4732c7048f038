"""The DASH risk identification checklist and the MARAC referral rule, as pure Python.

* 24 questions, ``q1`` to ``q24``, in the order of the SafeLives checklist. The headings
  here are short ones of our own (the checklist's wording is SafeLives'; partnerships use
  their licensed form beside SaferHub, and the answers are keyed by number).
* Each answer is ``yes``, ``no`` or ``not known``; the score is the number of ``yes``.
* Risk bands are configurable (:class:`Bands`); the default is 14 or more **high**
  ("visible high risk"), 10 to 13 **medium**, otherwise **standard**.
* A MARAC referral is indicated, first that applies: ``visible high risk`` (the high band),
  ``escalation`` (the police recorded at least ``escalation_incidents`` incidents in the
  12 months before; 3 unless configured), ``professional judgement`` (the assessor's
  judgement, with a written reason).
* A referral is a **repeat** when the same victim and perpetrator were referred within the
  12 calendar months before, inclusive: a referral exactly 12 months after an earlier one is
  a repeat; one a day later is not (a month from the 29th of February, or the 31st, lands on
  the last day of the shorter month, as in :func:`saferhub.cases.threshold.add_months`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from saferhub.cases.threshold import add_months

YES, NO, NOT_KNOWN = "yes", "no", "not known"
ANSWERS = (YES, NO, NOT_KNOWN)

# Short headings of our own, in checklist order (q1 .. q24).
HEADINGS: tuple[str, ...] = (
    "Injured now",
    "Very frightened",
    "Fears further harm",
    "Cut off from family or friends",
    "Low mood or thoughts of suicide",
    "Separation, recent or planned",
    "Conflict over child contact",
    "Stalking or harassment",
    "Pregnant or recently gave birth",
    "Abuse getting worse",
    "Abuse happening more often",
    "Strangling, choking, suffocating or drowning",
    "Jealous or controlling behaviour",
    "Weapon or object used to hurt",
    "Threats to kill",
    "Sexual abuse",
    "Someone else threatening the victim",
    "Perpetrator has hurt others",
    "Cruelty to animals or pets",
    "Perpetrator's money problems",
    "Perpetrator's drug, alcohol or mental health problems",
    "Perpetrator has threatened or attempted suicide",
    "Bail, an order or an agreement broken",
    "Perpetrator's criminal history",
)
QUESTIONS: tuple[str, ...] = tuple(f"q{n}" for n in range(1, len(HEADINGS) + 1))
HEADING = dict(zip(QUESTIONS, HEADINGS, strict=True))

STANDARD, MEDIUM, HIGH = "standard", "medium", "high"
VISIBLE_HIGH_RISK, ESCALATION, PROFESSIONAL_JUDGEMENT = (
    "visible high risk",
    "escalation",
    "professional judgement",
)
REASONS = (VISIBLE_HIGH_RISK, ESCALATION, PROFESSIONAL_JUDGEMENT)


class DashError(ValueError):
    """Answers or settings that cannot be scored, with the reason."""


@dataclass(frozen=True)
class Bands:
    """The lowest score of the high and medium bands, and the escalation threshold."""

    high: int = 14
    medium: int = 10
    escalation_incidents: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.medium < self.high <= len(QUESTIONS):
            raise DashError(
                f"The DASH bands must satisfy 0 < medium < high <= {len(QUESTIONS)} "
                f"(medium {self.medium}, high {self.high})."
            )
        if self.escalation_incidents < 1:
            raise DashError("The escalation threshold must be at least one police incident.")

    @classmethod
    def parse(cls, text: str, escalation_incidents: int = 3) -> Bands:
        """``"high=14,medium=10"`` (the setting's form) -> :class:`Bands`."""
        values: dict[str, int] = {}
        for part in (text or "").split(","):
            if not part.strip():
                continue
            key, _, number = part.partition("=")
            key = key.strip()
            if key not in {"high", "medium"} or not number.strip().isdigit():
                raise DashError(f"DASH bands: “{part.strip()}” is not high=N or medium=N.")
            values[key] = int(number)
        return cls(**values, escalation_incidents=escalation_incidents)

    def level(self, score: int) -> str:
        if score >= self.high:
            return HIGH
        if score >= self.medium:
            return MEDIUM
        return STANDARD


def check_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Every question answered ``yes``, ``no`` or ``not known``; raises naming the first
    question that is not."""
    out = {}
    for key in QUESTIONS:
        value = (answers.get(key) or "").strip().lower()
        if not value:
            raise DashError(f"{key} ({HEADING[key]}) has no answer: answer yes, no or not known.")
        if value not in ANSWERS:
            raise DashError(
                f"{key} ({HEADING[key]}): “{answers[key]}” is not yes, no or not known."
            )
        out[key] = value
    unknown = sorted(set(answers) - set(QUESTIONS))
    if unknown:
        raise DashError(f"There is no DASH question {', '.join(unknown)}.")
    return out


def score(answers: Mapping[str, str]) -> int:
    """The number of ``yes`` answers."""
    return sum(1 for key in QUESTIONS if answers.get(key) == YES)


@dataclass(frozen=True)
class Result:
    score: int
    risk_level: str
    referral_reason: str  # "" when no referral is indicated

    @property
    def marac_referral(self) -> bool:
        return bool(self.referral_reason)


def assess(
    answers: Mapping[str, str],
    *,
    police_incidents_12m: int | None,
    professional_judgement: bool,
    bands: Bands | None = None,
) -> Result:
    """Score, band and the first referral reason that applies (in the order of REASONS)."""
    bands = bands or Bands()
    total = score(answers)
    level = bands.level(total)
    if level == HIGH:
        reason = VISIBLE_HIGH_RISK
    elif (police_incidents_12m or 0) >= bands.escalation_incidents:
        reason = ESCALATION
    elif professional_judgement:
        reason = PROFESSIONAL_JUDGEMENT
    else:
        reason = ""
    return Result(total, level, reason)


def is_repeat(referral_date: dt.date, earlier: Iterable[dt.date]) -> bool:
    """True when any earlier referral (of the same victim and perpetrator) was made on or
    before ``referral_date`` and no more than 12 calendar months before it."""
    return any(p <= referral_date <= add_months(p, 12) for p in earlier)
