from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "saferhub.public"
    label = "public"
    verbose_name = "Public site"

    def ready(self) -> None:
        from saferhub.public.registry import PublicSection, public_section

        # Sections filled by apps that come later; "not yet published" until they do.
        public_section(
            PublicSection(
                "asb-case-review",
                _("ASB Case Review"),
                _(
                    "If you have reported anti-social behaviour three times in six months "
                    "and feel nothing has been done, you can ask for a case review."
                ),
                order=40,
                placeholder=True,
            )
        )
        public_section(
            PublicSection(
                "end-of-year",
                _("End-of-year summary"),
                _("What the partnership did in the last year and what changed."),
                order=50,
                placeholder=True,
            )
        )
        # Cached pages go stale after every import (and when a model a section reads
        # changes: ``public_section`` connects its ``depends_on``).
        from saferhub.incidents.hooks import after_import
        from saferhub.public import cache

        after_import(cache.invalidate)
