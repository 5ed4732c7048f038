from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "saferhub.geography"
    label = "geography"

    def ready(self) -> None:
        from saferhub.core.stages import StageLink, stage_link

        stage_link(
            "assess",
            StageLink(
                "Areas and populations",
                "geography:areas",
                "geography.view_area",
                "CSP areas, local authorities, wards and LSOAs with population, year and source.",
            ),
        )
        stage_link(
            "assess",
            StageLink(
                "CSP areas and neighbourhoods",
                "geography:defined_areas",
                "geography.manage_areas",
                "Define a CSP area or neighbourhood from local authorities, wards or LSOAs.",
            ),
        )
