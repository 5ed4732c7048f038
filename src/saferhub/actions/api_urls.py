from django.urls import URLPattern, URLResolver, path

from saferhub.actions import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/", api.PlanListApi.as_view(), name="actions-plans"),
    path("plans/<int:pk>/year-end/", api.YearEndApi.as_view(), name="actions-year-end"),
    path("actions/", api.ActionListApi.as_view(), name="actions-list"),
    path("actions/<int:pk>/", api.ActionDetailApi.as_view(), name="actions-detail"),
    path("actions/<int:pk>/updates/", api.ActionUpdateApi.as_view(), name="actions-update"),
    path("actions/<int:pk>/complete/", api.ActionCompleteApi.as_view(), name="actions-complete"),
]
