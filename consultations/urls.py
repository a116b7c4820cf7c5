from django.urls import path

from consultations.api import CampaignDetailApi, CampaignListApi

app_name = "consultations"

urlpatterns = [
    path("campaigns/", CampaignListApi.as_view(), name="campaign-list"),
    path("campaigns/<slug:slug>/", CampaignDetailApi.as_view(), name="campaign-detail"),
]
