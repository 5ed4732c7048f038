from django.urls import URLPattern, URLResolver, path

from saferhub.actions import views

app_name = "actions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ActionListView.as_view(), name="list"),
    path("mine/", views.MyActionsView.as_view(), name="mine"),
    path("<int:pk>/", views.ActionDetailView.as_view(), name="action"),
    path("<int:pk>/update/", views.ActionUpdateView.as_view(), name="action_update"),
    path("<int:pk>/complete/", views.ActionCompleteView.as_view(), name="action_complete"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.YearEndView.as_view(), name="year_end"),
    path("plans/<int:pk>/import/", views.ImportView.as_view(), name="import"),
    path("imports/<uuid:job_id>/", views.ImportReportView.as_view(), name="import_report"),
    path(
        "plans/<int:pk>/contributions/new/",
        views.ContributionView.as_view(),
        name="contribution",
    ),
    path("plans/<int:pk>/carry-forward/", views.CarryForwardView.as_view(), name="carry_forward"),
    path("plans/<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("teams/", views.TeamListView.as_view(), name="teams"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team"),
    path("teams/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting_record"),
]
