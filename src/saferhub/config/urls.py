"""Top-level URLs. Each app owns its own ``urls.py``; the API lives under /api/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path, re_path

from saferhub.public import views as public_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("saferhub.core.urls")),
    path("accounts/", include("saferhub.accounts.urls")),
    path("areas/", include("saferhub.geography.urls")),
    path("data/", include("saferhub.incidents.urls")),
    path("assessment/", include("saferhub.assessment.urls")),
    path("performance/", include("saferhub.performance.urls")),
    path("actions/", include("saferhub.actions.urls")),
    path("problems/", include("saferhub.problems.urls")),
    path("cases/", include("saferhub.cases.urls")),
    path("governance/", include("saferhub.governance.urls")),
    path("api/", include("saferhub.api.urls")),
]

# The public site: /public/ in English, /cy/public/ in Welsh (and any community language
# with a catalogue). Only these URLs carry a language prefix.
urlpatterns += i18n_patterns(
    path("public/", include("saferhub.public.urls")), prefix_default_language=False
)
# A language prefix SaferHub does not hold: the English page, with a notice.
urlpatterns += [
    re_path(
        r"^(?P<prefix>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?)/public/(?P<rest>.*)$",
        public_views.unknown_language,
        name="public_unknown_language",
    )
]

handler400 = "saferhub.core.views.error_400"
handler403 = "saferhub.core.views.error_403"
handler404 = "saferhub.core.views.error_404"
handler500 = "saferhub.core.views.error_500"
