from django.urls import URLPattern, URLResolver, path

from saferhub.geography import views

app_name = "geography"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.AreaListView.as_view(), name="areas"),
    # CSP areas and neighbourhoods defined by their members (before "<level>/<code>/").
    path("defined/", views.DefinedAreasView.as_view(), name="defined_areas"),
    path("defined/new/", views.AreaDefineView.as_view(), name="area_new"),
    path(
        "defined/<str:level>/<str:code>/change/",
        views.AreaDefineView.as_view(),
        name="area_change",
    ),
    path(
        "defined/<str:level>/<str:code>/remove/",
        views.AreaRemoveView.as_view(),
        name="area_remove",
    ),
    path("<str:level>/<str:code>/", views.AreaDetailView.as_view(), name="area"),
]
