from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "saferhub.problems"
    label = "problems"
    verbose_name = "Problem-solving and tasking"

    def ready(self) -> None:
        from saferhub.core.stages import StageLink, stage_link

        view = "problems.view_problem"
        stage_link(
            "deliver",
            StageLink(
                "Problems",
                "problems:list",
                view,
                "The problem register, ranked; each problem's OSARA record and measurement.",
            ),
        )
        stage_link(
            "deliver",
            StageLink(
                "Tasking meetings",
                "problems:meetings",
                view,
                "Monthly tasking: agenda from the data, decisions, minutes.",
            ),
        )
