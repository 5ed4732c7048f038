"""URLs of the upload and partner source pages (included by ``incidents/urls.py``)."""

from django.urls import path

from saferhub.incidents import upload_views as views

urlpatterns = [
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("upload/<uuid:job_id>/", views.UploadResultView.as_view(), name="upload_result"),
    path(
        "upload/<uuid:job_id>/problems/",
        views.UploadProblemsView.as_view(),
        name="upload_problems",
    ),
    path("sources/", views.PartnerSourceListView.as_view(), name="partner_sources"),
    path("sources/new/", views.PartnerSourceEditView.as_view(), name="partner_source_create"),
    path("sources/<int:pk>/", views.PartnerSourceEditView.as_view(), name="partner_source_edit"),
]
