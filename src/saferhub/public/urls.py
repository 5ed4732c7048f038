from django.urls import path

from saferhub.cases import public as case_review_public
from saferhub.public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("accessibility/", views.page, {"name": "accessibility"}, name="accessibility"),
    path("privacy/", views.page, {"name": "privacy"}, name="privacy"),
    path("contact/", views.page, {"name": "contact"}, name="contact"),
    path("asb-case-review/apply/", case_review_public.apply, name="case_review_apply"),
    path("<slug:key>/", views.section, name="section"),
    path("<slug:key>/<int:pk>/", views.section_item, name="section_item"),
    path("<slug:key>/large-print.pdf", views.section_large_print, name="section_large_print"),
    path(
        "<slug:key>/download.<str:fmt>",
        views.section_download,
        name="section_download",
    ),
]
