"""The REST API: each app adds its endpoints in ``API_ROUTES`` in its own ``api.py``."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from saferhub.accounts import api_views as token_api
from saferhub.api import views

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path("docs/", views.api_docs, name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("jobs/<uuid:job_id>/", views.JobView.as_view(), name="job"),
    path("tokens/", token_api.ApiTokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/", token_api.ApiTokenDetailView.as_view(), name="token"),
]

# App endpoints are included below as apps land, each under its own prefix.
APP_API_MODULES: list[tuple[str, str]] = [
    ("areas/", "saferhub.geography.api_urls"),
    ("data/", "saferhub.incidents.api_urls"),
    ("assessment/", "saferhub.assessment.api_urls"),
    ("performance/", "saferhub.performance.api_urls"),
    ("actions/", "saferhub.actions.api_urls"),
    ("problems/", "saferhub.problems.api_urls"),
    ("cases/", "saferhub.cases.api_urls"),
    ("governance/", "saferhub.governance.api_urls"),
]
urlpatterns += [path(prefix, include(module)) for prefix, module in APP_API_MODULES]
