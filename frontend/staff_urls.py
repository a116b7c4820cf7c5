"""Pages of the staff area; included by frontend/urls.py under the "frontend" namespace.

Everything here is under /staff/, where ``accounts.middleware.StaffMFARequiredMiddleware`` sends
staff without two-step verification to set it up first (when ``STAFF_MFA_REQUIRED`` is on).
"""

from django.urls import path

from frontend.views import staff_analysis as analysis
from frontend.views import staff_coding as coding
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

# Open answers: the codebook, coding one answer at a time, quotes (frontend.views.staff_coding).
urlpatterns += [
    path("staff/campaigns/<slug:slug>/codebook/", coding.codebook_page, name="staff_codebook"),
    path(
        "staff/campaigns/<slug:slug>/codebook/codes/<int:code_id>/",
        coding.code_edit_page,
        name="staff_code_edit",
    ),
    path(
        "staff/campaigns/<slug:slug>/codebook/codes/<int:code_id>/delete/",
        coding.code_delete_page,
        name="staff_code_delete",
    ),
    path(
        "staff/campaigns/<slug:slug>/codebook/codes/<int:code_id>/merge/",
        coding.code_merge_page,
        name="staff_code_merge",
    ),
    path(
        "staff/campaigns/<slug:slug>/codebook/themes/refresh/",
        coding.themes_refresh,
        name="staff_themes_refresh",
    ),
    path(
        "staff/campaigns/<slug:slug>/codebook/themes/<int:suggestion_id>/accept/",
        coding.theme_accept,
        name="staff_theme_accept",
    ),
    path(
        "staff/campaigns/<slug:slug>/codebook/themes/<int:suggestion_id>/ignore/",
        coding.theme_ignore,
        name="staff_theme_ignore",
    ),
    path("staff/campaigns/<slug:slug>/coding/", coding.coding_page, name="staff_coding"),
    path(
        "staff/campaigns/<slug:slug>/coding/<int:answer_id>/",
        coding.coding_answer_page,
        name="staff_coding_answer",
    ),
    path("staff/campaigns/<slug:slug>/quotes/", coding.quotes_page, name="staff_quotes"),
]
