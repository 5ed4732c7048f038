from django.urls import path

from saferhub.core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("assess/", views.StageView.as_view(stage_key="assess"), name="assess"),
    path("plan/", views.StageView.as_view(stage_key="plan"), name="plan"),
    path("deliver/", views.StageView.as_view(stage_key="deliver"), name="deliver"),
    path("monitor/", views.StageView.as_view(stage_key="monitor"), name="monitor"),
    path("jobs/<uuid:job_id>/", views.JobView.as_view(), name="job"),
    path("jobs/<uuid:job_id>/status/", views.JobStatusView.as_view(), name="job_status"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
]
