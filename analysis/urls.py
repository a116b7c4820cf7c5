from django.urls import path

from analysis.api import SurveyResultsApi
from analysis.coding_api import CodebookApi, QuotesApi

app_name = "analysis"

urlpatterns = [
    path("surveys/<slug:slug>/results/", SurveyResultsApi.as_view(), name="survey-results"),
    path("campaigns/<slug:slug>/codebook/", CodebookApi.as_view(), name="campaign-codebook"),
    path("campaigns/<slug:slug>/quotes/", QuotesApi.as_view(), name="campaign-quotes"),
]
