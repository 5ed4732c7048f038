from django.urls import URLPattern, URLResolver, path

from saferhub.incidents import views

app_name = "incidents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.DataHomeView.as_view(), name="home"),
    path("imports/<int:pk>/problems/", views.ProblemsView.as_view(), name="problems"),
    path("taxonomy/", views.TaxonomyView.as_view(), name="taxonomy"),
    path("taxonomy/<int:pk>/", views.CategoryEditView.as_view(), name="category_edit"),
]
