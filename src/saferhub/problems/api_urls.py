from django.urls import URLPattern, URLResolver, path

from saferhub.problems import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.RegisterApi.as_view(), name="problems-register"),
    path("new/", api.ProblemCreateApi.as_view(), name="problems-create"),
    path("<int:pk>/", api.ProblemDetailApi.as_view(), name="problems-detail"),
    path("tasking/<int:pk>/agenda/", api.AgendaApi.as_view(), name="problems-agenda"),
]
