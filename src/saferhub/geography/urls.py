from django.urls import URLPattern, URLResolver

app_name = "geography"

urlpatterns: list[URLPattern | URLResolver] = []
