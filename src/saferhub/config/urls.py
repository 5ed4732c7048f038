"""Top-level URLs. Each app owns its own ``urls.py``; the API lives under /api/."""

from django.urls import include, path

urlpatterns = [
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

handler400 = "saferhub.core.views.error_400"
handler403 = "saferhub.core.views.error_403"
handler404 = "saferhub.core.views.error_404"
handler500 = "saferhub.core.views.error_500"
