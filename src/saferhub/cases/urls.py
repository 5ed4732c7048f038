from django.urls import URLPattern, path

from saferhub.cases import views

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("", views.CaseListView.as_view(), name="list"),
    path("mine/", views.MyCasesView.as_view(), name="mine"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/break-glass/", views.BreakGlassView.as_view(), name="break_glass"),
    path("case-reviews/import/", views.ExchangeImportView.as_view(), name="import"),
    path("case-reviews/figures/", views.FiguresView.as_view(), name="figures"),
]
