from django.urls import URLPattern, URLResolver, path

from saferhub.incidents import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/", api.ImportListApi.as_view(), name="data_imports"),
    path("monthly-counts/", api.MonthlyCountsApi.as_view(), name="data_monthly_counts"),
]
