from django.urls import URLPattern, path

from saferhub.cases import api, marac_api

urlpatterns: list[URLPattern] = [
    path("", api.CaseListApi.as_view(), name="cases-list"),
    path("<int:pk>/", api.CaseDetailApi.as_view(), name="cases-detail"),
    path(
        "case-reviews/figures/",
        api.CaseReviewFiguresApi.as_view(),
        name="cases-case-review-figures",
    ),
    path("marac/actions/", marac_api.MaracActionListApi.as_view(), name="cases-marac-actions"),
    path("marac/dash-results/", marac_api.DashResultListApi.as_view(), name="cases-dash-results"),
    path("marac/return/", marac_api.MaracReturnApi.as_view(), name="cases-marac-return"),
]
