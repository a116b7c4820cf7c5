from django.urls import path

from analysis.api import SurveyResultsApi
from analysis.coding_api import CodebookApi, QuotesApi
from analysis.exports_api import CampaignExportsApi, ExportDetailApi, ExportDownloadApi
from analysis.findings_api import FindingsApi

app_name = "analysis"

urlpatterns = [
    path("surveys/<slug:slug>/results/", SurveyResultsApi.as_view(), name="survey-results"),
    path("campaigns/<slug:slug>/codebook/", CodebookApi.as_view(), name="campaign-codebook"),
    path("campaigns/<slug:slug>/quotes/", QuotesApi.as_view(), name="campaign-quotes"),
]

# Findings with their evidence (analysis.findings_api).
urlpatterns += [
    path("campaigns/<slug:slug>/findings/", FindingsApi.as_view(), name="campaign-findings"),
]

# Exports of the end-report input (analysis.exports_api).
urlpatterns += [
    path("campaigns/<slug:slug>/exports/", CampaignExportsApi.as_view(), name="campaign-exports"),
    path("exports/<int:pk>/", ExportDetailApi.as_view(), name="export-detail"),
    path("exports/<int:pk>/download/", ExportDownloadApi.as_view(), name="export-download"),
]
