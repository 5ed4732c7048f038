from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# Imports (upload, result, problems) and partner sources.
from saferhub.incidents import upload_api  # noqa: E402

urlpatterns += upload_api.urlpatterns
