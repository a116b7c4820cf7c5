from django.urls import path

from surveys.api import ReceiptApi, ResponseSubmitApi, SurveyDetailApi

app_name = "surveys"

urlpatterns = [
    path("surveys/<slug:slug>/", SurveyDetailApi.as_view(), name="survey-detail"),
    path("surveys/<slug:slug>/responses/", ResponseSubmitApi.as_view(), name="response-submit"),
    path("receipts/<str:code>/", ReceiptApi.as_view(), name="receipt-detail"),
]
