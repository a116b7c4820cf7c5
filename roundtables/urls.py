from django.urls import path

from roundtables.api import (
    CampaignCalendarApi,
    RegistrationCreateApi,
    RegistrationMineApi,
    RoundtableCalendarApi,
    RoundtableDetailApi,
    RoundtableListApi,
)

app_name = "roundtables"

urlpatterns = [
    path("roundtables/", RoundtableListApi.as_view(), name="roundtable-list"),
    path("roundtables/<int:pk>/", RoundtableDetailApi.as_view(), name="roundtable-detail"),
    path(
        "roundtables/<int:pk>/registrations/",
        RegistrationCreateApi.as_view(),
        name="registration-create",
    ),
    path(
        "roundtables/<int:pk>/registrations/mine/",
        RegistrationMineApi.as_view(),
        name="registration-mine",
    ),
    path(
        "roundtables/<int:pk>/calendar.ics",
        RoundtableCalendarApi.as_view(),
        name="roundtable-calendar",
    ),
    path(
        "campaigns/<slug:slug>/calendar.ics",
        CampaignCalendarApi.as_view(),
        name="campaign-calendar",
    ),
]
