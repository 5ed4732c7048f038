from django.urls import URLPattern, URLResolver, path

from saferhub.geography import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.AreaListApi.as_view(), name="areas_list"),
    path("defined/", api.DefinedAreasApi.as_view(), name="areas_defined"),
    path(
        "defined/<str:level>/<str:code>/remove/",
        api.DefinedAreaRemoveApi.as_view(),
        name="area_defined_remove",
    ),
    path("<str:code>/boundaries/", api.BoundariesApi.as_view(), name="area_boundaries"),
]
