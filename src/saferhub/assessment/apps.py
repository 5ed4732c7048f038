from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "saferhub.assessment"
    label = "assessment"

    def ready(self) -> None:
        from saferhub.assessment import jobs  # noqa: F401 - registers the job kind
        from saferhub.core.stages import StageLink, stage_link

        stage_link(
            "assess",
            StageLink(
                "Strategic Assessment",
                "assessment:index",
                "assessment.view_assessment",
                "Read saved assessments, compare versions and download them as PDF or Excel.",
            ),
        )
        stage_link(
            "assess",
            StageLink(
                "Run an assessment",
                "assessment:run",
                "assessment.run_assessment",
                "Build the Strategic Assessment for an area and period from the imported data.",
            ),
        )
