from django.urls import URLPattern, URLResolver

app_name = "incidents"

urlpatterns: list[URLPattern | URLResolver] = []

# Upload page, import results and partner sources (column mappings).
from saferhub.incidents import upload_urls  # noqa: E402

urlpatterns += upload_urls.urlpatterns
