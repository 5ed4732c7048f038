from django.urls import URLPattern, URLResolver, path

from saferhub.assessment import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("versions/", api.VersionListApi.as_view(), name="assessment_versions"),
    path("versions/<int:pk>/", api.VersionDataApi.as_view(), name="assessment_version"),
    path(
        "versions/<int:pk>/figures/",
        api.VersionFiguresApi.as_view(),
        name="assessment_version_figures",
    ),
    path("run/", api.RunApi.as_view(), name="assessment_run"),
]
