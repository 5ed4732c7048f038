from django.urls import URLPattern, URLResolver, path

from saferhub.geography import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.AreaListApi.as_view(), name="areas_list"),
    path("<str:code>/boundaries/", api.BoundariesApi.as_view(), name="area_boundaries"),
]
