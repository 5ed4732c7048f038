from django.urls import URLPattern, URLResolver, path

from saferhub.governance import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("years/", api.YearListApi.as_view(), name="governance-years"),
    path("years/<int:pk>/", api.YearDetailApi.as_view(), name="governance-year"),
    path("lines/<int:pk>/spend/", api.QuarterSpendApi.as_view(), name="governance-spend"),
    path("risks/", api.RiskListApi.as_view(), name="governance-risks"),
    path("risks/<int:pk>/review/", api.RiskReviewApi.as_view(), name="governance-risk-review"),
    path("projects/", api.ProjectListApi.as_view(), name="governance-projects"),
    path("end-of-year/", api.EndOfYearApi.as_view(), name="governance-end-of-year"),
]
