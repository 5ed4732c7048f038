from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "saferhub.problems"
    label = "problems"
    verbose_name = "Problem-solving and tasking"

    def ready(self) -> None:
        from saferhub.core.row_links import RowLink, row_link
        from saferhub.core.stages import StageLink, stage_link
        from saferhub.incidents.hooks import after_import
        from saferhub.problems import home
        from saferhub.problems.links import (
            area_params,
            emerging_params,
            hotspot_params,
            repeat_params,
        )
        from saferhub.problems.services import ranking_counts_refresh

        after_import(ranking_counts_refresh)
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
        create = "problems.edit_own_problem"
        for suffix, params in (
            ("_hotspots", hotspot_params),
            ("_repeat_locations", repeat_params),
            ("_wards", emerging_params),
        ):
            row_link(RowLink(suffix, "Create a problem", "problems:create", create, params))
        row_link(
            RowLink("area_page", "Create a problem here", "problems:create", create, area_params)
        )
        home.register()
