"""Pages of the staff area; included by frontend/urls.py under the "frontend" namespace.

Everything here is under /staff/, where ``accounts.middleware.StaffMFARequiredMiddleware`` sends
staff without two-step verification to set it up first (when ``STAFF_MFA_REQUIRED`` is on).
"""

from django.urls import path

from frontend.views import staff_analysis as analysis
from frontend.views import staff_roundtables as roundtables

urlpatterns: list = [
    path("staff/roundtables/", roundtables.roundtable_list_page, name="staff_roundtable_list"),
    path(
        "staff/roundtables/<slug:slug>/",
        roundtables.registrations_page,
        name="staff_roundtable_registrations",
    ),
    path(
        "staff/roundtables/<slug:slug>/registrations.csv",
        roundtables.registrations_csv,
        name="staff_roundtable_registrations_csv",
    ),
    path(
        "staff/roundtables/<slug:slug>/capacity/",
        roundtables.capacity_change,
        name="staff_roundtable_capacity",
    ),
    path(
        "staff/roundtables/<slug:slug>/registrations/<int:pk>/cancel/",
        roundtables.registration_cancel_page,
        name="staff_roundtable_registration_cancel",
    ),
    path(
        "staff/roundtables/<slug:slug>/check-in/",
        roundtables.check_in_page,
        name="staff_roundtable_check_in",
    ),
    path(
        "staff/roundtables/<slug:slug>/check-in/<int:pk>/",
        roundtables.check_in,
        name="staff_roundtable_check_in_person",
    ),
    path(
        "staff/roundtables/<slug:slug>/outcome/",
        roundtables.outcome_page,
        name="staff_roundtable_outcome",
    ),
    path("staff/surveys/", analysis.survey_list_page, name="staff_survey_list"),
    path(
        "staff/campaigns/<slug:slug>/overview/",
        analysis.campaign_overview_page,
        name="staff_campaign_overview",
    ),
    path(
        "staff/surveys/<slug:slug>/results/",
        analysis.survey_results_page,
        name="staff_survey_results",
    ),
    path(
        "staff/surveys/<slug:slug>/results/refresh/",
        analysis.survey_results_refresh_page,
        name="staff_survey_results_refresh",
    ),
    path(
        "staff/surveys/<slug:slug>/results/<slug:key>.svg",
        analysis.survey_results_chart,
        name="staff_survey_results_chart",
    ),
]
