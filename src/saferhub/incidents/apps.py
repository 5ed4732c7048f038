from typing import Any

from django.apps import AppConfig


def ensure_default_taxonomy(**kwargs: Any) -> None:
    """Reference data survives a flush: load the default themes and police.uk crime types
    again if they are missing (get-or-create, so an edited taxonomy is left as it is)."""
    import importlib

    from django.apps import apps

    importlib.import_module("saferhub.incidents.migrations.0002_default_taxonomy").load(apps, None)


class IncidentsConfig(AppConfig):
    name = "saferhub.incidents"
    label = "incidents"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_default_taxonomy, sender=self, dispatch_uid="saferhub-taxonomy")
        from saferhub.core.stages import StageLink, stage_link
        from saferhub.geography.hooks import on_csp_change
        from saferhub.incidents import jobs  # registers the job kinds
        from saferhub.incidents.hooks import after_import, planner_statistics_refresh

        # First of the after-import steps: those after it query the new rows.
        after_import(planner_statistics_refresh)

        # A CSP area defined, changed or removed: its incidents are placed again.
        on_csp_change(jobs.csp_replace_start)

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
        from saferhub.incidents import upload_setup

        upload_setup.register()

        from saferhub.incidents import public

        public.register()

        from saferhub.incidents import home

        home.register()
