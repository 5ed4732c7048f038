from django.urls import URLPattern, URLResolver, path

from saferhub.geography import views

app_name = "geography"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.AreaListView.as_view(), name="areas"),
    path("<str:level>/<str:code>/", views.AreaDetailView.as_view(), name="area"),
]
