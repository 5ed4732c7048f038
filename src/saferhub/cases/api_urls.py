from django.urls import URLPattern, path

from saferhub.cases import api

urlpatterns: list[URLPattern] = [
    path("", api.CaseListApi.as_view(), name="cases-list"),
    path("<int:pk>/", api.CaseDetailApi.as_view(), name="cases-detail"),
    path(
        "case-reviews/figures/",
        api.CaseReviewFiguresApi.as_view(),
        name="cases-case-review-figures",
    ),
]
