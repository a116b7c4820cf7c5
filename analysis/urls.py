from django.urls import path

from analysis.api import SurveyResultsApi

app_name = "analysis"

urlpatterns = [
    path("surveys/<slug:slug>/results/", SurveyResultsApi.as_view(), name="survey-results"),
]
