from django.urls import URLPattern, URLResolver, path

from saferhub.performance import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("priorities/", api.PriorityListApi.as_view(), name="performance_priorities"),
    path(
        "priorities/from-recommendations/",
        api.PrioritiesFromRecommendationsApi.as_view(),
        name="performance_priorities_from_recommendations",
    ),
    path("indicators/", api.IndicatorListApi.as_view(), name="performance_indicators"),
    path("indicators/<int:pk>/", api.IndicatorDetailApi.as_view(), name="performance_indicator"),
    path(
        "indicators/<int:pk>/measurements/",
        api.MeasurementEnterApi.as_view(),
        name="performance_measurement_enter",
    ),
    path("refresh/", api.RefreshApi.as_view(), name="performance_refresh"),
]
