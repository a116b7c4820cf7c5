"""Only the campaigns and surveys API, so that the surveys schema test checks this app alone."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("consultations.urls")),
    path("api/v1/", include("surveys.urls")),
]
