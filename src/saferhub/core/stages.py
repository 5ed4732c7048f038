"""The navigation by stage of the partnership's year. Apps add their pages here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StageLink:
    title: str
    url_name: str
    permission: str
    description: str = ""


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    url_name: str
    summary: str
    links: list[StageLink] = field(default_factory=list)


STAGES: list[Stage] = [
    Stage(
        "assess",
        "Assess",
        "core:assess",
        "Import partner data, analyse it and produce the Strategic Assessment.",
    ),
    Stage(
        "plan",
        "Plan",
        "core:plan",
        "Priorities, objectives, indicators with baselines and targets, action plans.",
    ),
    Stage("deliver", "Deliver", "core:deliver", "Tasking, problem-solving and case work."),
    Stage(
        "monitor",
        "Monitor",
        "core:monitor",
        "Performance against targets, action progress and Board reports.",
    ),
]


def stage_link(stage_key: str, link: StageLink) -> None:
    """Add a page to a stage's navigation (called from an app's ``ready()``)."""
    stage = next(s for s in STAGES if s.key == stage_key)
    if all(existing.url_name != link.url_name for existing in stage.links):
        stage.links.append(link)


# Which stage's tab is current for each app's pages (by URL namespace).
NAMESPACE_STAGE: dict[str, str] = {
    "geography": "assess",
    "incidents": "assess",
    "assessment": "assess",
    "performance": "plan",
    "actions": "deliver",
    "problems": "deliver",
    "cases": "deliver",
    "governance": "monitor",
}
