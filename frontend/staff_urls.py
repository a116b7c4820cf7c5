"""Pages of the staff area; included by frontend/urls.py under the "frontend" namespace.

Everything here is under /staff/, where ``accounts.middleware.StaffMFARequiredMiddleware`` sends
staff without two-step verification to set it up first (when ``STAFF_MFA_REQUIRED`` is on).
"""

from django.urls import path

from frontend.views import staff_analysis as analysis
from frontend.views import staff_coding as coding
from frontend.views import staff_exports as exports
from frontend.views import staff_feedback as feedback
from frontend.views import staff_findings as findings
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

# "What happened with your voice": the summaries per age band (frontend.views.staff_feedback).
urlpatterns += [
    path(
        "staff/campaigns/<slug:slug>/feedback/",
        feedback.feedback_page,
        name="staff_youth_feedback",
    ),
    path(
        "staff/campaigns/<slug:slug>/feedback/bands/<int:band_id>/",
        feedback.feedback_band_save,
        name="staff_youth_feedback_band",
    ),
    path(
        "staff/campaigns/<slug:slug>/feedback/bands/<int:band_id>/preview/<str:language>/",
        feedback.feedback_preview,
        name="staff_youth_feedback_preview",
    ),
    path(
        "staff/campaigns/<slug:slug>/feedback/publish/",
        feedback.feedback_publish,
        name="staff_youth_feedback_publish",
    ),
    path(
        "staff/campaigns/<slug:slug>/feedback/unpublish/",
        feedback.feedback_unpublish,
        name="staff_youth_feedback_unpublish",
    ),
]

# Findings with their evidence, for the end report (frontend.views.staff_findings).
urlpatterns += [
    path("staff/campaigns/<slug:slug>/findings/", findings.findings_page, name="staff_findings"),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/",
        findings.finding_page,
        name="staff_finding",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/edit/",
        findings.finding_edit_page,
        name="staff_finding_edit",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/delete/",
        findings.finding_delete_page,
        name="staff_finding_delete",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/move/",
        findings.finding_move_view,
        name="staff_finding_move",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/evidence/questions/",
        findings.evidence_add,
        {"kind": "question"},
        name="staff_finding_add_question",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/evidence/quotes/",
        findings.evidence_add,
        {"kind": "quote"},
        name="staff_finding_add_quote",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/evidence/outcome-points/",
        findings.evidence_add,
        {"kind": "outcome_point"},
        name="staff_finding_add_outcome_point",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/evidence/<int:evidence_id>/remove/",
        findings.evidence_remove_view,
        name="staff_finding_evidence_remove",
    ),
    path(
        "staff/campaigns/<slug:slug>/findings/<int:finding_id>/evidence/<int:evidence_id>/move/",
        findings.evidence_move_view,
        name="staff_finding_evidence_move",
    ),
]

# Exports of the end-report input, with live progress (frontend.views.staff_exports).
urlpatterns += [
    path("staff/campaigns/<slug:slug>/exports/", exports.exports_page, name="staff_exports"),
    path("staff/exports/<int:export_id>/", exports.export_page, name="staff_export"),
]
