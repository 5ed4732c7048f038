from django.urls import URLPattern, URLResolver, path

from saferhub.problems import tasking_views as tv
from saferhub.problems import views

app_name = "problems"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.RegisterView.as_view(), name="list"),
    path("new/", views.ProblemCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProblemDetailView.as_view(), name="problem"),
    path("<int:pk>/edit/", views.ProblemEditView.as_view(), name="edit"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/response/new/", views.ResponseActionView.as_view(), name="response"),
    path("<int:pk>/assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/<slug:step>/", views.OsaraStepView.as_view(), name="step"),
    path("tasking/", tv.MeetingListView.as_view(), name="meetings"),
    path("tasking/new/", tv.MeetingCreateView.as_view(), name="meeting_create"),
    path("tasking/<int:pk>/", tv.MeetingDetailView.as_view(), name="meeting"),
    path("tasking/<int:pk>/minutes.pdf", tv.MeetingPdfView.as_view(), name="meeting_pdf"),
    path("concerns/", tv.ConcernListView.as_view(), name="concerns"),
    path("concerns/new/", tv.ConcernCreateView.as_view(), name="concern_create"),
]
