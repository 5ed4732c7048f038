from django.urls import URLPattern, URLResolver, path

from saferhub.performance import views

app_name = "performance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.PriorityListView.as_view(), name="priorities"),
    path("priorities/new/", views.PriorityFormView.as_view(), name="priority_create"),
    path("priorities/<int:pk>/", views.PriorityDetailView.as_view(), name="priority"),
    path("priorities/<int:pk>/edit/", views.PriorityFormView.as_view(), name="priority_edit"),
    path("indicators/new/", views.IndicatorFormView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator"),
    path("indicators/<int:pk>/edit/", views.IndicatorFormView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/publish/",
        views.IndicatorPublishView.as_view(),
        name="indicator_publish",
    ),
    path(
        "indicators/<int:pk>/values/new/",
        views.MeasurementEnterView.as_view(),
        name="measurement_enter",
    ),
    path(
        "indicators/<int:pk>/milestones/new/",
        views.MilestoneSetView.as_view(),
        name="milestone_set",
    ),
    path("scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("year-end/", views.YearEndView.as_view(), name="year_end"),
    path("board-report/", views.BoardReportView.as_view(), name="board_report"),
    path("board-report.pdf", views.BoardReportPdfView.as_view(), name="board_report_pdf"),
    path("board-report.xlsx", views.BoardReportXlsxView.as_view(), name="board_report_xlsx"),
    path("refresh/", views.RefreshView.as_view(), name="refresh"),
]
