"""The victim's risk assessment: a configurable questionnaire with a scored default.

The default follows the shape of the ASB risk assessment matrices partnerships use (yes/no
questions on the victim's circumstances and the impact of the behaviour, one point each,
vulnerability questions weighted higher); bands: 0-6 standard, 7-11 medium, 12+ high.
A partnership can register its own :class:`Questionnaire` with :func:`register`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    weight: int = 1


@dataclass(frozen=True)
class Questionnaire:
    key: str
    questions: tuple[Question, ...]
    # (lowest score, band) from the highest band down; the band is the first reached.
    bands: tuple[tuple[int, str], ...]

    def score(self, answers: dict[str, bool]) -> int:
        unknown = set(answers) - {q.key for q in self.questions}
        if unknown:
            raise ValueError(f"Unknown questions: {', '.join(sorted(unknown))}.")
        return sum(q.weight for q in self.questions if answers.get(q.key))

    def band(self, score: int) -> str:
        for lowest, band in self.bands:
            if score >= lowest:
                return band
        return self.bands[-1][1]


DEFAULT = Questionnaire(
    key="default",
    questions=(
        Question("repeat", "Has this happened to you before?", 2),
        Question("targeted", "Do you feel you are being targeted personally?", 2),
        Question("hate", "Do you think it is because of who you are (hate)?", 3),
        Question("afraid_home", "Do you feel afraid in your own home?", 2),
        Question("sleep_health", "Is it affecting your sleep, health or work?", 1),
        Question("children", "Are children in the household affected?", 1),
        Question("disability", "Do you have a disability or long-term illness?", 2),
        Question("mental_health", "Is it affecting your mental health?", 2),
        Question("alone", "Do you live alone or have no support nearby?", 1),
        Question("considered_moving", "Have you thought about moving because of it?", 1),
        Question("self_harm", "Have you thought about harming yourself?", 4),
    ),
    bands=((12, "high"), (7, "medium"), (0, "standard")),
)
QUESTIONNAIRES: dict[str, Questionnaire] = {DEFAULT.key: DEFAULT}


def register(questionnaire: Questionnaire) -> None:
    QUESTIONNAIRES[questionnaire.key] = questionnaire
