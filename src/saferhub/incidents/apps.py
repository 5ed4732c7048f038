from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "saferhub.incidents"
    label = "incidents"

    def ready(self) -> None:
        from saferhub.core.stages import StageLink, stage_link
        from saferhub.incidents import jobs  # noqa: F401  (registers the job kinds)

        stage_link(
            "assess",
            StageLink(
                "Data imports",
                "incidents:home",
                "incidents.view_incident_counts",
                "Files imported from police.uk and partners, with refused rows to download.",
            ),
        )
        stage_link(
            "assess",
            StageLink(
                "Crime types and themes",
                "incidents:taxonomy",
                "incidents.view_incident_counts",
                "Which police.uk crime types and partner categories count towards each theme.",
            ),
        )
