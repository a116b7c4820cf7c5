"""Pages of coordinators of member organisations; included by frontend/urls.py under the
"frontend" namespace."""

from django.urls import path

from frontend.views import coordinator

urlpatterns: list = [
    path("coordinator/", coordinator.coordinator_home, name="coordinator_home"),
    path(
        "coordinator/<slug:organisation_slug>/<slug:campaign_slug>/",
        coordinator.organisation_campaign_reach,
        name="coordinator_reach",
    ),
]
