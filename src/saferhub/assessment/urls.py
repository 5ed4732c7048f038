from django.urls import URLPattern, URLResolver, path

from saferhub.assessment import views

app_name = "assessment"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.VersionListView.as_view(), name="index"),
    path("run/", views.RunView.as_view(), name="run"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("<int:pk>/", views.VersionView.as_view(), name="version"),
    path("<int:pk>/download/<str:fmt>/", views.DownloadView.as_view(), name="download"),
    path("<int:pk>/tables/<slug:key>/", views.TableView.as_view(), name="table"),
]
